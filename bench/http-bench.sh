#!/usr/bin/env bash
# sys/health and sys/seal-status req/s against a bare Helidon handler in the same JVM, 32 connections.
# Needs wrk (apt-get install wrk). Usage: bench/http-bench.sh [duration, default 10s]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
DUR="${1:-10s}"
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
(cd "$ROOT" && mvn -q -B -DskipTests -pl bench -am package) >&2
LOG="$(mktemp)"
"$JAVA_HOME/bin/java" -cp "$ROOT/bench/target/benchmarks.jar" dev.coffer.bench.HttpBenchServer >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 100); do grep -q '^bare=' "$LOG" && break; sleep 0.1; done
COFFER=$(sed -n 's/^coffer=//p' "$LOG"); BARE=$(sed -n 's/^bare=//p' "$LOG")

rps() { wrk -t2 -c32 -d"$DUR" --latency "$1" | awk '/Requests\/sec/ {print $2}'; }
# warm-up both, then measure alternately
wrk -t2 -c32 -d3s "http://127.0.0.1:$BARE/" >/dev/null; wrk -t2 -c32 -d3s "http://127.0.0.1:$COFFER/v1/sys/health" >/dev/null
ceiling=$(rps "http://127.0.0.1:$BARE/")
for path in sys/health sys/seal-status; do
  figure=$(rps "http://127.0.0.1:$COFFER/v1/$path")
  ratio=$(awk -v a="$figure" -v b="$ceiling" 'BEGIN {printf "%.2f", a / b}')
  printf '%-16s %10s req/s   bare handler %10s req/s   ratio %s\n' "$path" "$figure" "$ceiling" "$ratio"
done
