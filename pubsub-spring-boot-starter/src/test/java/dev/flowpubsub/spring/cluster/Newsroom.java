package dev.flowpubsub.spring.cluster;

import dev.flowpubsub.PubSubHub;
import org.springframework.stereotype.Service;

/** Server code with no page: it sends through the node's hub bean. */
@Service
public class Newsroom {

    private final PubSubHub hub;

    Newsroom(PubSubHub hub) {
        this.hub = hub;
    }

    public void publish(String text) {
        hub.sendAllOnTopic(NewsView.NEWS, text);
    }
}
