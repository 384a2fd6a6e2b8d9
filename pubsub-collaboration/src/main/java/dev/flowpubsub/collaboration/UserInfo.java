package dev.flowpubsub.collaboration;

import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.util.Objects;

/**
 * Who a user is, as the collaboration components show them: an avatar in a {@link PubSubAvatarGroup}, the author of a
 * message in a {@link PubSubMessageList}, the marker on a field someone edits in a {@link PubSubBinder}. Like
 * Collaboration Kit's {@code UserInfo}, but a value: equal ids are the same user, whatever tab or server they are on.
 *
 * <p>By default {@link CurrentUser#get()} makes one from the signed-in user; an application that knows more (a
 * picture, a display name) makes its own and sets it with {@link CurrentUser#set}.
 *
 * @param id           identifies the user; the same person on several tabs or servers has one id. Not blank.
 * @param name         the name shown. Not blank.
 * @param image        the address of the user's picture, or null for none
 * @param abbreviation the letters shown where there is no picture, or null to let the avatar take them from the name
 * @param colorIndex   which of the theme's user colours marks this user (Lumo has seven, 0 to 6); at least 0
 */
public record UserInfo(String id, String name, @Nullable String image, @Nullable String abbreviation, int colorIndex)
        implements Serializable {

    /** How many user colours Vaadin's Lumo theme defines ({@code --vaadin-user-color-0} to {@code -6}). */
    static final int COLORS = 7;

    /** @throws IllegalArgumentException for a blank id or name, or a negative colour index */
    public UserInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a user's id must not be blank");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("a user's name must not be blank (user " + id + ")");
        }
        if (colorIndex < 0) {
            throw new IllegalArgumentException("a user's colour index must be 0 or more, not " + colorIndex);
        }
    }

    /**
     * A user with no picture, letters taken from the name, and a colour taken from the id, so that every server
     * gives one user the same colour.
     */
    public static UserInfo of(String id, String name) {
        Objects.requireNonNull(id, "id");
        return new UserInfo(id, name, null, null, Math.floorMod(id.hashCode(), COLORS));
    }

    /** This user with a picture. */
    public UserInfo withImage(@Nullable String image) {
        return new UserInfo(id, name, image, abbreviation, colorIndex);
    }

    /** This user with letters of their own. */
    public UserInfo withAbbreviation(@Nullable String abbreviation) {
        return new UserInfo(id, name, image, abbreviation, colorIndex);
    }

    /** This user with another colour. */
    public UserInfo withColorIndex(int colorIndex) {
        return new UserInfo(id, name, image, abbreviation, colorIndex);
    }
}
