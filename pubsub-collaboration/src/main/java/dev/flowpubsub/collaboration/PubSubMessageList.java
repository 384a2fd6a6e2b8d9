package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.HasStyle;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.messages.MessageListItem;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.Retargetable;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A chat with history: Vaadin's {@link MessageList} showing the messages posted on a topic, on every server. Opening a
 * topic (when attached, or {@link #setTopic}) shows the topic's recent messages first, then live ones, with no gap and
 * no repeat: from the hub's history ({@link PubSub#subscribeTopicWithHistory}; keep the topic's history with
 * {@code HistoryPolicy.keep(n, prefix)} or {@code pubsub.history.*}), or from the application's own store with a
 * {@link MessagePersister}. A {@link PubSubMessageInput} made with this list posts to it.
 *
 * <pre>{@code
 * PubSubMessageList messages = new PubSubMessageList("room:" + room);
 * add(messages, new PubSubMessageInput(messages));
 * }</pre>
 *
 * <p>The counterpart of Collaboration Kit's {@code CollaborationMessageList}. It keeps the last
 * {@linkplain #setMaxMessages(int) 200} messages. Messages cross servers as maps the default codec carries, so no
 * {@code pubsub.allowed-types} is needed; anything else sent on the topic is not shown.
 *
 * <p>Threading: build it, and call its setters, on the page's thread or inside {@code ui.access}; messages reach it
 * inside its page's {@code ui.access}.
 */
public final class PubSubMessageList extends Composite<MessageList> implements HasSize, HasStyle {

    private final UserInfo user;
    private final Retargetable<String> topic;
    private final List<PostedMessage> shown = new ArrayList<>();
    /** Ids of the messages read from the persister, so that the same ones arriving live show once. */
    private final Set<String> readFromStore = new HashSet<>();
    private @Nullable MessagePersister persister;
    private int maxMessages = 200;

    /** A list for the {@linkplain CurrentUser#get() current user} on {@code topic}. */
    public PubSubMessageList(@Nullable String topic) {
        this(CurrentUser.get(), topic);
    }

    /** A list for {@code user} (who a {@link PubSubMessageInput} of it posts as) on {@code topic}, or on none. */
    public PubSubMessageList(UserInfo user, @Nullable String topic) {
        this(user, topic, null);
    }

    /** A list for {@code user} on {@code topic} whose messages {@code persister} keeps. */
    public PubSubMessageList(UserInfo user, @Nullable String topic, @Nullable MessagePersister persister) {
        this.user = Objects.requireNonNull(user, "user");
        this.persister = persister;
        this.topic = PubSub.whileAttached(this).retargetable(this::open);
        this.topic.retarget(topic);
    }

    private void open(PubSub pubsub, String name) {
        shown.clear();
        readFromStore.clear();
        MessagePersister store = persister;
        if (store == null) {
            pubsub.subscribeTopicWithHistory(name, Object.class, this::arrived);
        } else {
            pubsub.subscribeTopic(name, Object.class, this::arrived);
            for (PostedMessage message : store.recent(name)) {
                readFromStore.add(message.id());
                shown.add(message);
            }
        }
        trim();
        getContent().setItems(shown.stream().map(PubSubMessageList::item).toList());
    }

    private void arrived(Object sent) {
        PostedMessage message = Wire.message(sent);
        if (message == null || readFromStore.remove(message.id())) {
            return;
        }
        shown.add(message);
        if (trim()) {
            getContent().setItems(shown.stream().map(PubSubMessageList::item).toList());
        } else {
            getContent().addItem(item(message));
        }
    }

    private boolean trim() {
        if (shown.size() <= maxMessages) {
            return false;
        }
        shown.subList(0, shown.size() - maxMessages).clear();
        return true;
    }

    /** Shows {@code topic}'s messages from now on (null: none): its recent ones, then live ones. */
    public void setTopic(@Nullable String topic) {
        this.topic.retarget(topic);
    }

    /** The topic shown, or null. */
    public @Nullable String getTopic() {
        return topic.target();
    }

    /** Keeps messages in the application's store; takes effect when a topic is next opened. Null: the hub's history. */
    public void setPersister(@Nullable MessagePersister persister) {
        this.persister = persister;
    }

    /** The store set, or null. */
    public @Nullable MessagePersister getPersister() {
        return persister;
    }

    /** How many messages it keeps, the newest; 200 by default. */
    public void setMaxMessages(int maxMessages) {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1, not " + maxMessages);
        }
        this.maxMessages = maxMessages;
        if (trim()) {
            getContent().setItems(shown.stream().map(PubSubMessageList::item).toList());
        }
    }

    /** The user this page posts as. */
    public UserInfo getLocalUser() {
        return user;
    }

    /** The messages shown, oldest first. */
    public List<PostedMessage> getMessages() {
        return List.copyOf(shown);
    }

    private static MessageListItem item(PostedMessage message) {
        MessageListItem item = new MessageListItem(message.text(), message.time(), message.author().name(),
                message.author().image());
        item.setUserAbbreviation(message.author().abbreviation());
        item.setUserColorIndex(message.author().colorIndex());
        return item;
    }
}
