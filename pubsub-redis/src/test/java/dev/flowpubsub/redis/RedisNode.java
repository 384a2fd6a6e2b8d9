package dev.flowpubsub.redis;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.Inbox;
import dev.flowpubsub.JsonCodec;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubHubBuilder;
import dev.flowpubsub.VaadinApp;

import java.util.function.UnaryOperator;

/** One server of a test cluster: a Vaadin application whose hub runs on a {@link RedisTransport}. */
final class RedisNode implements AutoCloseable {

    final VaadinApp app = new VaadinApp();
    final RedisTransport transport;
    final PubSubHub hub;

    RedisNode(String uri) {
        this(uri, settings -> settings);
    }

    RedisNode(String uri, UnaryOperator<RedisTransport.Builder> settings) {
        this(uri, settings, hubSettings -> hubSettings);
    }

    RedisNode(String uri, UnaryOperator<RedisTransport.Builder> settings, UnaryOperator<PubSubHubBuilder> hubSettings) {
        transport = settings.apply(RedisTransport.builder(uri)).build();
        hub = hubSettings.apply(PubSubHub.builder().transport(transport).codec(JsonCodec.allowing())
                .queueCapacity(100_000)).install(app.service);
    }

    /** A page in a new browser session on this node, subscribed to broadcasts and to {@code topics}. */
    Inbox page(String... topics) {
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        ui.accessSynchronously(() -> {
            PubSub.current().subscribe(inbox::add);
            for (String topic : topics) {
                PubSub.current().subscribeTopic(topic, inbox::add);
            }
        });
        return inbox;
    }

    @Override
    public void close() {
        app.close();
    }
}
