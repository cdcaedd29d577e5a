package dev.coffer.logical.kv;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A fixed set of locks chosen by key hash: writers to the same key are serialized (so no version is lost and
 * check-and-set sees the latest version), writers to different keys mostly run in parallel, and memory does not
 * grow with the number of keys.
 */
final class StripedLocks {
    private final ReentrantLock[] locks;

    StripedLocks(int stripes) {
        locks = new ReentrantLock[Integer.highestOneBit(Math.max(1, stripes - 1)) << 1];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    <T> T withLock(String key, Supplier<T> work) {
        int h = key.hashCode();
        ReentrantLock lock = locks[(h ^ (h >>> 16)) & (locks.length - 1)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
