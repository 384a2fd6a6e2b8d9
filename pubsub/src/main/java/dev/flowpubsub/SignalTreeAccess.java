package dev.flowpubsub;

import com.vaadin.flow.server.Version;
import com.vaadin.flow.signals.shared.impl.AsynchronousSignalTree;
import com.vaadin.flow.signals.shared.impl.CommandsAndHandlers;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * What cluster signal trees need of Vaadin's {@code impl} package beyond its public and protected API: the queue of
 * a tree's unconfirmed commands, to end a write that will never be confirmed. Checked once, when the first cluster
 * signal is made, so a flow-server where it differs fails with a message naming the versions that work instead of
 * misbehaving later.
 *
 * <p>Thread-safe.
 */
final class SignalTreeAccess {

    /** The flow-server versions this release was built and tested with. */
    static final String TESTED_VERSIONS = "25.2.x";

    private static final Field UNCONFIRMED = find();

    private SignalTreeAccess() {
    }

    private static Field find() {
        try {
            Field field = AsynchronousSignalTree.class.getDeclaredField("unconfirmedCommands");
            if (field.getType() != CommandsAndHandlers.class || Modifier.isStatic(field.getModifiers())) {
                throw new NoSuchFieldException("unconfirmedCommands is " + field);
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("flow-pubsub's cluster signals do not work with flow-server "
                    + Version.getFullVersion() + ": its AsynchronousSignalTree differs (" + e.getMessage()
                    + "). Versions that work: flow-server " + TESTED_VERSIONS, e);
        }
    }

    /** Fails, naming the versions that work, when this flow-server's signal tree is not the one relied on. */
    static void check() {
        // loading the class ran find()
    }

    /** The tree's queue of unconfirmed commands; the caller holds the tree's lock. */
    static CommandsAndHandlers unconfirmed(AsynchronousSignalTree tree) {
        try {
            return (CommandsAndHandlers) UNCONFIRMED.get(tree);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
