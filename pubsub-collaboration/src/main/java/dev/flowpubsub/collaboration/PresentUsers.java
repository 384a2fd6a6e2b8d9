package dev.flowpubsub.collaboration;

import dev.flowpubsub.PresenceEvent;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is present on one topic, as users: presence entries are per page (a user with three tabs has three), this
 * folds them into one {@link UserInfo} per user id, in the order each user first came (by the time their earliest
 * entry joined, then by id, so every server shows the same order). An entry whose descriptor is not a user
 * (something else joined the topic) is left out.
 *
 * <p>Threading: not thread-safe; its owner calls it under the page's session lock (presence handlers run there).
 */
final class PresentUsers implements Serializable {

    private final Map<String, Present> byEntry = new LinkedHashMap<>();

    private record Present(UserInfo user, long joinedAt) implements Serializable {
    }

    /** Applies a presence event; true if the entries changed. */
    boolean apply(PresenceEvent event) {
        String entry = event.presence().id();
        return switch (event.kind()) {
            case PRESENT, JOIN -> {
                UserInfo user = Wire.user(event.presence().descriptor());
                Present present = user == null ? null : new Present(user, event.presence().joinedAt());
                yield present != null && !present.equals(byEntry.put(entry, present));
            }
            case LEAVE -> byEntry.remove(entry) != null;
        };
    }

    /** Forgets everyone (the topic changed). */
    void clear() {
        byEntry.clear();
    }

    /** One per user id, in the order they first came; {@code without} left out (null leaves nobody out). */
    List<UserInfo> users(String without) {
        List<Present> inOrder = new ArrayList<>(byEntry.values());
        inOrder.sort(Comparator.comparingLong(Present::joinedAt).thenComparing(present -> present.user().id()));
        List<UserInfo> users = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Present present : inOrder) {
            if (!present.user().id().equals(without) && seen.add(present.user().id())) {
                users.add(present.user());
            }
        }
        return users;
    }

    /** One per user id, everyone. */
    List<UserInfo> users() {
        return users("");
    }
}
