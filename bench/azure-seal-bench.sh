#!/usr/bin/env bash
# azurekeyvault seal wrap/unwrap per second (production seal, real Azure SDK, against the in-process Key Vault
# fake) vs raw JCA RSA-OAEP-256 unwrap on the same machine (the fake's physical limit), same run.
# Usage: bench/azure-seal-bench.sh [seconds per figure, default 8] [client threads, default 8]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
(cd "$ROOT" && mvn -o -q -B -ntp -DskipTests -pl bench -am package) >&2
HOSTS="$(mktemp)"; trap 'rm -f "$HOSTS"' EXIT
echo "127.0.0.1 localhost coffer-seal.localhost" > "$HOSTS"
uptime
"$JAVA_HOME/bin/java" -Djdk.net.hosts.file="$HOSTS" -Dseconds="${1:-8}" -Dthreads="${2:-8}" \
  -cp "$ROOT/bench/target/benchmarks.jar" dev.coffer.bench.AzureSealBench
