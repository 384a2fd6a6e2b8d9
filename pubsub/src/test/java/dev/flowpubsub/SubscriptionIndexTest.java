package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The subscription index on its own: one state per page, and the pages each message goes to. */
class SubscriptionIndexTest {

    private final PageParts parts = new PageParts();
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final UI ann = new UI();
    private final UI bob = new UI();

    @Test
    void aPage_getsOneState_startedOnce() {
        List<Page> started = new ArrayList<>();

        Page first = index.getOrCreate(ann, ui -> parts.page(ui, 8), started::add);
        Page again = index.getOrCreate(ann, ui -> parts.page(ui, 8), started::add);

        assertThat(again).isSameAs(first);
        assertThat(started).containsExactly(first);
        assertThat(index.get(ann)).isSameAs(first);
        assertThat(index.pageCount()).isEqualTo(1);
    }

    @Test
    void forgettingAPage_thatWasReplaced_leavesTheNewOne() {
        Page old = parts.page(ann, 8);
        index.getOrCreate(ann, ui -> old, e -> { });
        index.forget(old);
        Page current = index.getOrCreate(ann, ui -> parts.page(ui, 8), e -> { });

        index.forget(old);

        assertThat(index.get(ann)).isSameAs(current);
    }

    @Test
    void aMessage_goesToThePagesOnItsTopic_andABroadcastToThePagesOnBroadcasts() {
        Page annPage = index.getOrCreate(ann, ui -> parts.page(ui, 8), e -> { });
        Page bobPage = index.getOrCreate(bob, ui -> parts.page(ui, 8), e -> { });
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
        Page annPage = index.getOrCreate(ann, ui -> parts.page(ui, 8), e -> { });
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
        List<Page> made = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            UI ui = new UI();
            made.add(index.getOrCreate(ui, page -> parts.page(page, 8), e -> { }));
        }
        // indexed in reverse, as pages of a room that joins late might be: the order they came in still wins
        for (Page page : made.reversed()) {
            index.indexBroadcast(page);
            index.indexTopic("room:a", page);
        }

        assertThat(index.targetsOf(Envelope.local(null, "hi", null, 0))).containsExactlyElementsOf(made);
        assertThat(index.targetsOf(Envelope.local("room:a", "hi", null, 0))).containsExactlyElementsOf(made);
    }
}
