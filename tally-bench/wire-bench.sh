#!/usr/bin/env bash
# The write path at the wire (issue 10): tally serve on each write path against PostgreSQL, driven by independent load
# generators in one run, as the issue measured it: wrk (64 connections) against Tally's HTTP API, pgbench (64 clients)
# against PostgreSQL doing the same inserts (unique index on the event key, synchronous commit, the default).
#
#   tally-bench/wire-bench.sh                   10 s per phase
#   tally-bench/wire-bench.sh --seconds 20
#   tally-bench/wire-bench.sh --warmup 0        no warm-up run before each measured one (default 10 s)
#
# Phases: single events (one event per request / one INSERT ... ON CONFLICT per transaction), on the log-first default
# single events again at about half of their peak rate (the p99 at 50% of peak load), and batches of 1,000 (one
# request of 1,000 events / one multi-row INSERT ... ON CONFLICT of 1,000 rows per transaction). Tally runs twice: the
# earlier store path (--no-ack-from-log) and the log-first default. Installs wrk and PostgreSQL from Debian if missing (needs root or
# sudo). Everything runs in a throwaway directory, removed at the end. TALLY_JAR runs a jar built before.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=10
warmup=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    *) echo "unknown flag: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
port=18182
pg_port=15433
connections=64
work="$(mktemp -d /tmp/tally-wire-bench.XXXXXX)"
chmod 755 "$work"
sudo_=()
[[ "$(id -u)" != 0 ]] && sudo_=(sudo)
# shellcheck source=bench-lib.sh
source "$root/tally-bench/bench-lib.sh"

need=()
command -v wrk >/dev/null || need+=(wrk)
[[ -x /usr/bin/time ]] || need+=(time)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
if [[ ${#need[@]} -gt 0 ]]; then
  echo "Installing ${need[*]} from Debian..." >&2
  "${sudo_[@]}" apt-get install -y -q "${need[@]}" >/dev/null
fi
if [[ -z "${TALLY_JAR:-}" ]]; then
  echo "Building..." >&2
  (cd "$root" && mvn -q -B ${MVN_ARGS:-} -Dmaven.test.skip=true -pl tally-cli -am package)
fi
tally_jar="${TALLY_JAR:-$root/tally-cli/target/tally.jar}"
tally() { java -jar "$tally_jar" "$@"; }

# wrk scripts: every request carries new event ids (thread number, counter), so nothing is a duplicate.
cat >"$work/single.lua" <<'LUA'
local counter = 0
thread_id = 0
threads = 0
function setup(thread) threads = threads + 1; thread:set("thread_id", threads) end
function init(args) counter = 0 end
request = function()
  counter = counter + 1
  local body = string.format('{"specversion":"1.0","id":"w%d-%d","source":"wrk","type":"api.request",' ..
    '"subject":"customer-%d","time":"2024-06-01T12:00:00Z","data":{"tokens":%d,"endpoint":"/v1/chat"}}',
    thread_id, counter, counter % 1000, counter % 5000 + 1)
  return wrk.format("POST", "/api/v1/events", nil, body)
end
LUA
cat >"$work/batch.lua" <<'LUA'
local counter = 0
thread_id = 0
threads = 0
function setup(thread) threads = threads + 1; thread:set("thread_id", threads) end
request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, 1000 do
    parts[i] = string.format('{"specversion":"1.0","id":"b%d-%d-%d","source":"wrk","type":"api.request",' ..
      '"subject":"customer-%d","time":"2024-06-01T12:00:00Z","data":{"tokens":%d,"endpoint":"/v1/chat"}}',
      thread_id, counter, i, i % 1000, i % 5000 + 1)
  end
  return wrk.format("POST", "/api/v1/events", nil, "[" .. table.concat(parts, ",") .. "]")
end
LUA

# Single events paced to about half of a rate measured before (the issue's "p99 at 50% of peak"): each of the
# connections waits PACE_MS before each request, so the rate is connections / (latency + PACE_MS) per second. wrk
# times a request from its send, so the wait is not counted in its latency.
{
  cat "$work/single.lua"
  cat <<'LUA'
local pace = tonumber(os.getenv("PACE_MS") or "0")
function delay() return pace end
LUA
} >"$work/paced.lua"

# CPU accounting, in clock ticks: the whole machine's busy time (user, nice, system, irq, softirq), and one process's.
clk_tck="$(getconf CLK_TCK)"
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Cores used over an interval: ticks / (clock ticks per second * seconds).
cores() { awk -v t="$1" -v hz="$clk_tck" -v s="$seconds" 'BEGIN { printf "%.2f", t / hz / s }'; }
# The load generator's own CPU seconds (user + system), from /usr/bin/time's output file.
gen_cores() { awk -v s="$seconds" '{ printf "%.2f", ($1 + $2) / s }' "$1"; }

# A run of the same load before the measured one, not counted: the JVM's JIT compiles the hot paths in its first
# seconds (measured: the first 10 s of single events ran at a third of the rate of the next ones), and a server that
# meters an API gateway runs warm. PostgreSQL gets the same warm-up.
wrk_warmup() {
  [[ "$warmup" -gt 0 ]] || return 0
  wrk -t2 -c"$connections" -d"${warmup}s" -s "$1" -H "Authorization: Bearer $2" -H "Content-Type: $3" \
    "http://127.0.0.1:$port" >/dev/null 2>&1 || true
  catch_up "$2" >/dev/null
}

# Seconds until a usage query answers 200 (it waits for the loader to pass every acknowledged event, 10 s at most
# per try, then 503): how far the background load was behind the acknowledgements when the run ended.
catch_up() {
  local t0 code
  t0="$(date +%s.%N)"
  for _ in $(seq 1 60); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/meters/requests/query" \
      -H "Authorization: Bearer $1")"
    [[ "$code" == 200 ]] && break
  done
  awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

# wrk's summary: requests/s and the p99 latency of its --latency table, then the cores used during the run by the
# server, by wrk, and by the whole machine.
wrk_run() {
  local script="$1" key="$2" type="$3"
  local b0 s0
  b0="$(busy_ticks)"; s0="$(proc_ticks "$server_pid")"
  /usr/bin/time -f '%U %S' -o "$work/wrk.time" wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$script" \
    -H "Authorization: Bearer $key" -H "Content-Type: $type" \
    "http://127.0.0.1:$port" >"$work/wrk.txt" 2>&1 || true
  local server_c machine_c
  server_c="$(cores $(( $(proc_ticks "$server_pid") - s0 )))"
  machine_c="$(cores $(( $(busy_ticks) - b0 )))"
  local rps p99 non2xx
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")"
  p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$work/wrk.txt")"
  echo "${rps:-0} ${p99:-?} ${non2xx:-0} $server_c $(gen_cores "$work/wrk.time") $machine_c $(catch_up "$key")"
}

echo "Warm-up before each measured run: ${warmup} s of the same load (not counted)"
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A result
for mode in store log; do
  data="$work/tally-$mode"
  tally tenant create bench --data "$data" >/dev/null
  flags=()
  [[ "$mode" == store ]] && flags=(--no-ack-from-log)
  java -Xmx2g -jar "$tally_jar" serve --port "$port" --data "$data" --invoice-every PT0S --alerts-every PT0S \
    "${flags[@]}" >"$work/serve-$mode.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  key="$(tally key create --tenant bench --data "$data" 2>/dev/null)"
  for m in tokens requests; do
    agg=SUM; value=',"valueProperty":"$.tokens"'
    [[ "$m" == requests ]] && agg=COUNT && value=""
    curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/api/v1/meters" -H "Authorization: Bearer $key" \
      -H 'Content-Type: application/json' \
      -d "{\"slug\":\"$m\",\"eventType\":\"api.request\",\"aggregation\":\"$agg\"$value,\"groupBy\":{\"endpoint\":\"\$.endpoint\"}}"
  done
  wrk_warmup "$work/single.lua" "$key" application/cloudevents+json
  result["$mode-single"]="$(wrk_run "$work/single.lua" "$key" application/cloudevents+json)"
  if [[ "$mode" == log ]]; then
    read -r peak _ <<<"${result[log-single]}"
    pace_ms="$(awk -v c="$connections" -v r="$peak" 'BEGIN { printf "%d", (r > 0 ? c * 1000 / (r / 2) : 10) }')"
    result[log-paced]="$(PACE_MS="$pace_ms" wrk_run "$work/paced.lua" "$key" application/cloudevents+json)"
  fi
  wrk_warmup "$work/batch.lua" "$key" application/cloudevents-batch+json
  result["$mode-batch"]="$(wrk_run "$work/batch.lua" "$key" application/cloudevents-batch+json)"
  stored="$(curl -fs "http://127.0.0.1:$port/metrics" | awk '/^tally_events_ingested_total/ {print $2}')"
  result["$mode-stored"]="${stored:-?}"
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
done

pg_start "$pg_port"
psql_() { "${as_pg[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
psql_ -c "CREATE TABLE events (tenant text, source text, id text, subject text, ts timestamptz, data jsonb,
  PRIMARY KEY (tenant, source, id))"
# One event per transaction; ids from the client's id and a counter kept in pgbench's own sequence of transactions.
cat >"$work/single.sql" <<'SQL'
\set n random(1, 2000000000)
INSERT INTO events VALUES ('bench', 'pgbench', :client_id || '-' || :n, 'customer-' || (:n % 1000), '2024-06-01T12:00:00Z', jsonb_build_object('tokens', :n % 5000 + 1, 'endpoint', '/v1/chat')) ON CONFLICT DO NOTHING;
SQL
cat >"$work/batch.sql" <<'SQL'
\set n random(1, 2000000000)
INSERT INTO events SELECT 'bench', 'pgbench', :client_id || '-' || :n || '-' || i, 'customer-' || (i % 1000), '2024-06-01T12:00:00Z', jsonb_build_object('tokens', i % 5000 + 1, 'endpoint', '/v1/chat') FROM generate_series(1, 1000) i ON CONFLICT DO NOTHING;
SQL
pg_run() {
  local b0
  b0="$(busy_ticks)"
  /usr/bin/time -f '%U %S' -o "$work/pgbench.time" "${as_pg[@]}" "$pg_bin/pgbench" -n -h 127.0.0.1 -p "$pg_port" -U postgres -c "$connections" -j 2 -T "$seconds" \
    -r -f "$1" postgres >"$work/pgbench.txt" 2>&1 || true
  local tps lat
  tps="$(awk '/^tps = / {print $3}' "$work/pgbench.txt" | head -1)"
  lat="$(awk '/^latency average = / {print $4 " " $5}' "$work/pgbench.txt")"
  # PostgreSQL's backends come and go with the connections, so its share is the machine's busy time less pgbench's.
  local machine_c gen_c
  machine_c="$(cores $(( $(busy_ticks) - b0 )))"
  gen_c="$(gen_cores "$work/pgbench.time")"
  echo "${tps:-0} ${lat// /} $(awk -v m="$machine_c" -v g="$gen_c" 'BEGIN { printf "%.2f", m - g }') $gen_c $machine_c"
}
chmod 644 "$work"/*.sql
pg_warmup() {
  [[ "$warmup" -gt 0 ]] || return 0
  "${as_pg[@]}" "$pg_bin/pgbench" -n -h 127.0.0.1 -p "$pg_port" -U postgres -c "$connections" -j 2 -T "$warmup" \
    -f "$1" postgres >/dev/null 2>&1 || true
}
pg_warmup "$work/single.sql"
pg_single="$(pg_run "$work/single.sql")"
pg_warmup "$work/batch.sql"
pg_batch="$(pg_run "$work/batch.sql")"
pg_version="$("$pg_bin/postgres" --version | awk '{print $3}')"
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
read -r s_rps s_p99 s_bad s_cpu s_gen s_all s_lag <<<"${result[store-single]}"
read -r l_rps l_p99 l_bad l_cpu l_gen l_all l_lag <<<"${result[log-single]}"
read -r sb_rps sb_p99 sb_bad sb_cpu sb_gen sb_all sb_lag <<<"${result[store-batch]}"
read -r lb_rps lb_p99 lb_bad lb_cpu lb_gen lb_all lb_lag <<<"${result[log-batch]}"
read -r p_tps p_lat p_cpu p_gen p_all <<<"$pg_single"
read -r pb_tps pb_lat pb_cpu pb_gen pb_all <<<"$pg_batch"
sb_eps="$(awk -v r="$sb_rps" 'BEGIN { printf "%.0f", r * 1000 }')"
lb_eps="$(awk -v r="$lb_rps" 'BEGIN { printf "%.0f", r * 1000 }')"
pb_eps="$(awk -v r="$pb_tps" 'BEGIN { printf "%.0f", r * 1000 }')"
echo "| work ($connections connections, ${seconds} s) | Tally, --no-ack-from-log | Tally, log first (default) | PostgreSQL $pg_version | store / PG | log / PG |"
echo "|---|---|---|---|---|---|"
echo "| single events | $s_rps req/s, p99 $s_p99 | $l_rps req/s, p99 $l_p99 | $p_tps tx/s, mean $p_lat | $(ratio "$s_rps" "$p_tps") | $(ratio "$l_rps" "$p_tps") |"
echo "| batches of 1,000 | $sb_eps events/s, p99 $sb_p99 | $lb_eps events/s, p99 $lb_p99 | $pb_eps events/s, mean $pb_lat | $(ratio "$sb_eps" "$pb_eps") | $(ratio "$lb_eps" "$pb_eps") |"
echo
# Sustained: what the store took in, counting the time the loader needed after the run to load every acknowledgement.
sustained() { awk -v r="$1" -v s="$seconds" -v l="$2" -v k="${3:-1}" 'BEGIN { printf "%.0f", r * k * s / (s + l) }'; }
echo "After each run, seconds until a query saw every acknowledged event (the loader's backlog), and the rate the"
echo "store took in counting that time (per second: requests for single events, events for batches):"
echo
echo "| work | --no-ack-from-log | log first (default) |"
echo "|---|---|---|"
echo "| single events | ${s_lag} s, $(sustained "$s_rps" "$s_lag") | ${l_lag} s, $(sustained "$l_rps" "$l_lag") |"
echo "| batches of 1,000 | ${sb_lag} s, $(sustained "$sb_rps" "$sb_lag" 1000) | ${lb_lag} s, $(sustained "$lb_rps" "$lb_lag" 1000) |"
echo
echo "Cores used during each run (of $(nproc)): server under test / load generator / whole machine"
echo
echo "| work | Tally, --no-ack-from-log | Tally, log first (default) | PostgreSQL (machine less pgbench) |"
echo "|---|---|---|---|"
echo "| single events | $s_cpu / $s_gen / $s_all | $l_cpu / $l_gen / $l_all | $p_cpu / $p_gen / $p_all |"
echo "| batches of 1,000 | $sb_cpu / $sb_gen / $sb_all | $lb_cpu / $lb_gen / $lb_all | $pb_cpu / $pb_gen / $pb_all |"
echo
read -r h_rps h_p99 h_bad h_cpu h_gen h_all h_lag <<<"${result[log-paced]}"
echo "Single events at about half of the log-first peak (each connection waits ${pace_ms} ms before each request):"
echo "$h_rps req/s ($(ratio "$h_rps" "$l_rps") of the peak), p99 $h_p99; cores $h_cpu / $h_gen / $h_all; non-2xx $h_bad"
echo
echo "Non-2xx answers from Tally (store single/batch, log single/batch): $s_bad/$sb_bad, $l_bad/$lb_bad"
echo "Events counted as ingested by Tally: store ${result[store-stored]}, log ${result[log-stored]}"
