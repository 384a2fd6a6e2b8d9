package dev.flowpubsub.spring.karibu;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.spring.MockSpringServlet;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.testing.PubSubTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static com.github.mvysny.kaributesting.v10.ButtonKt._click;
import static com.github.mvysny.kaributesting.v10.HasValueUtilsKt._setValue;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Karibu test of a view inside a Spring Boot application, exactly as docs/testing.md shows: the
 * view runs with the starter's hub bean, and {@code PubSubTesting.deliverPending()} makes the delivery happen before
 * the assertion.
 */
@SpringBootTest(classes = KaribuInSpringTest.App.class)
class KaribuInSpringTest {

    /**
     * The application under test: the starter's auto-configuration and this package's view. It has no database,
     * but this module's test classpath has Spring Boot's JDBC support, for the PostgreSQL tests.
     */
    @SpringBootApplication(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    static class App {
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    PubSubHub hub;

    @Autowired
    Announcer announcer;

    @BeforeEach
    void openPage() {
        Routes routes = new Routes().autoDiscoverViews("dev.flowpubsub.spring.karibu");
        MockVaadin.setup(UI::new, new MockSpringServlet(routes, context, UI::new));
    }

    @AfterEach
    void closePage() {
        MockVaadin.tearDown();
    }

    @Test
    void aMessageSentFromTheView_showsOnThePage_afterDeliverPending() {
        // snippet:test
        _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Your message...")), "hi");
        _click(_get(Button.class, spec -> spec.withText("Send")));
        PubSubTesting.deliverPending();
        assertEquals("hi", _get(Paragraph.class).getText());
        // end:test
    }

    @Test
    void aMessageFromCodeWithNoPage_showsOnThePage() {
        announcer.announce("from the server");
        PubSubTesting.deliverPending();

        assertThat(_get(Paragraph.class).getText()).isEqualTo("from the server");
    }

    @Test
    void leavingTheViewAndComingBack_holdsOneSubscription_andShowsEachMessageOnce() {
        for (int visit = 0; visit < 3; visit++) {
            UI.getCurrent().navigate(ElsewhereView.class);
            announcer.announce("while away " + visit);
            PubSubTesting.deliverPending();
            UI.getCurrent().navigate(GreetingView.class);
        }

        announcer.announce("back");
        PubSubTesting.deliverPending();

        assertThat(_find(Paragraph.class)).extracting(Paragraph::getText).containsExactly("back");
        assertThat(PubSub.current().subscriptionCount()).isEqualTo(1);
    }

    @Test
    void theViewsPage_usesTheStartersHubBean() {
        assertThat(PubSubHub.get(UI.getCurrent().getSession().getService())).isSameAs(hub);
    }
}
