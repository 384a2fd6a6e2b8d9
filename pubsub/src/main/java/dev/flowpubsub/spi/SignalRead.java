package dev.flowpubsub.spi;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link SignalLog#read} found, with the log's state at that moment.
 *
 * @param epoch   the log's identity: it changes when the engine lost its data (a Redis without persistence
 *                restarted empty), and positions start again from 1 then
 * @param head    the position of the newest entry (0: none yet in this epoch)
 * @param trimmed the trim watermark: the highest position trimmed away (0: none). A reader whose position is below
 *                it has a hole and must load snapshots instead of applying what follows
 * @param entries the entries found, oldest first, each with its position
 */
public record SignalRead(String epoch, long head, long trimmed, List<SignalEntry> entries) {

    /** Keeps an unmodifiable copy of the entries. */
    public SignalRead {
        Objects.requireNonNull(epoch, "epoch must not be null");
        entries = List.copyOf(entries);
    }
}
