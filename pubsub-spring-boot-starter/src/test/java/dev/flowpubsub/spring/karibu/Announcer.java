package dev.flowpubsub.spring.karibu;

import dev.flowpubsub.PubSubHub;
import org.springframework.stereotype.Service;

/** Code with no page sends through the hub bean: docs/getting-started.md shows it. */
// snippet:announcer
@Service
public class Announcer {

    private final PubSubHub hub;

    Announcer(PubSubHub hub) {
        this.hub = hub;
    }

    public void announce(String text) {
        hub.sendAllOnTopic(GreetingView.GREETINGS, text); // from any thread: a scheduler, a message listener
    }
}
// end:announcer
