package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A page's subscriptions: which handlers a message goes to, and when the page enters and leaves the index. */
class PageSubscriptionsTest {

    private final List<String> index = new ArrayList<>();
    private final PageSubscriptions subscriptions = new PageSubscriptions(new PageSubscriptions.Index() {
        @Override
        public void indexBroadcast() {
            index.add("+broadcast");
        }

        @Override
        public void unindexBroadcast() {
            index.add("-broadcast");
        }

        @Override
        public void indexTopic(String topic) {
            index.add("+" + topic);
        }

        @Override
        public void unindexTopic(String topic) {
            index.add("-" + topic);
        }
    });

    private static Subscription on(String topic) {
        return new Subscription(null, topic, null, (t, m) -> { }, true, null);
    }

    @Test
    void thePageEntersATopicsIndex_withItsFirstHandlerThere_andLeavesWithItsLast() {
        Subscription one = on("a");
        Subscription two = on("a");
        subscriptions.add(one);
        subscriptions.add(two);
        subscriptions.add(on(null));

        subscriptions.remove(one);
        subscriptions.remove(two);

        assertThat(index).containsExactly("+a", "+broadcast", "-a");
        assertThat(subscriptions.count()).isEqualTo(1);
    }

    @Test
    void aMessage_goesToTheHandlersOfItsTopic_orToTheBroadcastOnes() {
        Subscription onA = on("a");
        Subscription everything = on(null);
        subscriptions.add(onA);
        subscriptions.add(everything);

        assertThat(subscriptions.of(PageParts.message("a", "x", 1))).containsExactly(onA);
        assertThat(subscriptions.of(Envelope.local(null, "x", null, 2))).containsExactly(everything);
        assertThat(subscriptions.of(PageParts.message("b", "x", 3))).isEmpty();
    }

    @Test
    void removingTwice_removesOnce() {
        Subscription one = on("a");
        subscriptions.add(one);

        assertThat(subscriptions.remove(one)).isTrue();
        assertThat(subscriptions.remove(one)).isFalse();
        assertThat(subscriptions.count()).isZero();
    }

    @Test
    void unsubscribingATopicOrTheBroadcasts_endsThemAll_andSaysHowMany() {
        List<Subscription> onA = List.of(on("a"), on("a"));
        onA.forEach(subscriptions::add);
        subscriptions.add(on(null));

        assertThat(subscriptions.removeTopic("a")).isEqualTo(2);
        assertThat(onA).noneMatch(Subscription::isActive);
        assertThat(subscriptions.removeBroadcast()).isEqualTo(1);
        assertThat(subscriptions.removeTopic("a")).isZero();
        assertThat(index).containsExactly("+a", "+broadcast", "-a", "-broadcast");
    }

    @Test
    void removeAll_endsEverySubscription_andLeavesTheIndex() {
        subscriptions.add(on("a"));
        subscriptions.add(on("b"));
        subscriptions.add(on(null));

        assertThat(subscriptions.removeAll()).isEqualTo(3);
        assertThat(index).contains("-broadcast", "-a", "-b");
        assertThat(subscriptions.of(PageParts.message("a", "x", 1))).isEmpty();
    }
}
