#!/usr/bin/env bash
# Process start -> unsealed and serving (first 200 from sys/health) with the azurekeyvault seal against the
# in-process Key Vault fake, beside `server -dev` (Shamir) in the same run; median of RUNS (default 5), with the
# KMS round-trip share from the fake's request log. Prints `uptime` first: record the load beside the figures.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
(cd "$ROOT" && mvn -o -q -B -ntp -DskipTests -pl bench,coffer-dist -am package) >&2
uptime
exec "$JAVA_HOME/bin/java" -Druns="${RUNS:-5}" -Dcoffer.jar="$ROOT/coffer-dist/target/coffer.jar" \
  -cp "$ROOT/bench/target/benchmarks.jar" dev.coffer.bench.AzureStartupBench
