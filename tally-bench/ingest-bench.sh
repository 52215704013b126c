#!/usr/bin/env bash
# The server ingest benchmark (issue 3): Tally's HTTP ingestion against PostgreSQL doing the same work the way Lago's
# store does (one INSERT per event, a unique index on the event key, one transaction per request), in one run.
#
#   tally-bench/ingest-bench.sh                       8 s per phase, 64 connections, batches of 1000, 100 and 1
#   tally-bench/ingest-bench.sh --seconds 20 --connections 64 --batches 1000,100,1
#
# For each batch size: a warm-up, the peak rate (closed loop), then p50/p99 latency at 50% and 90% of that peak (open
# loop, latency counted from when each request was due). Prints Markdown tables; docs/benchmarks-server.md records them.
# Everything runs in a throwaway directory: a Tally data directory and a PostgreSQL cluster on loopback port 15432,
# both removed at the end. Set MVN_ARGS for extra Maven flags (such as -o), or TALLY_JAR and BENCH_JAR to run jars
# built before (then nothing is built).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port=18181
pg_port=15432
work="$(mktemp -d /tmp/tally-ingest-bench.XXXXXX)"
chmod 755 "$work"
# shellcheck source=bench-lib.sh
source "$root/tally-bench/bench-lib.sh"

if [[ -z "${TALLY_JAR:-}" || -z "${BENCH_JAR:-}" ]]; then
  echo "Building..." >&2
  (cd "$root" && mvn -q -B ${MVN_ARGS:-} -Dmaven.test.skip=true -pl tally-cli,tally-bench -am package)
fi
tally_jar="${TALLY_JAR:-$root/tally-cli/target/tally.jar}"
bench_jar="${BENCH_JAR:-$root/tally-bench/target/tally-bench.jar}"
tally() { java -jar "$tally_jar" "$@"; }

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
echo

# --- Tally over HTTP -------------------------------------------------------------------------------------------
tally tenant create bench --data "$work/tally" >/dev/null
java -Xmx2g -jar "$tally_jar" serve --port "$port" --data "$work/tally" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
key="$(tally key create --tenant bench --data "$work/tally" 2>/dev/null)"
# A meter, so that ingest also extracts values, as it would in use.
curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/api/v1/meters" -H "Authorization: Bearer $key" \
  -H 'Content-Type: application/json' \
  -d '{"slug":"tokens","eventType":"api.request","aggregation":"SUM","valueProperty":"$.tokens","groupBy":{"endpoint":"$.endpoint"}}'
echo "## Tally (HTTP, group commit, DuckDB)"
java -cp "$bench_jar" dev.tally.bench.server.IngestBenchmark --target tally --url "http://127.0.0.1:$port" \
  --key "$key" --pid "$server_pid" "$@"
stored="$(curl -fs "http://127.0.0.1:$port/metrics" | awk '/^tally_events_ingested_total/ {print $2}')"
echo
echo "Events stored by Tally in this run: $stored"
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""
echo

# --- PostgreSQL, the Lago way ------------------------------------------------------------------------------------
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  echo "Installing PostgreSQL from Debian..." >&2
  apt-get install -y -q postgresql >/dev/null
fi
pg_start "$pg_port"
echo "## PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') (one INSERT per event, unique index, one transaction per request)"
java -cp "$bench_jar" dev.tally.bench.server.IngestBenchmark --target postgres \
  --jdbc "jdbc:postgresql://127.0.0.1:$pg_port/postgres?user=postgres" "$@"
