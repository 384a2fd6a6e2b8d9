package dev.flowpubsub;

import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.SendBudgets.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The send budgets on their own: a burst, then the rate, per browser session, one warning each. */
class SendBudgetsTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void aSession_mayBurst_thenIsRefused_andOnlyItsFirstRefusalAsksForALogLine() {
        SendBudgets budgets = new SendBudgets(0.5, 3);
        VaadinSession session = app.browser().session;

        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            verdicts.add(budgets.charge(session));
        }

        assertThat(verdicts).containsExactly(Verdict.ALLOWED, Verdict.ALLOWED, Verdict.ALLOWED, Verdict.REFUSED_FIRST,
                Verdict.REFUSED);
    }

    @Test
    void eachSession_hasABudgetOfItsOwn() {
        SendBudgets budgets = new SendBudgets(0.5, 1);
        VaadinSession greedy = app.browser().session;
        VaadinSession other = app.browser().session;
        budgets.charge(greedy);
        assertThat(budgets.charge(greedy)).isEqualTo(Verdict.REFUSED_FIRST);

        assertThat(budgets.charge(other)).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void aRefusedSession_maySendAgain_atTheRate() {
        SendBudgets budgets = new SendBudgets(20, 1);
        VaadinSession session = app.browser().session;
        budgets.charge(session);
        assertThat(budgets.charge(session)).isNotEqualTo(Verdict.ALLOWED);

        await().atMost(2, TimeUnit.SECONDS).until(() -> budgets.charge(session) == Verdict.ALLOWED);
    }

    @Test
    void aRateThatIsNotAPositiveNumber_orABurstBelowOne_isRefusedWithItsName() {
        for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new SendBudgets(rate, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("send budget rate");
        }
        assertThatThrownBy(() -> new SendBudgets(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("send budget burst");
    }
}
