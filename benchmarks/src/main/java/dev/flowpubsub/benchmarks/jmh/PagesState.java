package dev.flowpubsub.benchmarks.jmh;

import dev.flowpubsub.benchmarks.contenders.Contender;
import dev.flowpubsub.benchmarks.contenders.Contenders;
import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;
import dev.flowpubsub.benchmarks.fixture.Probe;
import dev.flowpubsub.benchmarks.fixture.VaadinPages;

import java.time.Duration;

/**
 * N open pages, all subscribed through one contender: the state every fan-out benchmark starts from. Built once
 * per trial (each trial has its own JVM fork), checked for soundness when torn down.
 */
public abstract class PagesState {

    /** Longest a benchmark waits for one fan-out before it calls the run broken; the smoke test shortens it. */
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("bench.timeoutSeconds", 120));

    /** Sends made to no page before the pages subscribe, enough for the JIT to compile the send path. */
    static final int WARM_SENDS = Integer.getInteger("bench.warmSends", 20_000);

    VaadinPages pages;
    Contender subject;
    Probe probe;
    String name;

    void open(String contenderName, int n, int uisPerSession) {
        name = contenderName;
        pages = new VaadinPages(n, uisPerSession);
        subject = Contenders.create(contenderName, pages);
        warmSendPath();
        for (Page page : pages.pages()) {
            subject.subscribe(page);
        }
        probe = pages.probe;
        probe.audience(n);
    }

    /**
     * Sends {@link #WARM_SENDS} messages to no page, each let settle, before the pages subscribe, so the send path is
     * compiled before it is measured. With 100,000 pages a trial makes only a few dozen sends (each fan-out takes
     * about half a second), too few for the JIT: the send call was then measured interpreted, and looked as if it
     * grew with N (BENCHMARKS.md, the sender's call).
     */
    private void warmSendPath() {
        Msg warm = new Msg(-1, "warm-up");
        for (int i = 0; i < WARM_SENDS; i++) {
            subject.send(warm);
            subject.settle();
        }
    }

    /** Waits until {@code count} more messages reached every page; a timeout fails the run, naming the contender. */
    void await(int count) {
        if (!probe.tryAwaitCompleted(count, TIMEOUT)) {
            throw new IllegalStateException(name + ": fan-out did not complete within " + TIMEOUT + ": " + probe);
        }
    }

    /** Fails the trial if anything was delivered twice, outside its lock, or failed in a session. */
    void closeChecked() {
        try {
            // in subscription order: the docs' LinkedList then always finds the listener at its head
            for (Page page : pages.pages()) {
                subject.unsubscribe(page);
            }
            if (probe.anomalies() != 0 || probe.unlockedDeliveries() != 0 || pages.sessionErrors() != 0) {
                throw new IllegalStateException(name + ": unsound run: " + probe + ", session errors " + pages.sessionErrors());
            }
        } finally {
            subject.close();
            pages.close();
        }
    }
}
