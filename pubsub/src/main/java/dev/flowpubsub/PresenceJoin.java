package dev.flowpubsub;


/** A page's presence on a topic; {@link #remove()} leaves, and so does the page detaching. */
final class PresenceJoin implements PresenceRegistration {

    final UiEndpoint endpoint;
    final Presences.Member member;

    PresenceJoin(UiEndpoint endpoint, Presences.Member member) {
        this.endpoint = endpoint;
        this.member = member;
    }

    @Override
    public Presence presence() {
        return member.presence();
    }

    @Override
    public void remove() {
        endpoint.removeJoin(this);
    }
}
