# Sourced by the benchmark scripts that run Tally's server and a private PostgreSQL cluster side by side
# (ingest-bench.sh, wire-bench.sh). The caller sets $work (a throwaway directory) before it sources this file; the
# cluster lives in $work/pg, and everything is stopped and removed on exit.
server_pid=""
pg_bin=""
as_pg=()

bench_cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ -n "$pg_bin" && -f "$work/pg/postmaster.pid" ]]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap bench_cleanup EXIT

# pg_start PORT: a new cluster of the newest installed PostgreSQL on loopback PORT, trusting local connections; run
# as the postgres user when this script runs as root (initdb refuses root).
pg_start() {
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  [[ "$(id -u)" == 0 ]] && as_pg=(runuser -u postgres --)
  mkdir -p "$work/pg"
  [[ "$(id -u)" == 0 ]] && chown postgres "$work/pg"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
    -o "-p $1 -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
}
