package dev.flowpubsub.internal;

import com.github.mvysny.fakeservlet.FakeServletConfig;
import com.vaadin.flow.server.VaadinServletService;
import com.vaadin.flow.server.communication.PushRequestHandler;
import dev.flowpubsub.VaadinApp;
import dev.flowpubsub.testsupport.Atmospheres;
import org.atmosphere.cpr.DefaultBroadcaster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Without Spring: Vaadin's push gets Atmosphere's write wait from flow-pubsub's Atmosphere service, read back from
 * the broadcaster that uses it. The push of a Vaadin servlet is started here as Vaadin starts it (a
 * {@link PushRequestHandler} for the servlet, which initializes Atmosphere with the servlet's init parameters).
 */
class AtmosphereWriteWaitTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void vaadinsPush_waitsOneMillisecond_whenNothingSaysOtherwise() throws Exception {
        assertThat(writeWaitWith(Map.of())).isEqualTo(1);
    }

    @Test
    void theServletsFlowPubSubParameter_setsTheWait() throws Exception {
        assertThat(writeWaitWith(Map.of(AtmosphereWriteWait.PARAMETER, "25"))).isEqualTo(25);
    }

    @Test
    void anEmptyFlowPubSubParameter_leavesAtmospheresOwnWait() throws Exception {
        assertThat(writeWaitWith(Map.of(AtmosphereWriteWait.PARAMETER, ""))).isEqualTo(DefaultBroadcaster.POLLING_DEFAULT);
    }

    @Test
    void theApplicationsOwnAtmosphereParameter_wins() throws Exception {
        assertThat(writeWaitWith(Map.of(AtmosphereWriteWait.ATMOSPHERE_PARAMETER, "50", AtmosphereWriteWait.PARAMETER,
                "25"))).isEqualTo(50);
    }

    @Test
    void aParameterThatIsNotMilliseconds_isRefusedWithItsName() {
        for (String wrong : new String[] {"1ms", "-1", "soon"}) {
            assertThatThrownBy(() -> AtmosphereWriteWait.millis(wrong)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(AtmosphereWriteWait.PARAMETER).hasMessageContaining(wrong);
        }
    }

    /** Starts the push of the app's Vaadin servlet with these init parameters and reads the wait it uses. */
    private int writeWaitWith(Map<String, String> initParameters) throws Exception {
        VaadinServletService service = (VaadinServletService) app.service;
        ((FakeServletConfig) service.getServlet().getServletConfig()).getServletInitParams().putAll(initParameters);
        var unused = new PushRequestHandler(service);
        return Atmospheres.writeWaitMillis(service.getServlet().getServletContext());
    }
}
