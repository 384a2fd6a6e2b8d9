package dev.flowpubsub;

import com.vaadin.flow.shared.Registration;
import org.jspecify.annotations.NullMarked;

/**
 * A page's presence on a topic, from {@link PubSub#join}: {@link #remove()} leaves (a second call does nothing),
 * and {@link #presence()} is the entry others see, so a page can tell its own entry among those it follows.
 */
@NullMarked
public interface PresenceRegistration extends Registration {

    /** This join's entry, as every page on every node sees it. */
    Presence presence();
}
