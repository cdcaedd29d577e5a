#!/usr/bin/env bash
# Dev server: time from process start to the first 200 from sys/health, median of 5 runs.
# Ceiling printed beside it: the same JVM starting and exiting at once (`coffer version`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
(cd "$ROOT" && mvn -q -B -DskipTests -pl coffer-dist -am package) >&2
JAR="$ROOT/coffer-dist/target/coffer.jar"
PORT="${PORT:-18299}"
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

startup=(); jvm=()
for _ in 1 2 3 4 5; do
  t0=$(now_ms)
  COFFER_DEV_SKIP_TOKEN_FILE=true "$JAVA_HOME/bin/java" -jar "$JAR" server -dev -dev-listen-address=127.0.0.1:$PORT >/dev/null 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v1/sys/health" || true)" = 200 ]; do sleep 0.02; done
  startup+=($(( $(now_ms) - t0 )))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  t0=$(now_ms); "$JAVA_HOME/bin/java" -jar "$JAR" version >/dev/null; jvm+=($(( $(now_ms) - t0 )))
done
s=$(printf '%s\n' "${startup[@]}" | median); j=$(printf '%s\n' "${jvm[@]}" | median)
echo "dev server start -> first 200 from sys/health: median ${s} ms (runs: ${startup[*]})"
echo "ceiling: JVM start + CLI exit (coffer version): median ${j} ms; ratio $(awk -v a="$s" -v b="$j" 'BEGIN {printf "%.2f", a / b}')"
