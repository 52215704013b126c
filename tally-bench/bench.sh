#!/usr/bin/env bash
# The foundation benchmark (import and query against DuckDB by hand), as recorded in BENCHMARKS.md.
#   tally-bench/bench.sh                 10M events (default)
#   tally-bench/bench.sh --events 100000000
# Data and stores go to ./bench-data (git-ignored). The JVM heap is capped at 1 GiB on purpose: the target is
# "queryable with a heap under 1 GiB".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -q -B -Dmaven.test.skip=true -pl tally-bench -am package)
exec java -Xmx1g -cp "$root/tally-bench/target/tally-bench.jar" dev.tally.bench.MeteringBenchmark "$@" 2>&1
