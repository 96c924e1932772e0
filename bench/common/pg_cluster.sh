# Sourced by the PostgreSQL peers of the benchmarks (bench/text/pg_tsvector.sh,
# bench/search/pg_search.sh): starts a private PostgreSQL 15 cluster in a temporary directory
# on a free port and removes it on exit, whatever happens. initdb refuses root: when started
# as root, the cluster runs as the `postgres` user. After sourcing: $work (a directory the
# server can read files from), and `psql` (quiet, unaligned, stops on the first error).
# Set PG_FSYNC=on to keep fsync (default off: the peers measure indexing, not the disk).
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$pgbin/initdb" ] || { echo "no PostgreSQL in $pgbin (set PGBIN)" >&2; exit 1; }

as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi

work=$(mktemp -d /tmp/markaz-pg.XXXXXX)
chmod 755 "$work"
mkdir "$work/data" "$work/sock"
if [ "$(id -u)" = 0 ]; then chown postgres: "$work/data" "$work/sock"; fi

pg_cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap pg_cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"${as_pg[@]}" "$pgbin/initdb" -D "$work/data" -U postgres -E UTF8 --locale=C.UTF-8 \
  --auth=trust >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/sock/server.log" -w \
  -o "-p $port -k $work/sock -c listen_addresses='' -c fsync=${PG_FSYNC:-off} -c maintenance_work_mem=256MB" \
  start >/dev/null

psql() { "${as_pg[@]}" "$pgbin/psql" -h "$work/sock" -p "$port" -U postgres -X -q -At -v ON_ERROR_STOP=1 "$@"; }
