package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Topic histories on their own: the last messages per topic, completed once from the engine, never twice. */
class TopicHistoriesTest {

    private final TopicHistories histories = new TopicHistories(topic -> topic.startsWith("room:") ? 3 : 0, 10_000, new PageIds());

    @Test
    void aTopicWithHistory_keepsItsLastMessages_oldestFirst() {
        for (int i = 1; i <= 5; i++) {
            histories.remember(remote("room:a", i, "n1", i));
        }

        assertThat(messages("room:a")).containsExactly(3, 4, 5);
    }

    @Test
    void topicsWithoutHistory_broadcastsAndTheHubsOwnTopics_keepNothing() {
        histories.remember(remote("lobby", 1, "n1", 1));
        histories.remember(remote(null, 2, "n1", 2));
        histories.remember(remote(Dispatcher.INTERNAL + "presence", 3, "n1", 3));

        assertThat(histories.of("lobby")).isEmpty();
        assertThat(histories.size(Dispatcher.INTERNAL + "room:x")).isZero();
    }

    @Test
    void aKeptMessage_holdsNoPage() {
        histories.remember(new Envelope("room:a", "hi", new com.vaadin.flow.component.UI(), "n1", 1, 0));

        assertThat(histories.of("room:a")).singleElement().satisfies(kept -> assertThat(kept.skip()).isNull());
    }

    @Test
    void aPolicyThatThrows_meansNoHistoryForThatTopic() {
        TopicHistories broken = new TopicHistories(topic -> {
            throw new IllegalStateException("simulated: the application's policy is broken");
        }, 10_000, new PageIds());

        broken.remember(remote("room:a", 1, "n1", 1));

        assertThat(broken.size("room:a")).isZero();
        assertThat(broken.of("room:a")).isEmpty();
    }

    @Test
    void theEnginesOlderPart_goesBeforeWhatArrivedMeanwhile_withoutRepeats_andTrimmed() {
        histories.remember(remote("room:a", 4, "n1", 4));
        histories.remember(remote("room:a", 5, "n2", 1));

        histories.readDone("room:a", List.of(remote("room:a", 2, "n1", 2), remote("room:a", 3, "n1", 3),
                remote("room:a", 3, "n1", 3), remote("room:a", 4, "n1", 4)));

        assertThat(messages("room:a")).containsExactly(3, 4, 5);
        assertThat(histories.needsRead("room:a")).isFalse();
    }

    @Test
    void oneReadPerTopic_andEverySubscriptionThatWaitedIsReturned() {
        TopicHistories.Waiting first = subscription();
        TopicHistories.Waiting second = subscription();

        assertThat(histories.awaitRead("room:a", first)).as("the first starts the read").isTrue();
        assertThat(histories.awaitRead("room:a", second)).as("the second waits for it").isFalse();

        assertThat(histories.readDone("room:a", List.of())).containsExactly(first, second);
        assertThat(histories.readDone("room:a", List.of())).isEmpty();
    }

    @Test
    void aFailedRead_isTriedAgainForTheNextSubscriber() {
        histories.awaitRead("room:a", subscription());

        histories.readDone("room:a", null);

        assertThat(histories.needsRead("room:a")).isTrue();
        assertThat(histories.awaitRead("room:a", subscription())).isTrue();
    }

    private List<Object> messages(String topic) {
        return histories.of(topic).stream().map(Envelope::message).toList();
    }

    private static Envelope remote(String topic, int message, String node, long sequence) {
        return new Envelope(topic, message, null, node, sequence, 0);
    }

    private static TopicHistories.Waiting subscription() {
        return new TopicHistories.Waiting(new Subscription(null, "room:a", null, (topic, message) -> { }, false, null),
                null);
    }
}
