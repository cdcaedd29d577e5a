#!/usr/bin/env bash
# KV v2 on PostgreSQL (ha_enabled, so every write is fenced) vs the same single-row statements over plain JDBC at
# the same concurrency, same database, same run: write req/s vs Vault's single-row upsert, read req/s vs a
# primary-key SELECT. 32 connections/threads; writes spread over KEYS keys (default 64) like kv-bench.sh.
# Needs wrk. Usage: bench/pg-kv-bench.sh [seconds, default 10]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
SECS="${1:-10}"
export KEYS="${KEYS:-64}"
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
[ -n "${NO_BUILD:-}" ] || (cd "$ROOT" && mvn -o -q -B -DskipTests -pl bench -am package) >&2
JAR="${JAR:-$ROOT/bench/target/benchmarks.jar}"
TOOLS_JAR="${TOOLS_JAR:-$JAR}" # the ceiling and the commit counter (JAR= an older build compares its server)
LOG="$(mktemp)"
"$JAVA_HOME/bin/java" -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -Dha="${HA:-true}" ${SERVER_JVM_OPTS:-} -cp "$JAR" dev.coffer.bench.PgKvBench server >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 600); do grep -q '^pg=' "$LOG" && break; kill -0 $PID 2>/dev/null || { cat "$LOG" >&2; exit 1; }; sleep 0.1; done
COFFER=$(sed -n 's/^coffer=//p' "$LOG"); PG=$(sed -n 's/^pg=//p' "$LOG")
export TOKEN=$(sed -n 's/^token=//p' "$LOG")
URL="http://127.0.0.1:$COFFER/v1/secret/data/bench"
# the secret the reads fetch, with the same data as kv-write.lua's writes (so its version entry sizes the ceiling's value)
curl -sf -H "X-Vault-Token: $TOKEN" -d '{"data":{"username":"bench","password":"0123456789abcdef0123456789abcdef"}}' \
  "$URL" >/dev/null

rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '$1 == "99%" {print $2}'; }
ceiling() { "$JAVA_HOME/bin/java" -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -Dkeys="$KEYS" -Dthreads=32 -cp "$TOOLS_JAR" dev.coffer.bench.PgKvBench ceiling "$PG" "$1" "$SECS" 2>/dev/null \
  | awk '/^ceiling/ {print $3}'; }
report() { # name figure p99 ceiling-name ceiling
  printf '%-9s %10s req/s  p99 %-9s  %s %10s ops/s  ratio %s\n' "$1" "$2" "$3" "$4" "$5" \
    "$(awk -v a="$2" -v b="$5" 'BEGIN {printf "%.2f", a / b}')"
}
echo "load: $(uptime)"
# warm-up: JIT, pool growth, 10 versions per key (so every measured write also trims one). 30 s by default: after
# 10 s on 2 vCPU the JIT still took a quarter of a core during the measured window (WARMUP=seconds to change it)
wrk -t2 -c32 -d"${WARMUP:-30}s" -s "$ROOT/bench/kv-write.lua" "$URL" >/dev/null
# VACUUM before each measured write phase (VACUUM=0: not): both phases start without the warm-up's dead rows
vacuum() { [ "${VACUUM:-1}" = 0 ] || "$JAVA_HOME/bin/java" -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$TOOLS_JAR" dev.coffer.bench.PgKvBench vacuum "$PG" >/dev/null 2>&1; }
commits() { "$JAVA_HOME/bin/java" -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$TOOLS_JAR" dev.coffer.bench.PgKvBench commits "$PG" 2>/dev/null | awk '/^commits/ {print $2}'; }
vacuum
write_ceiling=$(ceiling write)
vacuum
sleep 2; before=$(commits)
write_out=$(wrk -t2 -c32 -d"${SECS}s" --latency -s "$ROOT/bench/kv-write.lua" "$URL")
sleep 2; after=$(commits)
requests=$(awk '/requests in/ {print $1}' <<<"$write_out")
errors=$(grep -E 'Non-2xx|Socket errors' <<<"$write_out" || true)
report "kv write" "$(rps <<<"$write_out")" "$(p99 <<<"$write_out")" "JDBC upsert" "$write_ceiling"
[ -z "$errors" ] || echo "  write errors: $errors"
echo "  PostgreSQL transactions per KV write (autocommit reads count too): $(awk -v a="$before" -v b="$after" -v n="$requests" 'BEGIN {printf "%.2f", (b - a - 2) / n}')" \
  "(whole database, token lookups and lease renewals included)"
wrk -t2 -c32 -d5s -H "X-Vault-Token: $TOKEN" "$URL" >/dev/null
read_ceiling=$(ceiling read)
read_out=$(wrk -t2 -c32 -d"${SECS}s" --latency -H "X-Vault-Token: $TOKEN" "$URL")
errors=$(grep -E 'Non-2xx|Socket errors' <<<"$read_out" || true)
report "kv read" "$(rps <<<"$read_out")" "$(p99 <<<"$read_out")" "JDBC pk SELECT" "$read_ceiling"
[ -z "$errors" ] || echo "  read errors: $errors"
echo "load: $(uptime)"
