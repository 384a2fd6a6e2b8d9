package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

/** A page's presence on a topic; {@link #remove()} leaves, and so does the page detaching. */
final class PresenceJoin implements PresenceRegistration {

    private static final long serialVersionUID = 1L;

    /** Transient, as in {@link Subscription}: after a session is read back, {@link #remove()} does nothing. */
    final transient @Nullable Page page;
    final transient Presences.@Nullable Member member;

    PresenceJoin(@Nullable Page page, Presences.Member member) {
        this.page = page;
        this.member = member;
    }

    /** The entry; there is one while it is live (none once read back from a session). */
    Presences.Member member() {
        Presences.Member live = member;
        if (live == null) {
            throw new IllegalStateException("this presence ended when its session was serialized; join again");
        }
        return live;
    }

    @Override
    public Presence presence() {
        if (member == null) {
            throw new IllegalStateException("this presence ended when its session was serialized; join again");
        }
        return member.presence();
    }

    @Override
    public void remove() {
        if (page != null) {
            page.removeJoin(this);
        }
    }
}
