package dev.flowpubsub;

import com.vaadin.flow.server.Version;
import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Node;
import com.vaadin.flow.signals.SignalCommand;
import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalSnapshot;
import dev.flowpubsub.spi.support.Epochs;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * Turns a tree's commands and snapshots into the bytes a {@link dev.flowpubsub.spi.SignalLog} stores, and back. A
 * dedicated mapper: no default typing, so only Vaadin's closed {@link SignalCommand} set (its own
 * {@code @JsonSubTypes}) and {@link Node} set can be decoded; read limits on depth and on string, number and name
 * length; unknown properties refused.
 *
 * <p>Thread-safe: the mapper is immutable.
 */
final class SignalCodec {

    /** The version of the format this release writes and reads. */
    static final int FORMAT = 1;
    /** The largest state (a snapshot, a re-seed) a node reads: a tree's nodes are bounded in number, this in bytes. */
    static final int MAX_STATE_BYTES = 64 * 1024 * 1024;

    private static final StreamReadConstraints READ_LIMITS = StreamReadConstraints.builder().maxNestingDepth(200)
            .maxNumberLength(1_000).maxStringLength(1024 * 1024).maxNameLength(64 * 1024).build();

    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_LIMITS).build())
            .deactivateDefaultTyping().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    /** What an entry holds: the commands of one submit, or a whole state that replaces the tree's (a re-seed). */
    record Payload(@Nullable List<SignalCommand> commands, @Nullable State reseed) {
    }

    /**
     * A tree's confirmed state: its nodes, as Vaadin's {@link SignalCommand.SnapshotCommand} carries them, the last
     * sequence applied per origin, so that whoever loads it skips the same repeats as the others, and where the state
     * was re-seeded from since the engine last lost its data ({@code null}: not since); {@code epoch} is the log's
     * epoch it belongs to, so that a snapshot an engine kept from before it lost its data (or that a node that had not
     * noticed yet wrote) is not taken for one of the new log. {@code changedAt} is the log position of the last entry
     * that changed the state in its epoch (0: none): a re-seed carries the one it was made on, and only a tree still
     * at it takes the re-seed.
     */
    record State(SignalCommand.SnapshotCommand nodes, Map<String, Long> origins, @Nullable Seed seed, String epoch,
            long changedAt) {
        State {
            origins = Map.copyOf(origins);
        }

        static State of(Map<Id, Node> nodes, Map<String, Long> origins, @Nullable Seed seed, String epoch,
                long changedAt) {
            return new State(new SignalCommand.SnapshotCommand(Id.random(), Map.copyOf(nodes)), origins, seed, epoch,
                    changedAt);
        }
    }

    /**
     * Where a re-seed's state comes from: the engine's former epoch, the position the re-seeding node had read it up
     * to, and where the state had been re-seeded from in that epoch ({@code base}, itself without a base; {@code null}
     * when it had not). Of two re-seeds, the one of the later former epoch wins (a state re-seeded from the other's
     * epoch is later; else {@link Epochs} orders), then the one read further, then the one whose base wins: on every node alike, even after writes were applied on top of the other
     * (its node then re-seeds its state with those writes applied on top).
     */
    record Seed(String epoch, long position, @Nullable Seed base) {

        /** Where a state held at {@code epoch} and read to {@code position} comes from, on top of {@code held}. */
        static Seed of(String epoch, long position, @Nullable Seed held) {
            return new Seed(epoch, position, held == null ? null : new Seed(held.epoch, held.position, null));
        }

        /** Whether a tree holding {@code held} takes a re-seed from {@code this}. */
        boolean beats(@Nullable Seed held) {
            if (held == null) {
                return true;
            }
            if (!epoch.equals(held.epoch)) {
                if (base != null && base.epoch.equals(held.epoch)) {
                    return true; // this state was re-seeded from the held one's epoch: it is the later one
                }
                if (held.base != null && held.base.epoch.equals(epoch)) {
                    return false;
                }
                return Epochs.compare(epoch, held.epoch) > 0; // else the engine's order; none: the one in place stays
            }
            if (position != held.position) {
                return position > held.position;
            }
            return base != null && base.beats(held.base);
        }
    }

    /** The flow-server version of this JVM, written on every entry and snapshot. */
    static String writer() {
        return Version.getFullVersion();
    }

    byte[] commands(List<SignalCommand> commands) {
        return mapper.writeValueAsBytes(new Payload(commands, null));
    }

    byte[] reseed(State state) {
        return mapper.writeValueAsBytes(new Payload(null, state));
    }

    byte[] state(State state) {
        return mapper.writeValueAsBytes(state);
    }

    /**
     * An entry's payload, checked: the format known, exactly one of commands and re-seed, no snapshot command among
     * the commands (only a re-seed replaces a tree).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    Payload decode(SignalEntry entry) {
        checkFormat(entry.format(), entry.writer());
        Payload payload;
        try {
            payload = mapper.readValue(entry.payload(), Payload.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a signal entry: " + e.getOriginalMessage(), e);
        }
        List<SignalCommand> commands = payload.commands();
        if ((commands == null) == (payload.reseed() == null)) {
            throw new IllegalArgumentException("a signal entry holds either commands or a re-seed");
        }
        if (commands != null) {
            if (commands.isEmpty()) {
                throw new IllegalArgumentException("a signal entry without commands");
            }
            commands.forEach(SignalCodec::checkNotSnapshot);
        }
        return payload;
    }

    /** A stored snapshot's state, checked as an entry is. */
    State decode(SignalSnapshot snapshot) {
        checkFormat(snapshot.format(), snapshot.writer());
        if (snapshot.payload().length > MAX_STATE_BYTES) {
            throw new IllegalArgumentException("a snapshot of " + snapshot.payload().length
                    + " bytes, more than a state's limit of " + MAX_STATE_BYTES);
        }
        try {
            return mapper.readValue(snapshot.payload(), State.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a signal snapshot: " + e.getOriginalMessage(), e);
        }
    }

    private static void checkFormat(int format, String writer) {
        if (format != FORMAT) {
            throw new IllegalArgumentException("signal format " + format + ", written by flow-server " + writer
                    + ", is not one this node reads (format " + FORMAT + ", flow-server " + writer()
                    + "): run the same flow-pubsub release on every node");
        }
    }

    private static void checkNotSnapshot(SignalCommand command) {
        if (command instanceof SignalCommand.SnapshotCommand) {
            throw new IllegalArgumentException("a snapshot command among a submit's commands");
        }
        if (command instanceof SignalCommand.TransactionCommand transaction) {
            transaction.commands().forEach(SignalCodec::checkNotSnapshot);
        }
    }
}
