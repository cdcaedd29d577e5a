#!/usr/bin/env bash
# Snapshot save MB/s on PostgreSQL (embedded) vs `COPY vault_kv_store TO STDOUT` of the same table, same run,
# then restore MB/s vs `COPY ... FROM STDIN` of the same rows (-DsaveOnly=true skips it),
# and the peak heap during both, in a JVM capped at -Xmx256m.
# Usage: bench/pg-snapshot-bench.sh [MB of entries, default 1024] [value bytes, default 4096] [rounds, default 2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
MB="${1:-1024}"; VALUE="${2:-4096}"; ROUNDS="${3:-2}"
(cd "$ROOT" && mvn -q -B -DskipTests -pl bench -am package) >&2
exec "$JAVA_HOME/bin/java" -Xmx256m -Dmb="$MB" -Dvalue="$VALUE" -Drounds="$ROUNDS" \
  -cp "$ROOT/bench/target/benchmarks.jar" dev.coffer.bench.PgSnapshotBench
