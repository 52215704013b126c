#!/usr/bin/env bash
# Spark against DuckDB over the same Parquet and against Tally's store, on the metering benchmark's data
# (see BENCHMARKS.md, "Scale-out on Spark").
#   tally-spark/bench.sh                      10M events (default; generation and import take a while)
#   tally-spark/bench.sh --events 1000000
#   TALLY_BENCH_XMX=16g tally-spark/bench.sh   (heap of the one JVM running all three engines; default 12g)
# Data, store and lake go to ./bench-data/spark (git-ignored), and are reused by later runs of the same size.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -q -B -DskipTests -pl tally-spark -am package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt)
here="$root/tally-spark"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
opts="$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' "$here/pom.xml")"
# shellcheck disable=SC2086
exec java "-Xmx${TALLY_BENCH_XMX:-12g}" $opts -Dlog4j2.configurationFile=classpath:tally-spark-log4j2.properties \
  -cp "$here/target/test-classes:$here/target/classes:$(cat "$here/target/test-classpath.txt")" \
  dev.tally.spark.bench.SparkBenchmark "$@"
