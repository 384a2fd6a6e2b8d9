package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinSession;
import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * What a send passes before it is numbered: a page's send is charged to its browser session's budget, and every send
 * takes a place in the hub's bounded inbox (a page's is refused when it is full, server code's waits for room up to the
 * send timeout). Each refusal is counted; a session's first is logged.
 *
 * <p>Threading: any thread, outside any lock (a server send may wait here).
 */
final class SendGate {

    private final @Nullable SendBudgets budgets;
    private final HubInbox inbox;
    private final Counters counters;
    private final long sendTimeoutNanos;
    /** Whether the hub is closing: then nothing passes. */
    private final java.util.function.BooleanSupplier closing;

    SendGate(@Nullable SendBudgets budgets, HubInbox inbox, Counters counters, long sendTimeoutNanos,
             java.util.function.BooleanSupplier closing) {
        this.budgets = budgets;
        this.inbox = inbox;
        this.counters = counters;
        this.sendTimeoutNanos = sendTimeoutNanos;
        this.closing = closing;
    }

    /**
     * Charges a page's send to its browser session's budget.
     *
     * @throws PubSubSendRefusedException if the session has used up its budget
     */
    void charge(UI ui) {
        VaadinSession session = ui.getSession();
        SendBudgets sessionBudgets = budgets;
        if (sessionBudgets == null || session == null) {
            return; // no budget, or a detached page: no user left to send for it
        }
        SendBudgets.Verdict verdict = sessionBudgets.charge(session);
        if (verdict == SendBudgets.Verdict.ALLOWED) {
            return;
        }
        counters.refused.increment();
        if (verdict == SendBudgets.Verdict.REFUSED_FIRST) {
            Logs.DELIVERY.warn("flow-pubsub: the browser session of UI {} sends more than its budget of {} messages/s "
                    + "(bursts of {}): its sends are refused with PubSubSendRefusedException. Further refusals for "
                    + "this session are only counted (PubSubHub.stats().refused()).", ui.getUIId(),
                    sessionBudgets.rate(), sessionBudgets.burst());
        }
        throw new PubSubSendRefusedException(PubSubSendRefusedException.Reason.SEND_BUDGET,
                "UI " + ui.getUIId() + " sends too fast: its browser session may send " + sessionBudgets.rate()
                        + " messages per second, in bursts of up to " + sessionBudgets.burst() + " (PubSubHubBuilder.sendBudget, "
                        + "pubsub.send-budget.* with Spring; in a test, PubSubTesting.install(hub -> hub.noSendBudget()))");
    }

    /**
     * Takes a place in the inbox for one message: a page's send is refused when the inbox is full, a send from server
     * code waits for room up to the send timeout.
     *
     * @throws PubSubSendRefusedException if there is no room
     * @throws IllegalStateException      if the hub is closing
     */
    void admit(Dispatcher.Sender sender) {
        ensureOpen();
        if (inbox.tryReserve()) {
            return;
        }
        boolean admitted = false;
        if (sender == Dispatcher.Sender.SERVER) {
            try {
                admitted = inbox.reserve(sendTimeoutNanos);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            ensureOpen();
        }
        if (!admitted) {
            counters.refused.increment();
            throw new PubSubSendRefusedException(PubSubSendRefusedException.Reason.INBOX_FULL,
                    sender == Dispatcher.Sender.PAGE
                            ? "the hub's inbox is full (" + inbox.capacity() + " messages): it cannot take messages "
                                    + "this fast; try again in a moment"
                            : "the hub's inbox stayed full (" + inbox.capacity() + " messages) for "
                                    + Duration.ofNanos(sendTimeoutNanos).toMillis() + " ms: the fan-out cannot keep up "
                                    + "with what is sent (pubsub.inbox-capacity, pubsub.send-timeout)");
        }
    }

    /** @throws IllegalStateException if the hub is closing */
    void ensureOpen() {
        if (closing.getAsBoolean()) {
            throw new IllegalStateException("this PubSub hub is closed (its Vaadin service was destroyed, or close() "
                    + "was called): nothing can be sent or subscribed through it any more");
        }
    }
}
