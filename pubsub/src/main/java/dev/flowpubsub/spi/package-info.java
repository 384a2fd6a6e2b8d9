/**
 * What extension authors implement: a {@link dev.flowpubsub.spi.Transport} that carries messages between the
 * nodes of a cluster, and a {@link dev.flowpubsub.spi.MessageCodec} that encodes them. Applications only pick
 * one, for example {@code RedisTransport} from flow-pubsub-redis.
 *
 * <p>A transport that carries shared signals also gives a {@link dev.flowpubsub.spi.SignalLog}: positions, one total
 * order for every node, the writer's included, snapshots per signal name, a trim watermark and epochs.
 *
 * <p><b>Provisional.</b> This SPI is not frozen until the first release and may change incompatibly until then. The
 * helpers the bundled transports share are in {@link dev.flowpubsub.spi.support}, which is not API at all.
 */
@NullMarked
package dev.flowpubsub.spi;

import org.jspecify.annotations.NullMarked;
