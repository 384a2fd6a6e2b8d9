package dev.flowpubsub.benchmarks.jmh;

import dev.flowpubsub.benchmarks.contenders.Contender;
import dev.flowpubsub.benchmarks.contenders.Contenders;
import dev.flowpubsub.benchmarks.fixture.Page;
import dev.flowpubsub.benchmarks.fixture.Probe;
import dev.flowpubsub.benchmarks.fixture.VaadinPages;

import java.time.Duration;

/**
 * N open pages, all subscribed through one contender: the state every fan-out benchmark starts from. Built once
 * per trial (each trial has its own JVM fork), checked for soundness when torn down.
 */
public abstract class PagesState {

    /** Longest a benchmark waits for one fan-out before it calls the run broken. */
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    VaadinPages pages;
    Contender subject;
    Probe probe;

    void open(String contenderName, int n, int uisPerSession) {
        pages = new VaadinPages(n, uisPerSession);
        subject = Contenders.create(contenderName, pages);
        for (Page page : pages.pages()) {
            subject.subscribe(page);
        }
        probe = pages.probe;
        probe.audience(n);
    }

    /** Fails the trial if anything was delivered twice, outside its lock, or failed in a session. */
    void closeChecked() {
        try {
            if (probe.anomalies() != 0 || probe.unlockedDeliveries() != 0 || pages.sessionErrors() != 0) {
                throw new IllegalStateException("unsound run: " + probe + ", session errors " + pages.sessionErrors());
            }
        } finally {
            subject.close();
            pages.close();
        }
    }
}
