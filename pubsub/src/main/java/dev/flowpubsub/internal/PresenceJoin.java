package dev.flowpubsub.internal;

import com.vaadin.flow.shared.Registration;

/** A page's presence on a topic; {@link #remove()} leaves, and so does the page detaching. */
final class PresenceJoin implements Registration {

    final UiEndpoint endpoint;
    final Presences.Member member;

    PresenceJoin(UiEndpoint endpoint, Presences.Member member) {
        this.endpoint = endpoint;
        this.member = member;
    }

    @Override
    public void remove() {
        endpoint.removeJoin(this);
    }
}
