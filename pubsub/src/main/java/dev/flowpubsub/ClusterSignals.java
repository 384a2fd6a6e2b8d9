package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Node;
import com.vaadin.flow.signals.SignalCommand;
import com.vaadin.flow.signals.function.CommandValidator;
import com.vaadin.flow.signals.operations.InsertOperation;
import com.vaadin.flow.signals.operations.PutIfAbsentResult;
import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedNodeSignal;
import com.vaadin.flow.signals.shared.SharedNumberSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import com.vaadin.flow.signals.shared.impl.SignalTree;
import dev.flowpubsub.spi.MessageCodec;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.support.Arguments;
import dev.flowpubsub.testing.InMemoryEngine;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Vaadin's shared signals, by name, backed by the hub's engine: every node that asks for a name gets a signal on the
 * same state, and every node applies writes in one order, the writer's own among them. The objects are Vaadin's own
 * {@link SharedValueSignal}, {@link SharedListSignal}, {@link SharedMapSignal}, {@link SharedNumberSignal} and
 * {@link SharedNodeSignal}, so {@code bindText}, {@code ComponentEffect} and every other signal API work unchanged.
 * On a hub without a transport they work the same, in memory.
 *
 * <pre>{@code
 * SharedValueSignal<String> title = ClusterSignals.current().value("board.title", String.class);
 * SharedListSignal<Card> cards = ClusterSignals.current().list("board.cards", Card.class);
 * }</pre>
 *
 * <p>A write is applied on every node when the engine gives it back; until then the writer's node shows it as
 * Vaadin's local shared signals do. A write that will never be applied leaves the writer's view: refused at once (not
 * authorized, over the send budget or a size limit, too many waiting, the engine unreachable, the hub closed), the
 * call fails with {@link PubSubSignalRefusedException}; refused later (the engine did not take it in time), or of an
 * outcome not known here (the engine lost its data before the node read it back), its operation's result completes
 * with Vaadin's {@code SignalOperation.Error} naming the reason, {@code refused:} or {@code unknown:}. Values travel
 * as JSON and are read back as the signal's declared type, which the hub's {@link JsonCodec} must allow.
 *
 * <p>Threading: any thread. Making a signal of a name this node does not hold yet waits for its state to load, up to
 * a few seconds. Every node confirms writes on a thread of its own, in the log's order; the effects a confirm starts
 * (bindings, {@code ComponentEffect}) run on the hub's executor, each taking its page's lock. An operation's result
 * completes where Vaadin says: through the page for a write made in a page; on the node's signal thread for a write
 * from a background thread, so keep such callbacks short, or use the {@code ...Async} forms of
 * {@link java.util.concurrent.CompletableFuture}.
 *
 * <p>See docs/guarantees.md ("Shared signals across servers") for what is promised, and what happens when the
 * engine loses its data.
 */
public final class ClusterSignals {

    private static final Set<Class<?>> BUILT_IN = Set.of(String.class, Integer.class, Long.class, Short.class,
            Byte.class, Double.class, Float.class, Boolean.class, Character.class, BigDecimal.class, BigInteger.class);

    /** Every hub's signals running in this JVM, to read a serialized session back where no service is current. */
    private static final Set<ClusterSignals> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final SignalLog log;
    /** Whether the log is this object's own (in memory, without transport); a transport closes its own. */
    private final boolean ownsLog;
    private final SignalReplica replica;
    private final TopicAuthorizer authorizer;
    private final @Nullable MessageCodec codec;

    private final SignalOwners owners;

    private ClusterSignals(SignalLog log, boolean ownsLog, SignalReplica replica, TopicAuthorizer authorizer,
                           @Nullable MessageCodec codec, SignalOwners owners) {
        this.log = log;
        this.ownsLog = ownsLog;
        this.replica = replica;
        this.authorizer = authorizer;
        this.codec = codec;
        this.owners = owners;
    }

    /** The hub's signals on its engine's signal log, or in memory without transport. */
    static ClusterSignals start(Outbound outbound, SignalSettings settings, TopicAuthorizer authorizer,
                                @Nullable MessageCodec codec, Dispatcher dispatcher) {
        boolean local = outbound instanceof LocalOutbound;
        SignalLog log;
        if (local) {
            log = InMemoryEngine.threaded().signalLog(outbound.instanceId());
        } else {
            log = outbound.signalLog().orElseThrow(() -> new UnsupportedOperationException("the hub's transport "
                    + "carries no shared signals: use RedisTransport or PostgresTransport, or a hub without transport"));
        }
        Function<String, @Nullable String> gate = name -> {
            UI ui = UI.getCurrent();
            if (ui == null) {
                return null; // server code: trusted, as its sends are
            }
            if (!authorizer.allows(ui, TopicAuthorizer.Action.WRITE_SIGNAL, name)) {
                return "authorization: this page may not write the shared signal '" + name + "'";
            }
            try {
                dispatcher.chargeBudget(ui);
                return null;
            } catch (PubSubSendRefusedException e) {
                return "send budget: " + e.getMessage();
            }
        };
        try {
            SignalReplica replica = new SignalReplica(log, outbound.instanceId(), settings, gate, dispatcher.pageWork());
            ClusterSignals signals = new ClusterSignals(log, local, replica, authorizer, local ? null : codec,
                    new SignalOwners(dispatcher.ownerHooks(), replica));
            LIVE.add(signals);
            return signals;
        } catch (RuntimeException e) {
            if (local) {
                log.close();
            }
            throw e;
        }
    }

    /**
     * The signals a tree read back from a serialized session belongs to: those of the current Vaadin service's hub,
     * or else the only ones running in this JVM; {@code null} when there is no telling.
     */
    static @Nullable ClusterSignals forReading() {
        com.vaadin.flow.server.VaadinService service = com.vaadin.flow.server.VaadinService.getCurrent();
        if (service != null) {
            return PubSubHub.get(service).signals();
        }
        List<ClusterSignals> live = List.copyOf(LIVE);
        return live.size() == 1 ? live.getFirst() : null;
    }

    /** Stops the replica (and the in-memory log of a hub without transport; a transport closes its own). */
    void close() {
        LIVE.remove(this);
        owners.close();
        replica.close();
        if (ownsLog) {
            log.close();
        }
    }

    /** Whether this node's signal writes have ended and their effects are on their way to their pages. Any thread. */
    boolean settled() {
        return replica.settled();
    }

    /** The replica, for tests in this package. */
    SignalReplica replica() {
        return replica;
    }

    /** This node's shared signals: counters, where it is in the log, its last snapshot. Any thread. */
    public SignalStats stats() {
        return replica.stats();
    }

    /** The signals of the current Vaadin service's hub ({@link PubSubHub#current()}). */
    public static ClusterSignals current() {
        return PubSubHub.current().signals();
    }

    /** A value signal named {@code name} holding a {@code type}. */
    public <T> SharedValueSignal<T> value(String name, Class<T> type) {
        return new Value<>(tree(name, "value of " + allowed(type).getName()), type);
    }

    /** A list signal named {@code name} of {@code elementType}. */
    public <T> SharedListSignal<T> list(String name, Class<T> elementType) {
        return new ListOf<>(tree(name, "list of " + allowed(elementType).getName()), elementType);
    }

    /** A map signal named {@code name} with values of {@code valueType}. */
    public <T> SharedMapSignal<T> map(String name, Class<T> valueType) {
        return new MapOf<>(tree(name, "map of " + allowed(valueType).getName()), valueType);
    }

    /** A number signal named {@code name}. */
    public SharedNumberSignal number(String name) {
        return new NumberOf(tree(name, "number"));
    }

    /** A node signal named {@code name}: a tree of values, lists and maps. */
    public SharedNodeSignal node(String name) {
        return new NodeOf(tree(name, "node"));
    }

    /**
     * The signal named {@code name} as a read-only node signal, whatever kind it was made as: its values and children
     * as Vaadin keeps them, for tools and tests that compare what nodes hold ({@code PubSubCluster}'s
     * {@code assertSignalTreesEqual}). It does not fix the name's kind; writes through it are refused.
     */
    public SharedNodeSignal readOnly(String name) {
        return new NodeOf(readable(name)).asReadonly();
    }

    /**
     * Writes whose entries belong to the page {@code ui} and leave with it, on every node: when it closes, when its
     * browser stays gone past the disconnect grace, when its server stops or restarts. For a cursor, a "who is editing"
     * mark, a vote in progress. Call it where the page's code runs (its session's lock held).
     *
     * <pre>{@code signals.ownedByPage(ui).insertLast(cursors, new Cursor(user, 0, 0));}</pre>
     */
    public OwnedWrites ownedByPage(UI ui) {
        Arguments.notNull(ui, "ui");
        if (ui.getSession() == null) {
            throw new IllegalStateException("the page is not attached to a session: it has no life to own entries for");
        }
        if (!ui.getSession().hasLock()) {
            throw new IllegalStateException("call ownedByPage(ui) with the page's session locked: in its event "
                    + "handlers, or inside ui.access(...)");
        }
        return new OwnedWrites(owners, owners.ofPage(ui));
    }

    /**
     * Writes whose entries belong to a browser session and leave with it, on every node: when the session ends
     * (closed, or expired), or when the server it lives on stops or restarts. They outlive a page's reload.
     */
    public OwnedWrites ownedBySession(VaadinSession session) {
        return new OwnedWrites(owners, owners.ofSession(Arguments.notNull(session, "session")));
    }

    /**
     * Writes a snapshot of every name this node holds that changed since its last one, and compacts the log down to
     * its retention, now rather than at the next periodic turn (every 30 seconds): before a planned restart of the
     * engine, say. The stage completes when it is done, or fails with why (the engine unreachable).
     */
    public CompletableFuture<Void> snapshotNow() {
        return replica.snapshotNow();
    }

    /** How many names this node holds state for now; a name no signal object uses any more is let go. */
    public int namesInUse() {
        return replica.stats().namesInUse();
    }

    private ClusterSignalTree tree(String name, String kind) {
        ClusterSignalTree tree = readable(name);
        String held = tree.claim(kind);
        if (!held.equals(kind)) {
            throw new IllegalArgumentException("the shared signal '" + name + "' is a " + held + " on this node, not a "
                    + kind + ": use one kind and type per name");
        }
        return tree;
    }

    private ClusterSignalTree readable(String name) {
        Arguments.nonBlank(name, "name");
        UI ui = UI.getCurrent();
        if (ui != null && !authorizer.allows(ui, TopicAuthorizer.Action.READ_SIGNAL, name)) {
            throw new PubSubAccessDeniedException(ui.getUIId(), TopicAuthorizer.Action.READ_SIGNAL, name);
        }
        return replica.tree(name);
    }

    private <T> Class<T> allowed(Class<T> type) {
        Arguments.notNull(type, "type");
        if (codec instanceof JsonCodec json && !BUILT_IN.contains(type) && !json.allowedTypes().contains(type)) {
            throw new IllegalArgumentException(type.getName() + " is not allowed by the hub's codec, so a shared "
                    + "signal cannot hold it across servers: add it to JsonCodec.allowing(...)");
        }
        return type;
    }

    /* Vaadin's signal classes take a tree through protected constructors only. */

    private static final class Value<T> extends SharedValueSignal<T> {
        Value(SignalTree tree, Class<T> type) {
            this(tree, Id.ZERO, type);
        }

        Value(SignalTree tree, Id id, Class<T> type) {
            super(tree, id, CommandValidator.ACCEPT_ALL, type);
        }
    }

    /** A list signal of a name; takes owned inserts ({@link OwnedWrites}). */
    static final class ListOf<T> extends SharedListSignal<T> {
        private final Class<T> type;

        ListOf(SignalTree tree, Class<T> type) {
            super(tree, Id.ZERO, CommandValidator.ACCEPT_ALL, type);
            this.type = type;
        }

        String name() {
            return ((ClusterSignalTree) tree()).name();
        }

        InsertOperation<SharedValueSignal<T>> insertOwned(T value, ListPosition at, Id owner) {
            return submitInsert(new SignalCommand.InsertCommand(Id.random(), id(), owner, toJson(value), at),
                    child -> new Value<>(tree(), child, type));
        }
    }

    /** A map signal of a name; takes owned puts ({@link OwnedWrites}). */
    static final class MapOf<T> extends SharedMapSignal<T> {
        private final Class<T> type;

        MapOf(SignalTree tree, Class<T> type) {
            super(tree, Id.ZERO, CommandValidator.ACCEPT_ALL, type);
            this.type = type;
        }

        String name() {
            return ((ClusterSignalTree) tree()).name();
        }

        SignalOperation<PutIfAbsentResult<SharedValueSignal<T>>> putIfAbsentOwned(String key, T value, Id owner) {
            Id command = Id.random();
            return submit(new SignalCommand.PutIfAbsentCommand(command, id(), owner, key, toJson(value)), accept -> {
                boolean created = accept.updates().containsKey(command);
                Id entry = command;
                if (!created) { // the key's entry as the put found it
                    var map = accept.updates().get(id());
                    Node held = map == null ? tree().confirmed().data(id()).orElse(null) : map.newNode();
                    entry = held instanceof Node.Data data ? data.mapChildren().getOrDefault(key, command) : command;
                }
                return new PutIfAbsentResult<>(created, new Value<>(tree(), entry, type));
            });
        }
    }

    private static final class NumberOf extends SharedNumberSignal {
        NumberOf(SignalTree tree) {
            super(tree, Id.ZERO, CommandValidator.ACCEPT_ALL);
        }
    }

    private static final class NodeOf extends SharedNodeSignal {
        NodeOf(SignalTree tree) {
            super(tree, Id.ZERO, CommandValidator.ACCEPT_ALL);
        }
    }
}
