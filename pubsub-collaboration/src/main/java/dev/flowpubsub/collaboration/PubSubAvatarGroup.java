package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.HasStyle;
import com.vaadin.flow.component.avatar.AvatarGroup;
import com.vaadin.flow.component.avatar.AvatarGroup.AvatarGroupItem;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.Retargetable;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Objects;

/**
 * Who is here: Vaadin's {@link AvatarGroup} showing everyone present on a topic, on every server. Each page that shows
 * one is present on its topic while the group is attached (flow-pubsub's presence, {@link PubSub#join}), and the group
 * follows the topic's joins and leaves. A user with several tabs, on one server or several, shows once; a user whose
 * browser died goes when the hub's disconnect grace has passed, as all presence does.
 *
 * <pre>{@code
 * PubSubAvatarGroup here = new PubSubAvatarGroup("room:" + room);   // the signed-in user, see CurrentUser
 * add(here);
 * }</pre>
 *
 * <p>The counterpart of Collaboration Kit's {@code CollaborationAvatarGroup}. The topic is a flow-pubsub topic, so the
 * application's {@code TopicAuthorizer} decides who may join and list it.
 *
 * <p>Threading: build it, and call its setters, on the page's thread (a constructor, a listener) or inside
 * {@code ui.access}; presence changes reach it inside its page's {@code ui.access}.
 */
public final class PubSubAvatarGroup extends Composite<AvatarGroup> implements HasSize, HasStyle {

    private final UserInfo user;
    private final PresentUsers present = new PresentUsers();
    private final Retargetable<String> topic;
    private boolean ownAvatarVisible = true;

    /** A group for the {@linkplain CurrentUser#get() current user} on {@code topic}. */
    public PubSubAvatarGroup(@Nullable String topic) {
        this(CurrentUser.get(), topic);
    }

    /**
     * A group for {@code user} on {@code topic}; a null topic shows nobody until {@link #setTopic} gives one.
     *
     * @throws dev.flowpubsub.PubSubAccessDeniedException if the page may not join or list the topic (also thrown by
     *                                                    the attach or {@link #setTopic} that asks)
     */
    public PubSubAvatarGroup(UserInfo user, @Nullable String topic) {
        this.user = Objects.requireNonNull(user, "user");
        this.topic = PubSub.whileAttached(this).retargetable((pubsub, name) -> {
            present.clear();
            render();
            pubsub.join(name, Wire.user(this.user));
            pubsub.subscribePresence(name, event -> {
                if (present.apply(event)) {
                    render();
                }
            });
        });
        this.topic.retarget(topic);
    }

    /** Shows who is present on {@code topic} from now on (null: nobody), and makes this page present there. */
    public void setTopic(@Nullable String topic) {
        this.topic.retarget(topic);
    }

    /** The topic followed, or null. */
    public @Nullable String getTopic() {
        return topic.target();
    }

    /** Whether this page's own user is among the avatars; shown by default, as in Collaboration Kit. */
    public void setOwnAvatarVisible(boolean visible) {
        ownAvatarVisible = visible;
        render();
    }

    /** Whether this page's own user is among the avatars. */
    public boolean isOwnAvatarVisible() {
        return ownAvatarVisible;
    }

    /** How many avatars show before the rest fold into a "+n" one; null for the component's default. */
    public void setMaxItemsVisible(@Nullable Integer max) {
        getContent().setMaxItemsVisible(max);
    }

    /** The user this page shows itself as. */
    public UserInfo getLocalUser() {
        return user;
    }

    /** The users shown, one per user in the order they came: what the avatars show. */
    public List<UserInfo> getUsers() {
        return ownAvatarVisible ? present.users() : present.users(user.id());
    }

    private void render() {
        getContent().setItems(getUsers().stream().map(PubSubAvatarGroup::item).toList());
    }

    static AvatarGroupItem item(UserInfo user) {
        AvatarGroupItem item = new AvatarGroupItem(user.name(), user.image());
        item.setAbbreviation(user.abbreviation());
        item.setColorIndex(user.colorIndex());
        return item;
    }
}
