package dev.flowpubsub;

import java.util.concurrent.ScheduledFuture;

/**
 * When pages' batches run: on the {@link DeliveryLanes} now, held back by the {@link BatchPacer}, after the page's last
 * push ({@link PushWaits}); and the disconnect grace on the hub's {@link HubTimer}.
 *
 * <p>Threading: any thread.
 */
final class PageRuns implements PageServices.Runs {

    private final DeliveryLanes lanes;
    private final BatchPacer pacer;
    private final PushWaits pushWaits;
    private final HubTimer timer;
    private final long disconnectGraceNanos;

    PageRuns(DeliveryLanes lanes, BatchPacer pacer, PushWaits pushWaits, HubTimer timer, long disconnectGraceNanos) {
        this.lanes = lanes;
        this.pacer = pacer;
        this.pushWaits = pushWaits;
        this.timer = timer;
        this.disconnectGraceNanos = disconnectGraceNanos;
    }

    @Override
    public void now(Page page) {
        lanes.schedule(page);
    }

    @Override
    public void after(Page page, long delayNanos) {
        pacer.holdBack(page, delayNanos);
    }

    @Override
    public void afterPush(Page page, PageAccess access) {
        pushWaits.await(page, access);
    }

    @Override
    public ScheduledFuture<?> afterDisconnectGrace(Runnable action) {
        return timer.schedule(action, disconnectGraceNanos);
    }
}
