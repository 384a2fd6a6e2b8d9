package dev.flowpubsub;

import com.vaadin.flow.server.Version;
import com.vaadin.flow.signals.shared.impl.AsynchronousSignalTree;
import com.vaadin.flow.signals.shared.impl.CommandsAndHandlers;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * What cluster signal trees need of Vaadin's {@code impl} package beyond its public and protected API: the queue of
 * a tree's unconfirmed commands, to end a write that will never be confirmed. Checked when the first cluster signal
 * is made, so a flow-server where it differs fails then, with a message naming the versions that work, instead of
 * misbehaving later.
 *
 * <p>Thread-safe.
 */
final class SignalTreeAccess {

    /** The flow-server versions this release was built and tested with. */
    static final String TESTED_VERSIONS = "25.2.x";

    private static final Object UNCONFIRMED = find(AsynchronousSignalTree.class);

    private SignalTreeAccess() {
    }

    /** The field, or the error that says why it is not what the code relies on. */
    static Object find(Class<?> tree) {
        try {
            Field field = tree.getDeclaredField("unconfirmedCommands");
            if (field.getType() != CommandsAndHandlers.class || Modifier.isStatic(field.getModifiers())) {
                throw new NoSuchFieldException("unconfirmedCommands is " + field);
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new IllegalStateException("flow-pubsub's shared signals do not work with flow-server "
                    + Version.getFullVersion() + ": its " + tree.getSimpleName() + " is not the one they rely on ("
                    + e + "). Versions that work: flow-server " + TESTED_VERSIONS, e);
        }
    }

    /**
     * Fails, naming the versions that work, when this flow-server's signal tree is not the one relied on.
     *
     * @throws IllegalStateException if it is not
     */
    static void check() {
        if (UNCONFIRMED instanceof IllegalStateException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The tree's queue of unconfirmed commands; the caller holds the tree's lock. */
    static CommandsAndHandlers unconfirmed(AsynchronousSignalTree tree) {
        check();
        try {
            return (CommandsAndHandlers) ((Field) UNCONFIRMED).get(tree);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
