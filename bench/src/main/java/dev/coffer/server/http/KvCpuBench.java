package dev.coffer.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.storage.InmemBackend;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * CPU per KV v2 request below the socket, in one JVM: the request as {@link ApiHandler} hands it on (the JSON body
 * parsed), {@link ApiDispatcher} (request id, the core's pipeline: token, ACL, audit, engine, barrier, in-memory
 * storage; the response envelope) and the response bytes. The same reads and writes as {@code bench/kv-bench.sh},
 * one at a time on one virtual thread, in rounds of reads then writes; prints the medians of the rounds' process CPU
 * time per request. It lives in this package to reach the dispatcher, which the listener keeps package-private.
 * On a loaded shared machine wrk's req/s swing with the load and the JIT; CPU time per request moves much less.
 * Usage: {@code java -cp bench/target/benchmarks.jar dev.coffer.server.http.KvCpuBench [rounds, default 15]
 * [requests per round, default 40000]}.
 */
public final class KvCpuBench {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int WARMUP_ROUNDS = 5;

    private KvCpuBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
        Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        String token = core.devInit(null).rootToken();
        ApiDispatcher dispatcher = new ApiDispatcher(core, "http://127.0.0.1", null);
        byte[] seed = "{\"data\":{\"username\":\"bench\",\"password\":\"0123456789abcdef\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] body = "{\"data\":{\"username\":\"bench\",\"password\":\"0123456789abcdef0123456789abcdef\"}}"
                .getBytes(StandardCharsets.UTF_8);
        dispatcher.dispatch(new ApiRequest("PUT", "secret/data/bench", Map.of(), (ObjectNode) MAPPER.readTree(seed), token,
                "127.0.0.1"));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] reads = new double[rounds];
        double[] writes = new double[rounds];
        long[] sink = new long[1];
        Thread run = Thread.ofVirtual().start(() -> {
            Random random = new Random(1);
            try {
                for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
                    long c0 = os.getProcessCpuTime();
                    for (int i = 0; i < ops; i++) {
                        sink[0] += bytes(dispatcher.dispatch(new ApiRequest("GET", "secret/data/bench", Map.of(),
                                MAPPER.createObjectNode(), token, "127.0.0.1"))).length;
                    }
                    long c1 = os.getProcessCpuTime();
                    for (int i = 0; i < ops; i++) {
                        sink[0] += bytes(dispatcher.dispatch(new ApiRequest("PUT", "secret/data/bench-" + (1 + random.nextInt(64)),
                                Map.of(), (ObjectNode) MAPPER.readTree(body), token, "127.0.0.1"))).length;
                    }
                    long c2 = os.getProcessCpuTime();
                    if (r >= 0) {
                        reads[r] = (c1 - c0) / 1000.0 / ops;
                        writes[r] = (c2 - c1) / 1000.0 / ops;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        run.join();
        core.close();
        System.out.printf("KV v2 read  %6.2f us CPU per request (median of %d rounds of %,d; min %.2f)%n", median(reads),
                rounds, ops, Arrays.stream(reads).min().orElse(0));
        System.out.printf("KV v2 write %6.2f us CPU per request (median of %d rounds of %,d; min %.2f) (checksum %d)%n",
                median(writes), rounds, ops, Arrays.stream(writes).min().orElse(0), sink[0] % 10);
    }

    /** The response bytes as {@link ApiHandler} sends them. */
    private static byte[] bytes(ApiResponse out) throws java.io.IOException {
        if (out.json() != null) {
            return out.json();
        }
        return out.body() == null ? new byte[0] : MAPPER.writeValueAsBytes(out.body());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
