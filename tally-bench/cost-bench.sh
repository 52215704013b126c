#!/usr/bin/env bash
# The cost analytics benchmark (issue 4: FOCUS import, reports, anomalies), as recorded in BENCHMARKS.md.
#   tally-bench/cost-bench.sh                      10M FOCUS rows, 1,000 SKUs, 1,000 detector series (default)
#   tally-bench/cost-bench.sh --rows 1000000 --runs 3
# Data and stores go to ./bench-data/cost (git-ignored); the generated CSV is reused by later runs with the same
# --rows and --skus. The JVM heap is capped at 2 GiB on purpose: DuckDB does the import and the aggregations in its own
# native memory, so Tally's heap holds only report rows, daily series and the anomaly model's working set; without a
# cap the JVM would take a quarter of the machine's memory and a report that piles rows onto the heap would go
# unnoticed. 2 GiB is also what the tests run with.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -q -B -Dmaven.test.skip=true -pl tally-bench -am package)
# The report states the load average at its start and end: figures taken on a busy machine are not comparable.
exec java -Xmx2g -cp "$root/tally-bench/target/tally-bench.jar" dev.tally.bench.CostBenchmark "$@" 2>&1
