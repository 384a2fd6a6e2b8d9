package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.HasStyle;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.messages.MessageInput;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.function.SerializableConsumer;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubAccessDeniedException;
import dev.flowpubsub.PubSubSendRefusedException;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Vaadin's {@link MessageInput}, posting to a {@link PubSubMessageList}'s topic as the list's user: the message is
 * stored by the list's {@link MessagePersister}, if it has one, then sent to everyone on the topic, on every server
 * (the sender's own list shows it as everyone's does: each sender's messages in the order sent, as flow-pubsub
 * delivers any message; two people posting at once on two servers may show in either order, not always the same).
 *
 * <p>The hub's limits apply as to any send: a page that posts faster than its browser session's send budget, a
 * user the {@code TopicAuthorizer} does not let send on the topic, or a message larger than the hub sends across
 * servers ({@code maxMessageBytes}, 64 KiB by default) or than {@link #setMaxLength} allows is refused at the
 * submit, and the user is told
 * (by default a notification quoting what was not sent; {@link #setRefusalHandler} changes that). Nothing is sent
 * then, and the persister is asked to {@linkplain MessagePersister#discard discard} what it stored.
 *
 * <p>The counterpart of Collaboration Kit's {@code CollaborationMessageInput}.
 *
 * <p>Threading: submits run on the page's thread with its session lock held.
 */
public final class PubSubMessageInput extends Composite<MessageInput> implements HasSize, HasStyle {

    private final PubSubMessageList list;
    private SerializableConsumer<Refusal> refusalHandler = PubSubMessageInput::notify;
    private int maxLength = Wire.MAX_TEXT;

    /** Why a post was not sent, and its text. */
    public record Refusal(String text, RuntimeException cause) {

        /** How much of a refused text the explanation quotes. */
        private static final int QUOTED = 200;

        /** What the user is told: why, and what they wrote. */
        public String explanation() {
            String why;
            if (cause instanceof PubSubAccessDeniedException) {
                why = "You may not post here.";
            } else if (cause instanceof PubSubSendRefusedException sendRefused
                    && sendRefused.reason() == PubSubSendRefusedException.Reason.SEND_BUDGET) {
                why = "You are sending too fast; wait a moment and try again.";
            } else if (cause instanceof IllegalArgumentException) {
                why = "Your message is too long.";
            } else {
                why = "Your message could not be sent; try again.";
            }
            String quoted = text.length() > QUOTED ? text.substring(0, QUOTED) + "\u2026" : text;
            return why + " Not sent: \u201c" + quoted + "\u201d";
        }
    }

    /** An input posting to {@code list}'s topic as its user. */
    public PubSubMessageInput(PubSubMessageList list) {
        this.list = Objects.requireNonNull(list, "list");
        getContent().addSubmitListener(event -> post(event.getValue()));
    }

    /** Who is told when a post is refused; by default a notification with the reason and the text not sent. */
    public void setRefusalHandler(SerializableConsumer<Refusal> refusalHandler) {
        this.refusalHandler = Objects.requireNonNull(refusalHandler, "refusalHandler");
    }

    /**
     * The longest message a user may post, in characters; a longer one is refused at the submit and the user told.
     * 100,000 by default, which is also the most.
     */
    public void setMaxLength(int maxLength) {
        if (maxLength < 1 || maxLength > Wire.MAX_TEXT) {
            throw new IllegalArgumentException("maxLength must be from 1 to " + Wire.MAX_TEXT + ", not " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** The longest message a user may post, in characters. */
    public int getMaxLength() {
        return maxLength;
    }

    private void post(String text) {
        String topic = list.getTopic();
        UI ui = UI.getCurrent();
        if (topic == null || ui == null || text.isBlank()) {
            return;
        }
        PostedMessage message = new PostedMessage(UUID.randomUUID().toString(), topic, list.getLocalUser(), text,
                Instant.now());
        PubSub pubsub = PubSub.of(ui);
        if (text.length() > maxLength) {
            refusalHandler.accept(new Refusal(text, new IllegalArgumentException("more than " + maxLength
                    + " characters")));
            return;
        }
        MessagePersister store = list.getPersister();
        if (store != null) {
            store.store(message);
        }
        try {
            pubsub.sendAllOnTopic(topic, Wire.message(message));
        } catch (PubSubSendRefusedException | PubSubAccessDeniedException | IllegalArgumentException refused) {
            // IllegalArgumentException: larger encoded than the hub's maxMessageBytes
            if (store != null) {
                store.discard(message);
            }
            refusalHandler.accept(new Refusal(text, refused));
        }
    }

    private static void notify(Refusal refusal) {
        Notification shown = Notification.show(refusal.explanation(), 5000, Notification.Position.BOTTOM_CENTER);
        shown.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
}
