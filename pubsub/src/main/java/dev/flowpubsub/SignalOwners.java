package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Node;
import com.vaadin.flow.signals.SignalCommand;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Owned shared-signal entries: an entry inserted for a page or a browser session is removed, on every node, when its
 * owner goes. The owner's liveness is presence's own: each owner is a presence entry on an internal topic, so it
 * ends when the page closes, when its browser stays gone past the disconnect grace, when the session ends, and, seen
 * from the other nodes, when its node stops or restarts under the same id. Its id is derived from the presence
 * entry's id, which names the node's instance, so any node computes the owner of any entry it learns has left.
 *
 * <p>When an owner leaves, its own node clears it in every name it wrote to (loading a name it let go); every other
 * node clears it in the names it holds, which covers a node that died. A sweep each heartbeat clears owners found in a
 * held name that no node has present, twice, a silence apart: names loaded after their owner left, and owners of a
 * node that stopped while no one held the name. Clearing is Vaadin's {@code ClearOwnerCommand}, which removes the
 * owner's nodes and nothing else, so clearing twice changes nothing the second time.
 *
 * <p>Threading: {@link #ofPage} under the page's session lock; {@link #ofSession} and {@link #wrote} from any thread;
 * leaves arrive on the fan-out task and are handed to the hub's executor, where the sweep runs too.
 */
final class SignalOwners {

    private static final Logger LOG = Logs.CLUSTER;

    /** The presence topic of owners. */
    static final String TOPIC = Dispatcher.INTERNAL + "signal-owners";
    private static final String PAGE = "page";
    private static final String SESSION = "session";

    /** What the owners need of the hub: presence, its executor and timer, who this node is, how long a silence is. */
    record Hooks(Dispatcher dispatcher, PresenceLinks links, Presences presences, Executor work, HubTimer timer,
                 String instanceId, long silentNanos) {
    }

    private final Hooks hooks;
    private final SignalReplica replica;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong numbers = new AtomicLong();
    /** This node's owners still present, by presence entry id: the names each wrote owned entries to. */
    private final Map<String, Set<String>> namesOf = new ConcurrentHashMap<>();
    /** Guards the three maps below, held weakly: a page or a session gone leaves no trace here. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<UI, Owner> pages = new WeakHashMap<>();
    private final Map<VaadinSession, Presences.Member> sessions = new WeakHashMap<>();
    private final Set<VaadinService> watchedServices = Collections.newSetFromMap(new WeakHashMap<>());
    /** Owners the sweep found absent, and since when. Sweep only. */
    private final Map<Id, Long> absentSince = new ConcurrentHashMap<>();

    /** An owner: the id its entries carry, and the presence entry that keeps it. */
    record Owner(Id id, String presenceId) {
        static Owner of(String presenceId) {
            return new Owner(ownerOf(presenceId), presenceId);
        }
    }

    private final @Nullable ScheduledFuture<?> sweeps;

    SignalOwners(Hooks hooks, SignalReplica replica) {
        this.hooks = hooks;
        this.replica = replica;
        hooks.presences().onLeave(this::left);
        // alone (no transport) an owner's own node clears it, and nothing of another node is left to sweep
        sweeps = hooks.silentNanos() > 0
                ? hooks.timer().repeat(() -> hooks.work().execute(this::sweep), hooks.silentNanos() / 3) : null;
    }

    /** Stops clearing: the hub closes. */
    void close() {
        hooks.presences().onLeave(null);
        if (sweeps != null) {
            sweeps.cancel(false);
        }
    }

    /** The owner id of a presence entry: any node computes it alike. Never one of Vaadin's reserved ids. */
    static Id ownerOf(String presenceId) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : presenceId.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        long value = hash;
        boolean reserved = value == Id.ZERO.value() || value == Id.EDGE.value() || value == Id.MAX.value();
        return new Id(reserved ? value ^ 0x5bd1e995L : value);
    }

    /** The owner of {@code ui}'s entries, made present on first use. The page's session lock held. */
    Owner ofPage(UI ui) {
        lock.lock();
        try {
            Owner owner = pages.get(ui);
            if (owner == null) {
                // not taken by a component's subscriptions being recorded: the owner lives as long as the page
                owner = Owner.of(TakenDuring.unrecorded(() -> hooks.dispatcher().join(ui, TOPIC, PAGE)).presence().id());
                pages.put(ui, owner);
                namesOf.put(owner.presenceId(), ConcurrentHashMap.newKeySet());
            }
            return owner;
        } finally {
            lock.unlock();
        }
    }

    /** The owner of {@code session}'s entries, made present on first use until the session ends. */
    Owner ofSession(VaadinSession session) {
        Presences.Member member;
        lock.lock();
        try {
            member = sessions.get(session);
            if (member == null) {
                String id = hooks.instanceId() + "-o" + numbers.incrementAndGet();
                member = new Presences.Member(TOPIC, id, SESSION, System.currentTimeMillis(), hooks.instanceId());
                sessions.put(session, member);
                namesOf.put(id, ConcurrentHashMap.newKeySet());
                hooks.links().join(member);
                VaadinService service = session.getService();
                if (service != null && watchedServices.add(service)) {
                    service.addSessionDestroyListener(event -> sessionEnded(event.getSession()));
                }
            }
        } finally {
            lock.unlock();
        }
        return Owner.of(member.id());
    }

    private void sessionEnded(VaadinSession session) {
        Presences.Member member;
        lock.lock();
        try {
            member = sessions.remove(session);
        } finally {
            lock.unlock();
        }
        if (member != null) {
            hooks.links().leave(member);
        }
    }

    /** Notes that {@code owner} of this node wrote an owned entry to {@code name}, to clear it there when it goes. */
    void wrote(Owner owner, String name) {
        Set<String> names = namesOf.get(owner.presenceId()); // there from its making until it leaves
        if (names == null) {
            throw new IllegalStateException("the owner of these writes has gone (its page closed or was away past the "
                    + "disconnect grace, or its session ended): ask ClusterSignals.ownedByPage or ownedBySession again");
        }
        names.add(name);
    }

    /** Fan-out task: an entry left presence, here or on another node. */
    private void left(Presences.Member member) {
        if (!TOPIC.equals(member.topic())) {
            return;
        }
        Set<String> names = namesOf.remove(member.id());
        lock.lock();
        try {
            pages.values().removeIf(owner -> owner.presenceId().equals(member.id())); // a later write joins anew
        } finally {
            lock.unlock();
        }
        Id owner = ownerOf(member.id());
        hooks.work().execute(() -> {
            if (names != null) { // this node's owner: clear it where it wrote, even a write still on its way
                names.forEach(name -> clear(tree(name), owner));
            }
            for (SignalTrees.Ref ref : replica.trees.refs()) {
                ClusterSignalTree tree = ref.loadedTree();
                if (tree != null && (names == null || !names.contains(tree.name())) && holds(tree, owner)) {
                    clear(tree, owner);
                }
            }
        });
    }

    /**
     * Clears owners found in a held name that no node has present: absent at two sweeps a silence apart, so that an
     * owner whose presence has not reached this node yet (it is told in windows) is not taken for gone.
     */
    private void sweep() {
        long now = System.nanoTime();
        if (now - startedNanos < hooks.silentNanos()) {
            return; // this node has not heard every other node yet
        }
        Set<Id> present = new HashSet<>();
        hooks.presences().present(TOPIC).forEach(presence -> present.add(ownerOf(presence.id())));
        Map<ClusterSignalTree, Set<Id>> found = new java.util.HashMap<>();
        for (SignalTrees.Ref ref : replica.trees.refs()) {
            ClusterSignalTree tree = ref.loadedTree();
            if (tree != null) {
                for (Node node : tree.confirmed().nodes().values()) {
                    Id owner = node instanceof Node.Data data ? data.scopeOwner() : null;
                    if (owner != null && !present.contains(owner)) {
                        found.computeIfAbsent(tree, t -> new HashSet<>()).add(owner);
                    }
                }
            }
        }
        Set<Id> absent = new HashSet<>();
        found.values().forEach(absent::addAll);
        absentSince.keySet().retainAll(absent);
        Set<Id> due = new HashSet<>();
        for (Id owner : absent) {
            if (now - absentSince.computeIfAbsent(owner, id -> now) >= hooks.silentNanos()) {
                due.add(owner);
                absentSince.put(owner, now); // tried again a silence later if still there
            }
        }
        found.forEach((tree, owners) -> owners.stream().filter(due::contains).forEach(owner -> clear(tree, owner)));
    }

    private static boolean holds(ClusterSignalTree tree, Id owner) {
        for (Node node : tree.confirmed().nodes().values()) {
            if (node instanceof Node.Data data && owner.equals(data.scopeOwner())) {
                return true;
            }
        }
        return false;
    }

    private @Nullable ClusterSignalTree tree(String name) {
        try {
            return replica.tree(name);
        } catch (IllegalStateException closed) {
            return null;
        }
    }

    private static void clear(@Nullable ClusterSignalTree tree, Id owner) {
        if (tree == null) {
            return;
        }
        try {
            tree.commitSingleCommand(new SignalCommand.ClearOwnerCommand(Id.random(), owner));
        } catch (PubSubSignalRefusedException e) {
            LOG.debug("Owner {} of shared signal '{}' not cleared now ({}); the sweep tries again", owner.asBase64(),
                    tree.name(), e.getMessage());
        }
    }
}
