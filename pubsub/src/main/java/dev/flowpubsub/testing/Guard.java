package dev.flowpubsub.testing;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** The lock of an in-memory engine's state, and the condition its waiting readers wait on. Thread-safe. */
final class Guard {

    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();

    /** Changes the state under the lock and wakes the waiting readers. */
    void update(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Reads the state under the lock. */
    <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
