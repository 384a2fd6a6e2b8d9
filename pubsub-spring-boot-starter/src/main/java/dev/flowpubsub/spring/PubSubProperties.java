package dev.flowpubsub.spring;

import dev.flowpubsub.OverflowPolicy;
import dev.flowpubsub.PubSubHub;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the application's {@link PubSubHub}, under {@code pubsub.*}. Every one has a default fit for
 * most applications, so none needs to be set.
 */
@ConfigurationProperties(prefix = "pubsub")
public class PubSubProperties {

    /** How many messages may wait for one page before the overflow policy applies. */
    private int queueCapacity = PubSubHub.Builder.DEFAULT_QUEUE_CAPACITY;

    /** What a full page queue does with a new message: DROP_OLDEST or DROP_NEWEST. */
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public OverflowPolicy getOverflowPolicy() {
        return overflowPolicy;
    }

    public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
    }
}
