package dev.flowpubsub;

import com.vaadin.flow.signals.operations.InsertOperation;
import com.vaadin.flow.signals.operations.PutIfAbsentResult;
import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.spi.support.Arguments;

/**
 * Inserts into shared signals whose entries belong to an owner, a page or a browser session, and are removed on every
 * node when the owner goes: from {@link ClusterSignals#ownedByPage} or {@link ClusterSignals#ownedBySession}. The
 * entries are ordinary ones meanwhile: anyone may read, change or remove them.
 *
 * <pre>{@code
 * SharedMapSignal<String> editing = signals.map("ticket-42.editing", String.class);
 * signals.ownedByPage(ui).putIfAbsent(editing, "title", userName);   // gone when this page goes
 * }</pre>
 *
 * <p>Only signals made by {@link ClusterSignals} itself ({@code list(...)}, {@code map(...)}) take owned entries, not
 * their children nor Vaadin's local signals. Writes are checked, ordered and refused as any other write; a
 * refused one throws {@link PubSubSignalRefusedException}. Threading: as the signal's own methods.
 */
public final class OwnedWrites {

    private final SignalOwners owners;
    private final SignalOwners.Owner owner;

    OwnedWrites(SignalOwners owners, SignalOwners.Owner owner) {
        this.owners = owners;
        this.owner = owner;
    }

    /** Inserts {@code value} last in {@code list}, owned. */
    public <T> InsertOperation<SharedValueSignal<T>> insertLast(SharedListSignal<T> list, T value) {
        return insertAt(list, value, SharedListSignal.ListPosition.last());
    }

    /** Inserts {@code value} first in {@code list}, owned. */
    public <T> InsertOperation<SharedValueSignal<T>> insertFirst(SharedListSignal<T> list, T value) {
        return insertAt(list, value, SharedListSignal.ListPosition.first());
    }

    /** Inserts {@code value} at {@code position} in {@code list}, owned. */
    public <T> InsertOperation<SharedValueSignal<T>> insertAt(SharedListSignal<T> list, T value,
                                                              SharedListSignal.ListPosition position) {
        Arguments.notNull(position, "position");
        if (!(list instanceof ClusterSignals.ListOf<T> ours)) {
            throw new IllegalArgumentException("owned entries go into a list made by ClusterSignals.list(...), "
                    + "not into " + list.getClass().getName());
        }
        owners.wrote(owner, ours.name());
        return ours.insertOwned(value, position, owner.id());
    }

    /**
     * Puts {@code value} under {@code key} in {@code map}, owned, unless the key holds a value already (then the entry
     * and its owner stay as they are: the result's {@code created()} is false).
     */
    public <T> SignalOperation<PutIfAbsentResult<SharedValueSignal<T>>> putIfAbsent(SharedMapSignal<T> map, String key,
                                                                                   T value) {
        Arguments.notNull(key, "key");
        if (!(map instanceof ClusterSignals.MapOf<T> ours)) {
            throw new IllegalArgumentException("owned entries go into a map made by ClusterSignals.map(...), "
                    + "not into " + map.getClass().getName());
        }
        owners.wrote(owner, ours.name());
        return ours.putIfAbsentOwned(key, value, owner.id());
    }
}
