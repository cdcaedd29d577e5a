#!/usr/bin/env bash
# KV v2 read and write req/s (and p99) on in-memory storage, beside a bare Helidon handler in the same JVM,
# 32 connections. Reads hit one key; writes spread over KEYS keys (default 64; KEYS=1 is one hot key whose
# writers all queue on its lock). Needs wrk. Usage: bench/kv-bench.sh [duration, default 10s]
# Each measured path is first driven for WARMUP (default 15s): on a loaded 2-core machine C2 is still compiling
# the write path 15-20 s into a run, and a shorter warmup measures the JIT rather than the code.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
DUR="${1:-10s}"
WARMUP="${WARMUP:-15s}"
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
(cd "$ROOT" && mvn -q -B -DskipTests -pl bench -am package) >&2
LOG="$(mktemp)"
"$JAVA_HOME/bin/java" -cp "$ROOT/bench/target/benchmarks.jar" dev.coffer.bench.HttpBenchServer >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 100); do grep -q '^bare=' "$LOG" && break; sleep 0.1; done
COFFER=$(sed -n 's/^coffer=//p' "$LOG"); BARE=$(sed -n 's/^bare=//p' "$LOG")
export TOKEN=$(sed -n 's/^token=//p' "$LOG")
URL="http://127.0.0.1:$COFFER/v1/secret/data/bench"
curl -sf -H "X-Vault-Token: $TOKEN" -d '{"data":{"username":"bench","password":"0123456789abcdef"}}' "$URL" >/dev/null

run() { wrk -t2 -c32 -d"$DUR" --latency "$@"; }
rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '$1 == "99%" {print $2}'; }
report() { # name figure ceiling p99
  printf '%-10s %10s req/s  p99 %-9s  bare handler %10s req/s  ratio %s\n' "$1" "$2" "$4" "$3" \
    "$(awk -v a="$2" -v b="$3" 'BEGIN {printf "%.2f", a / b}')"
}
wrk -t2 -c32 -d"$WARMUP" "http://127.0.0.1:$BARE/" >/dev/null
wrk -t2 -c32 -d"$WARMUP" -H "X-Vault-Token: $TOKEN" "$URL" >/dev/null
wrk -t2 -c32 -d"$WARMUP" -s "$ROOT/bench/kv-write.lua" "$URL" >/dev/null
bare_out=$(run "http://127.0.0.1:$BARE/"); ceiling=$(rps <<<"$bare_out")
read_out=$(run -H "X-Vault-Token: $TOKEN" "$URL")
report "kv read" "$(rps <<<"$read_out")" "$ceiling" "$(p99 <<<"$read_out")"
write_out=$(run -s "$ROOT/bench/kv-write.lua" "$URL")
report "kv write" "$(rps <<<"$write_out")" "$ceiling" "$(p99 <<<"$write_out")"
echo "bare handler p99 $(p99 <<<"$bare_out")"
