package dev.coffer.snapshot.auto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.barrier.SecurityBarrier;
import dev.coffer.core.Core;
import dev.coffer.core.Json;
import dev.coffer.snapshot.PreparedSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled snapshots (docs/snapshots.md, "Scheduled snapshots"). Runs only while its core is the active node:
 * the core starts and stops it with its other active services. Every {@code tick} it calls {@link #runDue()},
 * which runs each schedule whose {@code next = lastRun + interval} has come. {@code lastRun} lives in storage
 * behind the barrier and is written when an attempt finishes, so a node that takes over computes the same next
 * run: a finished period is not run again, and a run cut short by a failover is run by the new active node.
 */
public final class SnapshotScheduler implements Core.ActiveService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotScheduler.class);
    public static final String CONFIG_PREFIX = "core/snapshot-auto/config/";
    public static final String STATE_PREFIX = "core/snapshot-auto/state/";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String STAMP_REGEX = "\\d{8}T\\d{6}Z\\.snap";

    private final Core core;
    private final SecurityBarrier barrier;
    private final Map<String, SnapshotSchedule> fromConfig = new TreeMap<>();
    private final SnapshotTargets targets;
    private final Clock clock;
    private final Duration tick;
    private final ScheduledExecutorService executor;
    /**
     * Guards {@link #ticking} only. Runs hold this object's monitor for as long as they take, storage I/O
     * included, while {@link #stop()} is called by a restore that holds the storage gates exclusively: stopping must
     * never wait for a run.
     */
    private final Object tickLock = new Object();
    private ScheduledFuture<?> ticking;

    /**
     * @param fromConfig the HCL {@code snapshot} stanzas (read-only through the API)
     * @param tick       how often to check for due schedules while active; null: never by itself (tests call
     *                   {@link #runDue()})
     */
    public SnapshotScheduler(Core core, List<SnapshotSchedule> fromConfig, SnapshotTargets targets, Clock clock,
                             Duration tick) {
        this.core = core;
        this.barrier = core.barrier();
        for (SnapshotSchedule s : fromConfig) {
            this.fromConfig.put(s.name(), s);
        }
        this.targets = targets;
        this.clock = clock;
        this.tick = tick;
        this.executor = tick == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coffer-snapshot-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    public SnapshotTargets targets() {
        return targets;
    }

    // ---- active service -------------------------------------------------------------------------------------

    @Override
    public void start() {
        synchronized (tickLock) {
            stop();
            if (executor != null) {
                long ms = tick.toMillis();
                ticking = executor.scheduleWithFixedDelay(this::tickQuietly, ms, ms, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Cancels the ticks; a run already going finishes on its own (it does not wait for it). */
    @Override
    public void stop() {
        synchronized (tickLock) {
            if (ticking != null) {
                ticking.cancel(false);
                ticking = null;
            }
        }
    }

    private void tickQuietly() {
        try {
            runDue();
        } catch (CofferException.Sealed | CofferException.Standby e) {
            // lost the barrier or the lock between ticks: the next active node takes over
        } catch (RuntimeException e) {
            LOG.warn("scheduled snapshots: check failed, will retry in {}: {}", tick, e.toString());
        }
    }

    @Override
    public void close() {
        stop();
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    // ---- configuration --------------------------------------------------------------------------------------

    /** All schedules by name: the HCL ones, then the API ones (an API entry never shadows an HCL one). */
    public Map<String, SnapshotSchedule> schedules() {
        Map<String, SnapshotSchedule> all = new TreeMap<>(fromConfig);
        for (String name : barrier.list(CONFIG_PREFIX)) {
            if (!fromConfig.containsKey(name)) {
                stored(name).ifPresent(s -> all.put(name, s));
            }
        }
        return all;
    }

    public Optional<SnapshotSchedule> schedule(String name) {
        SnapshotSchedule s = fromConfig.get(name);
        return s != null ? Optional.of(s) : stored(name);
    }

    /** Creates or replaces an API schedule; the target attributes are checked (not contacted) first. */
    public void put(SnapshotSchedule schedule) {
        if (fromConfig.containsKey(schedule.name())) {
            throw new CofferException.BadRequest("snapshot schedule \"" + schedule.name()
                    + "\" is defined in the server's configuration file; change it there (HCL schedules are read-only)");
        }
        try (SnapshotTarget ignored = targets.create(schedule.targetType(), schedule.target())) {
            // validated
        } catch (IllegalArgumentException e) {
            throw new CofferException.BadRequest(e.getMessage());
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("interval_seconds", schedule.interval().toSeconds());
        n.put("retain", schedule.retain());
        n.put("target_type", schedule.targetType());
        ObjectNode t = n.putObject("target");
        schedule.target().forEach(t::put);
        barrier.put(CONFIG_PREFIX + schedule.name(), Json.write(n));
    }

    /** Deletes an API schedule and its run state (the snapshot files stay where they are). */
    public boolean delete(String name) {
        if (fromConfig.containsKey(name)) {
            throw new CofferException.BadRequest("snapshot schedule \"" + name
                    + "\" is defined in the server's configuration file; remove the stanza there (HCL schedules are read-only)");
        }
        boolean existed = barrier.get(CONFIG_PREFIX + name).isPresent();
        barrier.delete(CONFIG_PREFIX + name);
        barrier.delete(STATE_PREFIX + name);
        return existed;
    }

    private Optional<SnapshotSchedule> stored(String name) {
        return barrier.get(CONFIG_PREFIX + name).map(b -> {
            JsonNode n = Json.read(b, JsonNode.class, "snapshot schedule " + name);
            Map<String, String> target = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("target").fields(); it.hasNext(); ) {
                var e = it.next();
                target.put(e.getKey(), e.getValue().asText());
            }
            return new SnapshotSchedule(name, Duration.ofSeconds(n.path("interval_seconds").asLong()),
                    n.path("retain").asInt(), n.path("target_type").asText(), target, SnapshotSchedule.SOURCE_API);
        });
    }

    // ---- state ----------------------------------------------------------------------------------------------

    private record State(Instant lastRun, Instant lastSuccess, String lastSnapshot, String lastError,
                         Instant lastErrorTime, int consecutiveFailures) {
        static final State NEVER = new State(null, null, null, null, null, 0);
    }

    private State state(String name) {
        return barrier.get(STATE_PREFIX + name).map(b -> {
            JsonNode n = Json.read(b, JsonNode.class, "snapshot schedule state " + name);
            return new State(instant(n, "last_run"), instant(n, "last_success"), text(n, "last_snapshot"),
                    text(n, "last_error"), instant(n, "last_error_time"), n.path("consecutive_failures").asInt());
        }).orElse(State.NEVER);
    }

    private void writeState(String name, State s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("last_run", str(s.lastRun()));
        n.put("last_success", str(s.lastSuccess()));
        n.put("last_snapshot", s.lastSnapshot());
        n.put("last_error", s.lastError());
        n.put("last_error_time", str(s.lastErrorTime()));
        n.put("consecutive_failures", s.consecutiveFailures());
        barrier.put(STATE_PREFIX + name, Json.write(n));
    }

    private static Instant instant(JsonNode n, String field) {
        String t = text(n, field);
        return t == null ? null : Instant.parse(t);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    /** A schedule that never ran is due at once; otherwise one interval after its last finished attempt. */
    private Instant nextRun(SnapshotSchedule s, State st) {
        return st.lastRun() == null ? clock.instant() : st.lastRun().plus(s.interval());
    }

    public Optional<ScheduleStatus> status(String name) {
        return schedule(name).map(s -> {
            State st = state(name);
            return new ScheduleStatus(name, st.lastRun(), st.lastSuccess(), st.lastSnapshot(), st.lastError(),
                    st.lastErrorTime(), nextRun(s, st), st.consecutiveFailures());
        });
    }

    // ---- running --------------------------------------------------------------------------------------------

    /** Runs every schedule that is due now (by the clock); returns the names it ran. */
    public synchronized List<String> runDue() {
        List<String> ran = new ArrayList<>();
        Instant now = clock.instant();
        for (SnapshotSchedule s : schedules().values()) {
            State st = state(s.name());
            if (!now.isBefore(nextRun(s, st))) {
                runNow(s);
                ran.add(s.name());
            }
        }
        return ran;
    }

    /**
     * One attempt: save, upload, apply retention, then record the outcome (which moves the next run one
     * interval on, whether it worked or not). Returns the status afterwards.
     */
    public synchronized ScheduleStatus runNow(SnapshotSchedule s) {
        Instant started = clock.instant();
        String fileName = s.filePrefix() + STAMP.format(started) + ".snap";
        State before = state(s.name());
        State after;
        try {
            upload(s, fileName);
            after = new State(started, started, fileName, null, before.lastErrorTime(), 0);
            LOG.info("scheduled snapshot \"{}\": saved {}", s.name(), fileName);
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
            after = new State(started, before.lastSuccess(), before.lastSnapshot(), message, started,
                    before.consecutiveFailures() + 1);
            LOG.warn("scheduled snapshot \"{}\" failed, next attempt in {}: {}", s.name(), s.interval(), message);
        }
        writeState(s.name(), after);
        return status(s.name()).orElseThrow();
    }

    private void upload(SnapshotSchedule s, String fileName) throws IOException {
        Path tmp = tempFile();
        try (SnapshotTarget target = targets.create(s.targetType(), s.target())) {
            try (PreparedSnapshot snap = core.saveSnapshot()) {
                snap.writeTo(tmp);
            }
            target.upload(fileName, tmp);
            applyRetention(s, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes the oldest of this schedule's own files beyond {@code retain}; other files are never touched. */
    static List<String> applyRetention(SnapshotSchedule s, SnapshotTarget target) throws IOException {
        Pattern own = Pattern.compile(Pattern.quote(s.filePrefix()) + STAMP_REGEX);
        List<String> mine = new ArrayList<>(target.list(s.filePrefix()).stream().filter(n -> own.matcher(n).matches()).sorted().toList());
        List<String> deleted = new ArrayList<>();
        while (mine.size() > s.retain()) {
            String oldest = mine.remove(0);
            target.delete(oldest);
            deleted.add(oldest);
        }
        if (!deleted.isEmpty()) {
            LOG.info("scheduled snapshot \"{}\": retention (keep {}) deleted {}", s.name(), s.retain(), deleted);
        }
        return deleted;
    }

    private static Path tempFile() throws IOException {
        if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile("coffer-snapshot-auto-", ".snap",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile("coffer-snapshot-auto-", ".snap");
    }
}
