package dev.flowpubsub.spring.hubs;

import dev.flowpubsub.PubSubHub;
import org.springframework.stereotype.Service;

/** Server code with no page, on the context's primary hub (server "a" of {@link HubsInOneContextTest}). */
@Service
public class PriceFeed {

    static final String PRICES = "prices";

    private final PubSubHub hub;

    PriceFeed(PubSubHub hub) {
        this.hub = hub;
    }

    public void tick(String price) {
        hub.sendAllOnTopic(PRICES, price);
    }
}
