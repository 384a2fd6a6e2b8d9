/**
 * What extension authors implement: a {@link dev.flowpubsub.spi.Transport} that carries messages between the
 * nodes of a cluster, and a {@link dev.flowpubsub.spi.MessageCodec} that encodes them. Applications only pick
 * one, for example {@code RedisTransport} from flow-pubsub-redis.
 *
 * <p><b>Provisional.</b> This SPI is not frozen yet: the shared-signals engine work will reshape it (a transport will
 * need to give positions in its log, one total order for every node, the sender's included, and storage for
 * snapshots), and it may change incompatibly until then. The helpers the bundled transports share are in
 * {@link dev.flowpubsub.spi.support}, which is not API at all.
 */
@NullMarked
package dev.flowpubsub.spi;

import org.jspecify.annotations.NullMarked;
