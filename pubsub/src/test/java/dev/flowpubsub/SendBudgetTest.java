package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A browser session may send only so fast, whatever its number of tabs; server code is not budgeted. */
class SendBudgetTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void pageSendsBeyondTheBurst_areRefusedAtTheCall_countedAndNeverDelivered() {
        PubSubHub hub = PubSubHub.builder().sendBudget(1, 5).install(app.service);
        UI sender = app.browser().pushTab();
        UI reader = app.browser().pushTab();
        Inbox inbox = new Inbox(reader);
        reader.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));
        List<Object> accepted = new ArrayList<>();

        sender.accessSynchronously(() -> {
            for (int i = 0; i < 5; i++) {
                PubSub.current().sendAll(i);
                accepted.add(i);
            }
            assertThatThrownBy(() -> PubSub.current().sendAll("one too many"))
                    .isInstanceOf(PubSubSendRefusedException.class)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("UI " + sender.getUIId()).hasMessageContaining("sends too fast")
                    .satisfies(e -> assertThat(((PubSubSendRefusedException) e).reason())
                            .isEqualTo(PubSubSendRefusedException.Reason.SEND_BUDGET));
        });
        app.deliver();

        assertThat(inbox.messages).containsExactlyElementsOf(accepted);
        assertThat(hub.stats().refused()).isEqualTo(1);
        assertThat(hub.stats().sent()).isEqualTo(5);
    }

    @Test
    void tabsOfOneBrowserSession_shareOneBudget_whileAnotherSessionHasItsOwn() {
        PubSubHub.builder().sendBudget(1, 4).install(app.service);
        VaadinApp.Browser browser = app.browser();
        UI first = browser.pushTab();
        UI second = browser.pushTab();
        UI elsewhere = app.browser().pushTab();

        first.accessSynchronously(() -> {
            PubSub.current().sendAll("a");
            PubSub.current().sendAll("b");
        });
        second.accessSynchronously(() -> {
            PubSub.current().sendAll("c");
            PubSub.current().sendAll("d");
            assertThatThrownBy(() -> PubSub.current().sendOthers("e")).isInstanceOf(PubSubSendRefusedException.class);
        });
        first.accessSynchronously(() -> assertThatThrownBy(() -> PubSub.current().sendAllOnTopic("t", "f"))
                .isInstanceOf(PubSubSendRefusedException.class));
        elsewhere.accessSynchronously(() -> {
            for (int i = 0; i < 4; i++) {
                PubSub.current().sendOthersOnTopic("t", i);
            }
        });
    }

    @Test
    void budget_refillsAtItsRate() throws InterruptedException {
        PubSubHub.builder().sendBudget(50, 1).install(app.service);
        UI page = app.browser().pushTab();
        page.accessSynchronously(() -> {
            PubSub.current().sendAll("now");
            assertThatThrownBy(() -> PubSub.current().sendAll("too soon")).isInstanceOf(PubSubSendRefusedException.class);
        });

        Thread.sleep(60); // one message per 20 ms

        page.accessSynchronously(() -> PubSub.current().sendAll("later"));
    }

    @Test
    void serverSends_areNotBudgeted() {
        PubSubHub hub = PubSubHub.builder().sendBudget(1, 1).install(app.service);
        UI page = app.browser().pushTab();
        Inbox inbox = new Inbox(page);
        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));

        for (int i = 0; i < 100; i++) {
            hub.sendAll(i);
        }
        app.deliver();

        assertThat(inbox.messages).hasSize(100);
        assertThat(hub.stats().refused()).isZero();
    }

    @Test
    void defaultBudget_isTenPerSecondInBurstsOfTwenty() {
        PubSubHub hub = app.hub();
        UI page = app.browser().pushTab();
        page.accessSynchronously(() -> {
            for (int i = 0; i < 20; i++) {
                PubSub.current().sendAll(i);
            }
            assertThatThrownBy(() -> PubSub.current().sendAll(20)).isInstanceOf(PubSubSendRefusedException.class);
        });
        assertThat(hub.stats().refused()).isEqualTo(1);
    }

    @Test
    void noSendBudget_letsPagesSendAsFastAsTheyLike() {
        PubSubHub hub = PubSubHub.builder().noSendBudget().install(app.service);
        UI page = app.browser().pushTab();
        page.accessSynchronously(() -> {
            for (int i = 0; i < 1_000; i++) {
                PubSub.current().sendAll(i);
            }
        });
        assertThat(hub.stats().refused()).isZero();
    }

    @Test
    void badBudgets_failAtTheBuilder() {
        assertThatThrownBy(() -> PubSubHub.builder().sendBudget(0, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messagesPerSecond");
        assertThatThrownBy(() -> PubSubHub.builder().sendBudget(Double.NaN, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PubSubHub.builder().sendBudget(5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("burst");
    }

    @Test
    void anEndedSession_isNotKeptReachableByItsBudget() throws InterruptedException {
        app.hub();
        VaadinApp.Browser browser = app.browser();
        UI page = browser.pushTab();
        page.accessSynchronously(() -> PubSub.current().sendAll("hello"));
        WeakReference<Object> session = new WeakReference<>(browser.session);
        browser.expire();
        page = null;
        browser = null;

        for (int i = 0; i < 50 && session.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(session.get()).as("the session, after it ended").isNull();
    }
}
