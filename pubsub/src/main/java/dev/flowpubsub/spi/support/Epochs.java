package dev.flowpubsub.spi.support;

import java.util.Locale;
import java.util.UUID;

/**
 * Signal log epochs that order: {@code <order>-<id>}, the order a number of 13 digits (an engine's clock in
 * milliseconds, or a counter), the id unique. A node compares the epochs two states come from when the engine lost its
 * data: the state of a later epoch is the newer one, whatever position each was read to.
 *
 * <p>Thread-safe: stateless.
 */
public final class Epochs {

    private Epochs() {
    }

    /** A new epoch, ordered by this JVM's clock: for an engine that finds its log without one. */
    public static String next() {
        return of(System.currentTimeMillis(), UUID.randomUUID().toString());
    }

    /** The epoch of order {@code order} (at least 0) and id {@code id}. */
    public static String of(long order, String id) {
        if (order < 0) {
            throw new IllegalArgumentException("order must be at least 0, not " + order);
        }
        return String.format(Locale.ROOT, "%013d-%s", order, Arguments.notNull(id, "id"));
    }

    /**
     * How epoch {@code a} orders against {@code b}: positive when it is later, negative when earlier, 0 when they are
     * of the same order or either has none (not made by this class).
     */
    public static int compare(String a, String b) {
        long orderA = order(a);
        long orderB = order(b);
        return orderA < 0 || orderB < 0 ? 0 : Long.compare(orderA, orderB);
    }

    private static long order(String epoch) {
        if (epoch.length() < 14 || epoch.charAt(13) != '-') {
            return -1;
        }
        for (int i = 0; i < 13; i++) {
            if (epoch.charAt(i) < '0' || epoch.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(epoch.substring(0, 13));
    }
}
