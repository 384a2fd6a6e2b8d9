package dev.flowpubsub.benchmarks.e2e;

/** The most threads and resident memory the server had while a step ran, looked at four times a second. */
final class Peaks {
    private final AppServer server;
    private final Thread watcher;
    private volatile boolean stopped;
    private volatile long threads = -1;
    private volatile long residentKb = -1;

    private Peaks(AppServer server) {
        this.server = server;
        this.watcher = Thread.ofVirtual().unstarted(this::watch);
    }

    static Peaks watch(AppServer server) {
        Peaks peaks = new Peaks(server);
        peaks.watcher.start();
        return peaks;
    }

    private void watch() {
        while (!stopped) {
            look();
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void look() {
        long[] now = server.threadsAndResidentKb();
        threads = Math.max(threads, now[0]);
        residentKb = Math.max(residentKb, now[1]);
    }

    void stop() throws InterruptedException {
        stopped = true;
        watcher.interrupt();
        watcher.join();
        look();
    }

    long threads() {
        return threads;
    }

    long residentMb() {
        return residentKb < 0 ? -1 : residentKb / 1024;
    }
}
