package dev.flowpubsub;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.router.PreserveOnRefresh;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinService;
import dev.flowpubsub.testing.PubSubTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A view kept across a browser refresh ({@code @PreserveOnRefresh}) moves to a new UI, its component-scoped history
 * subscription with it: it resumes after what it saw, and is never handed what its page sent to the others, which
 * was remembered by the UI object and so handed again after the move (issue 19, item 6: [1, 2, 2, 3]).
 */
class PreserveOnRefreshTest {

    static final Topic<Integer> ROOM = Topic.of("room:preserved", Integer.class);

    @Route("preserved")
    @PreserveOnRefresh
    public static class PreservedView extends Div {
        final List<Integer> received = new ArrayList<>();

        public PreservedView() {
            PubSub.whileAttached(this).subscribeTopicWithHistory(ROOM, received::add);
        }
    }

    private PubSubHub hub;

    @BeforeEach
    void setup() {
        MockVaadin.setup(new Routes(Set.of(PreservedView.class), Set.of(), true));
        hub = PubSubHub.builder().history(HistoryPolicy.keep(10, "room:")).build();
        PubSubHub.install(VaadinService.getCurrent(), hub, true);
    }

    @AfterEach
    void tearDown() {
        MockVaadin.tearDown();
        hub.close();
    }

    @Test
    void aViewKeptAcrossARefresh_resumesAfterWhatItSaw_withoutWhatItsPageSentToTheOthers() {
        UI.getCurrent().navigate(PreservedView.class);
        PreservedView view = (PreservedView) UI.getCurrent().getCurrentView();
        hub.sendAllOnTopic(ROOM, 1);
        PubSubTesting.deliverPending();
        PubSub.current().sendOthersOnTopic(ROOM, 2);
        PubSubTesting.deliverPending();
        assertThat(view.received).containsExactly(1);
        UI before = UI.getCurrent();

        UI.getCurrent().getPage().reload();
        PubSubTesting.deliverPending();
        assertThat(UI.getCurrent()).as("a new UI").isNotSameAs(before);
        assertThat(UI.getCurrent().getCurrentView()).as("the same view, kept").isSameAs(view);
        hub.sendAllOnTopic(ROOM, 3);
        PubSubTesting.deliverPending();

        assertThat(view.received).containsExactly(1, 3);
    }
}
