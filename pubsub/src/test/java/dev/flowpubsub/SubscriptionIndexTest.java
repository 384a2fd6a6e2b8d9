package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The subscription index on its own: one endpoint per page, and the pages each message goes to. */
class SubscriptionIndexTest {

    private final SubscriptionIndex index = new SubscriptionIndex();
    private final UI ann = new UI();
    private final UI bob = new UI();

    @Test
    void aPage_getsOneEndpoint_startedOnce() {
        List<UiEndpoint> started = new ArrayList<>();

        UiEndpoint first = index.getOrCreate(ann, ui -> new UiEndpoint(null, ui), started::add);
        UiEndpoint again = index.getOrCreate(ann, ui -> new UiEndpoint(null, ui), started::add);

        assertThat(again).isSameAs(first);
        assertThat(started).containsExactly(first);
        assertThat(index.get(ann)).isSameAs(first);
        assertThat(index.pageCount()).isEqualTo(1);
    }

    @Test
    void forgettingAnEndpoint_thatWasReplaced_leavesTheNewOne() {
        UiEndpoint old = new UiEndpoint(null, ann);
        index.getOrCreate(ann, ui -> old, e -> { });
        index.forget(old);
        UiEndpoint current = index.getOrCreate(ann, ui -> new UiEndpoint(null, ui), e -> { });

        index.forget(old);

        assertThat(index.get(ann)).isSameAs(current);
    }

    @Test
    void aMessage_goesToThePagesOnItsTopic_andABroadcastToThePagesOnBroadcasts() {
        UiEndpoint annPage = index.getOrCreate(ann, ui -> new UiEndpoint(null, ui), e -> { });
        UiEndpoint bobPage = index.getOrCreate(bob, ui -> new UiEndpoint(null, ui), e -> { });
        index.indexTopic("room:a", annPage);
        index.indexTopic("room:a", bobPage);
        index.indexTopic("room:b", bobPage);
        index.indexBroadcast(annPage);

        assertThat(index.targetsOf(Envelope.local("room:a", "hi", null, 0))).containsExactlyInAnyOrder(annPage, bobPage);
        assertThat(index.targetsOf(Envelope.local("room:b", "hi", null, 0))).containsExactly(bobPage);
        assertThat(index.targetsOf(Envelope.local(null, "hi", null, 0))).containsExactly(annPage);
        assertThat(index.targetsOf(Envelope.local("room:c", "hi", null, 0))).isNull();
        assertThat(index.topicCount()).isEqualTo(2);
    }

    @Test
    void aTopicsLastPageLeaving_removesTheTopic() {
        UiEndpoint annPage = index.getOrCreate(ann, ui -> new UiEndpoint(null, ui), e -> { });
        index.indexTopic("room:a", annPage);
        index.indexBroadcast(annPage);

        index.unindexTopic("room:a", annPage);
        index.unindexBroadcast(annPage);

        assertThat(index.topicCount()).isZero();
        assertThat(index.targetsOf(Envelope.local("room:a", "hi", null, 0))).isNull();
        assertThat(index.targetsOf(Envelope.local(null, "hi", null, 0))).isEmpty();
    }

    @Test
    void pages_areVisitedInTheOrderTheyCameIn_notInHashOrder() {
        List<UiEndpoint> made = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            UI ui = new UI();
            made.add(index.getOrCreate(ui, page -> new UiEndpoint(null, page), e -> { }));
        }
        // indexed in reverse, as pages of a room that joins late might be: the order they came in still wins
        for (UiEndpoint endpoint : made.reversed()) {
            index.indexBroadcast(endpoint);
            index.indexTopic("room:a", endpoint);
        }

        assertThat(index.targetsOf(Envelope.local(null, "hi", null, 0))).containsExactlyElementsOf(made);
        assertThat(index.targetsOf(Envelope.local("room:a", "hi", null, 0))).containsExactlyElementsOf(made);
    }
}
