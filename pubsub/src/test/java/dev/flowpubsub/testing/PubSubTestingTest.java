package dev.flowpubsub.testing;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubSendRefusedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The documented way for a Karibu test to send and then see what was delivered. */
class PubSubTestingTest {

    @BeforeEach
    void setup() {
        MockVaadin.setup(new Routes());
    }

    @AfterEach
    void tearDown() {
        MockVaadin.tearDown();
    }

    @Test
    void deliverPending_runsTheDeliveriesOfTheMockedPage_beforeTheAssertion() {
        Div log = new Div();
        UI.getCurrent().add(log);
        PubSub.current().subscribe(String.class, text -> log.add(new Span(text)));

        PubSub.current().sendAll("one");
        PubSub.current().sendAll("two");
        // reading the component tree directly: Karibu's _get would run the queue itself
        assertThat(log.getChildren()).isEmpty();

        PubSubTesting.deliverPending();

        assertThat(log.getChildren().map(c -> ((Span) c).getText())).containsExactly("one", "two");
    }

    @Test
    void deliverPending_alsoRunsWhatHandlersSendInTurn() {
        Div log = new Div();
        UI.getCurrent().add(log);
        PubSub.current().subscribe(String.class, text -> PubSub.current().sendAllOnTopic("echo", text + "!"));
        PubSub.current().subscribeTopic("echo", String.class, text -> log.add(new Span(text)));

        PubSub.current().sendAll("ping");
        PubSubTesting.deliverPending();

        assertThat(log.getChildren().map(c -> ((Span) c).getText())).containsExactly("ping!");
    }

    @Test
    void deliverPending_returnsOnceTheSharedSignalWritesOfThisNodeAreConfirmed_asEffectsOnConfirmedStateNeedThem() {
        SharedMapSignal<String> item = PubSubHub.current().signals().map("testing.item", String.class);
        for (int round = 0; round < 20; round++) {
            String value = "title " + round;
            item.put("title", value);

            PubSubTesting.deliverPending();

            SharedValueSignal<String> confirmed = item.peekConfirmed().get("title");
            assertThat(confirmed == null ? null : confirmed.peekConfirmed()).as("round %d", round).isEqualTo(value);
        }
    }

    @Test
    void aPageSendingMoreThanItsBudget_isRefused_withTheLimitsAndHowToLiftThemInATest() {
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1_000; i++) {
                PubSub.current().sendAll("message " + i);
            }
        }).isInstanceOf(PubSubSendRefusedException.class).hasMessageContaining("in bursts of up to 20")
                .hasMessageContaining("PubSubTesting.install(hub -> hub.noSendBudget())");
    }

    @Test
    void aHubInstalledWithoutTheSendBudget_letsOnePageSendAThousand_andEveryOneIsDelivered() {
        // snippet:budget
        PubSubTesting.install(hub -> hub.noSendBudget());
        // end:budget
        Div log = new Div();
        UI.getCurrent().add(log);
        PubSub.current().subscribe(String.class, text -> log.add(new Span(text)));

        for (int i = 0; i < 1_000; i++) {
            PubSub.current().sendAll("message " + i);
        }
        PubSubTesting.deliverPending();

        assertThat(log.getChildren().count()).isEqualTo(1_000);
    }

    @Test
    void installingAHub_afterAPageSubscribed_isRefused_andClosesTheHubItMade() {
        PubSub.current().subscribe(String.class, text -> { });
        assertThatThrownBy(() -> PubSubTesting.install(hub -> hub.noSendBudget()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already in use");
    }
}
