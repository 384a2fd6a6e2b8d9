package dev.flowpubsub.example;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinServiceInitListener;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends the server's time to every page once a second: code with no page of its own, sending through the
 * application's hub. Vaadin runs it when the servlet's service starts, with or without Spring, because it is
 * listed in {@code META-INF/services/com.vaadin.flow.server.VaadinServiceInitListener}.
 */
public final class ClockPublisher implements VaadinServiceInitListener {

    /** The topic the time goes out on. */
    public static final Topic<LocalTime> CLOCK = Topic.of("clock", LocalTime.class);

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ClockPublisher.class);

    // snippet:publisher
    @Override
    public void serviceInit(ServiceInitEvent event) {
        VaadinService service = event.getSource();
        PubSubHub hub = PubSubHub.get(service); // this application's hub, ready now; closed with the service
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("clock-publisher").daemon().factory());
        ScheduledFuture<?> ticks = clock.scheduleAtFixedRate(() -> tick(hub), 1, 1, TimeUnit.SECONDS);
        service.addServiceDestroyListener(destroyed -> {
            ticks.cancel(false);
            clock.shutdown();
        });
    }
    // end:publisher

    private static void tick(PubSubHub hub) {
        try {
            hub.sendAllOnTopic(CLOCK, LocalTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS));
        } catch (RuntimeException e) {
            // caught, or the executor would cancel every later tick; a hub closed first at shutdown is no news
            if (!hub.isClosed()) {
                LOG.warn("Could not send the time", e);
            }
        }
    }
}
