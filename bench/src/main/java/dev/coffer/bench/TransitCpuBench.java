package dev.coffer.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link TransitBench}'s three measurements in one JVM, interleaved round by round and timed in thread CPU time,
 * for a shared machine whose load swings between JMH's benchmarks (JMH runs the ceiling and the engine minutes
 * apart, and under load its warmup may end before the JIT has compiled the engine). Same setup, same calls.
 * Prints the median CPU nanoseconds per item over the rounds and the ratios. Usage: {@code java -cp
 * benchmarks.jar dev.coffer.bench.TransitCpuBench [rounds, default 15]}.
 */
public final class TransitCpuBench {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final int OPS = 100_000;
    private static final int WARMUP_ROUNDS = 5;

    private TransitCpuBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        TransitBench bench = new TransitBench();
        TransitBench.Shared shared = new TransitBench.Shared();
        shared.setUp();
        TransitBench.PerThread thread = new TransitBench.PerThread();
        thread.setUp(shared);
        double[] ceiling = new double[rounds];
        double[] single = new double[rounds];
        double[] batch = new double[rounds];
        long sink = 0;
        for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
            long t0 = MX.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS; i++) {
                sink += bench.rawJcaEncrypt(shared, thread).length;
            }
            long t1 = MX.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS; i++) {
                sink += bench.transitEncrypt(shared).status();
            }
            long t2 = MX.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS / TransitBench.BATCH; i++) {
                sink += bench.transitEncryptBatchPerItem(shared).status();
            }
            long t3 = MX.getCurrentThreadCpuTime();
            if (r >= 0) {
                ceiling[r] = (t1 - t0) / (double) OPS;
                single[r] = (t2 - t1) / (double) OPS;
                batch[r] = (t3 - t2) / (double) OPS;
            }
        }
        shared.tearDown();
        double c = median(ceiling);
        double s = median(single);
        double b = median(batch);
        System.out.printf("rawJcaEncrypt (ceiling)      %7.0f ns/item CPU (%,.0f items/CPU-s)%n", c, 1e9 / c);
        System.out.printf("transitEncrypt               %7.0f ns/item CPU (%,.0f items/CPU-s)  ratio %.2f%n", s, 1e9 / s, c / s);
        System.out.printf("transitEncryptBatchPerItem   %7.0f ns/item CPU (%,.0f items/CPU-s)  ratio %.2f%n", b, 1e9 / b, c / b);
        System.out.printf("medians of %d interleaved rounds of %,d items each (checksum %d)%n", rounds, OPS, sink % 10);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
