package dev.flowpubsub.collaboration;

import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinSession;
import org.jspecify.annotations.Nullable;

import java.security.Principal;
import java.util.Objects;

/**
 * The user a browser session belongs to, as the collaboration components show them.
 *
 * <p>By default it is the signed-in user: the request's {@link Principal}, which is what Spring Security (and any
 * servlet container's login) sets, becomes {@code UserInfo.of(name, name)}. An application that knows more, or
 * signs people in some other way, sets the user once per session with {@link #set}, for example right after its
 * login; what it sets wins over the principal.
 *
 * <p>Threading: call it where {@code VaadinSession.getCurrent()} is set. The principal is read from the current
 * request, so a component that takes its user from here is made while a request is handled (as views are); a user
 * {@link #set} is kept in the session and found in {@code ui.access} too.
 */
public final class CurrentUser {

    private static final String ATTRIBUTE = CurrentUser.class.getName();

    private CurrentUser() {
    }

    /** Sets who {@code session}'s user is, for every component made in it from now on. */
    public static void set(VaadinSession session, UserInfo user) {
        Objects.requireNonNull(session, "session").setAttribute(ATTRIBUTE, Objects.requireNonNull(user, "user"));
    }

    /**
     * The current session's user: the one {@link #set} gave, else the signed-in user of the current request.
     *
     * @throws IllegalStateException when there is no session, or nobody signed in and none was set, saying so
     */
    public static UserInfo get() {
        VaadinSession session = VaadinSession.getCurrent();
        if (session == null) {
            throw new IllegalStateException("no Vaadin session on this thread: pass the UserInfo to the component, "
                    + "or make it inside a request or ui.access()");
        }
        UserInfo user = find(session);
        if (user == null) {
            throw new IllegalStateException("nobody is signed in on this session: call CurrentUser.set(session, "
                    + "UserInfo.of(id, name)) first, or pass the UserInfo to the component");
        }
        return user;
    }

    /** The session's user as {@link #get()} finds it, or null where there is none. */
    static @Nullable UserInfo find(VaadinSession session) {
        if (session.getAttribute(ATTRIBUTE) instanceof UserInfo set) {
            return set;
        }
        VaadinRequest request = VaadinRequest.getCurrent();
        Principal principal = request == null ? null : request.getUserPrincipal();
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            return null;
        }
        return UserInfo.of(principal.getName(), principal.getName());
    }
}
