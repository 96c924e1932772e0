#!/usr/bin/env bash
# The peer of bench/text/analyzer_bench.cc: PostgreSQL 15's to_tsvector('arabic', body) (the same
# Snowball stemmer, behind PostgreSQL's own parser) over the same texts — the seed article and
# the bodies of `markaz gen --seed 1 --count 200 --langs ar` — plus to_tsvector('english', …) on
# `--langs en` for contrast. Prints MiB/s per corpus (Google Benchmark's "M/s" is MiB/s too).
#
# Usage: bench/text/pg_tsvector.sh [MARKAZ_BINARY] [ROUNDS]
#   MARKAZ_BINARY  default build/release/src/markaz (only its `gen` command is used)
#   ROUNDS         passes over each corpus, default 20
#
# The private cluster: bench/common/pg_cluster.sh.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
markaz=${1:-$repo/build/release/src/markaz}
rounds=${2:-20}
seed_file=$repo/tests/data/seed/000_fbb234546d35c770.txt

[ -x "$markaz" ] || { echo "pg_tsvector: no markaz binary at $markaz (build it first)" >&2; exit 1; }
# shellcheck source=../common/pg_cluster.sh
source "$repo/bench/common/pg_cluster.sh"

# The texts, readable by the server (pg_read_file, COPY FROM a file).
cp "$seed_file" "$work/seed.txt"
"$markaz" gen --count 200 --seed 1 --langs ar --out "$work/ar.ndjson" 2>/dev/null
"$markaz" gen --count 200 --seed 1 --langs en --out "$work/en.ndjson" 2>/dev/null
chmod 644 "$work"/*.txt "$work"/*.ndjson

psql <<SQL
CREATE TABLE texts (corpus text, body text);
CREATE TEMP TABLE lines (line text);
-- One NDJSON line a row, verbatim: CSV with quote and delimiter bytes that never occur.
COPY lines FROM '$work/ar.ndjson' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02');
INSERT INTO texts SELECT 'synth_ar', line::jsonb->>'body' FROM lines;
TRUNCATE lines;
COPY lines FROM '$work/en.ndjson' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02');
INSERT INTO texts SELECT 'synth_en', line::jsonb->>'body' FROM lines;
INSERT INTO texts SELECT 'seed_ar', pg_read_file('$work/seed.txt');

-- Rounds of to_tsvector over one corpus, timed inside the server (no client round trips).
CREATE FUNCTION bench(c text, cfg regconfig, rounds int)
RETURNS TABLE (mib_s float8, texts bigint, bytes bigint, secs float8) AS \$\$
DECLARE
  t0 timestamptz;
  lexemes bigint;
  b bigint;
BEGIN
  SELECT count(*), sum(octet_length(body)) INTO texts, b FROM texts WHERE corpus = c;
  PERFORM sum(length(to_tsvector(cfg, body))) FROM texts WHERE corpus = c;  -- warm up
  t0 := clock_timestamp();
  FOR i IN 1..rounds LOOP
    SELECT sum(length(to_tsvector(cfg, body))) INTO lexemes FROM texts WHERE corpus = c;
  END LOOP;
  secs := extract(epoch FROM clock_timestamp() - t0);
  bytes := b * rounds;
  mib_s := bytes / secs / 1048576.0;
  RETURN NEXT;
END
\$\$ LANGUAGE plpgsql;
SQL

echo "PostgreSQL $(psql -c 'SHOW server_version'), $rounds rounds, one backend (one core)"
printf '%-10s %-8s %9s %6s %10s\n' corpus config 'MiB/s' texts bytes
for run in "seed_ar arabic" "synth_ar arabic" "synth_en english"; do
  set -- $run
  IFS='|' read -r mib texts bytes _ < <(psql -c "SELECT * FROM bench('$1', '$2', $rounds)")
  printf '%-10s %-8s %9.1f %6s %10s\n' "$1" "$2" "$mib" "$texts" "$((bytes / rounds))"
done
