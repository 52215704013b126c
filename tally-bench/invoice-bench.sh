#!/usr/bin/env bash
# The invoicing benchmark (issue 5), as recorded in BENCHMARKS.md: a month-end run for N customers x 5 metered
# charges over M events, against the raw usage aggregation it needs.
#   tally-bench/invoice-bench.sh                                  10,000 customers, 50M events
#   tally-bench/invoice-bench.sh --customers 10000 --events 10000000
# Data goes to ./bench-data/invoice (git-ignored); the JVM heap is capped at 1 GiB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -q -B -Dmaven.test.skip=true -pl tally-bench -am package)
exec java -Xmx1g -cp "$root/tally-bench/target/tally-bench.jar" dev.tally.bench.InvoiceScaleBenchmark "$@"
