package dev.flowpubsub;

import com.vaadin.flow.server.Version;
import com.vaadin.flow.signals.shared.impl.AsynchronousSignalTree;
import com.vaadin.flow.signals.shared.impl.CommandsAndHandlers;
import com.vaadin.flow.signals.shared.impl.Snapshot;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * What cluster signal trees need of Vaadin's {@code impl} package beyond its public and protected API: the queue of
 * a tree's unconfirmed commands, to end a write that will never be confirmed, and its confirmed and submitted
 * snapshots, to replace the state exactly (Vaadin's own snapshot command only adds nodes). Checked when the first
 * cluster signal is made, so a flow-server where they differ fails then, with a message naming the versions that
 * work, instead of misbehaving later.
 *
 * <p>Thread-safe; the tree's fields are only touched by a caller holding the tree's lock.
 */
final class SignalTreeAccess {

    /** The flow-server versions this release was built and tested with. */
    static final String TESTED_VERSIONS = "25.2.x";

    private static final Map<String, Class<?>> FIELDS = Map.of("unconfirmedCommands", CommandsAndHandlers.class,
            "confirmed", Snapshot.class, "submitted", Snapshot.class);

    private static final Object ACCESS = find(AsynchronousSignalTree.class);

    private SignalTreeAccess() {
    }

    /** The fields by name, or the error that says why they are not what the code relies on. */
    static Object find(Class<?> tree) {
        try {
            java.util.HashMap<String, Field> found = new java.util.HashMap<>();
            for (Map.Entry<String, Class<?>> wanted : FIELDS.entrySet()) {
                Field field = tree.getDeclaredField(wanted.getKey());
                boolean mustSet = !wanted.getKey().equals("unconfirmedCommands");
                if (field.getType() != wanted.getValue() || Modifier.isStatic(field.getModifiers())
                        || (mustSet && Modifier.isFinal(field.getModifiers()))) {
                    throw new NoSuchFieldException(wanted.getKey() + " is " + field);
                }
                field.setAccessible(true);
                found.put(wanted.getKey(), field);
            }
            return Map.copyOf(found);
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
        if (ACCESS instanceof IllegalStateException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The tree's queue of unconfirmed commands; the caller holds the tree's lock. */
    static CommandsAndHandlers unconfirmed(AsynchronousSignalTree tree) {
        return (CommandsAndHandlers) get("unconfirmedCommands", tree);
    }

    /** Sets the tree's confirmed and submitted snapshots; the caller holds the tree's lock. */
    static void setSnapshots(AsynchronousSignalTree tree, Snapshot confirmed, Snapshot submitted) {
        set("confirmed", tree, confirmed);
        set("submitted", tree, submitted);
    }

    private static Field field(String name) {
        check();
        @SuppressWarnings("unchecked")
        Map<String, Field> fields = (Map<String, Field>) ACCESS;
        return java.util.Objects.requireNonNull(fields.get(name));
    }

    private static Object get(String name, AsynchronousSignalTree tree) {
        try {
            return java.util.Objects.requireNonNull(field(name).get(tree));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(String name, AsynchronousSignalTree tree, Object value) {
        try {
            field(name).set(tree, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
