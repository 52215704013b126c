#!/usr/bin/env bash
# Durability under SIGKILL: runs ServerCrashIT (a real `tally serve` process, killed with SIGKILL at a random
# moment while four producers send batches, restarted, checked, retried) for TRIALS trials and prints its summary.
#   tally-bench/crash-bench.sh [TRIALS]      (default 20; the test suite runs 5)
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-20}"
log="$(mktemp)"
start=$(date +%s)
mvn -B -pl tally-cli -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ServerCrashIT \
  -Dtally.crash.trials="$trials" >"$log" 2>&1 || { tail -60 "$log"; echo "crash-bench: FAILED" >&2; exit 1; }
grep -h "crash trials:" tally-cli/target/failsafe-reports/*ServerCrashIT*-output.txt 2>/dev/null \
  || grep -h "crash trials:" "$log"
echo "crash-bench: $trials trials passed in $(( $(date +%s) - start )) s (including the build)"
rm -f "$log"
