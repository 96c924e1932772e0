#!/usr/bin/env bash
# The PostgreSQL peer of bench/search/search_bench.cc: the same generated texts and the same
# query log (written by `search_bench --export DIR`), indexed as PostgreSQL users do it — a
# tsvector column (title weighted A, per-language Snowball configuration: arabic, english,
# russian, french; simple for Persian) and a GIN index — then each query as plainto_tsquery,
# ranked by ts_rank, top 20 with ts_headline snippets. Times are taken inside the server
# (clock_timestamp around each query in PL/pgSQL: no client round trips).
#
# Usage: bench/search/pg_search.sh DIR [DOCS] [QUERIES]
#   DIR      written by search_bench --export DIR (corpus.tsv, queries.tsv)
#   DOCS     the first DOCS texts of the corpus, default 50000 (PostgreSQL indexes 0.3-0.8k
#            docs/s here: a million takes most of an hour)
#   QUERIES  the first QUERIES queries of the log, default 100
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(cd "${1:?usage: pg_search.sh DIR [DOCS] [QUERIES]}" && pwd)
docs=${2:-50000}
queries=${3:-100}
[ -f "$dir/corpus.tsv" ] && [ -f "$dir/queries.tsv" ] ||
  { echo "pg_search: $dir has no corpus.tsv/queries.tsv (run search_bench --export $dir)" >&2; exit 1; }
# shellcheck source=../common/pg_cluster.sh
source "$repo/bench/common/pg_cluster.sh"

head -n "$docs" "$dir/corpus.tsv" >"$work/corpus.tsv"
head -n "$queries" "$dir/queries.tsv" >"$work/queries.tsv"
chmod 644 "$work"/*.tsv

psql <<SQL
CREATE FUNCTION cfg(lang text) RETURNS regconfig IMMUTABLE LANGUAGE sql AS \$\$
  SELECT CASE lang WHEN 'ar' THEN 'arabic' WHEN 'en' THEN 'english' WHEN 'ru' THEN 'russian'
                   WHEN 'fr' THEN 'french' ELSE 'simple' END::regconfig
\$\$;
CREATE TABLE raw (lang text, title text, body text);
COPY raw FROM '$work/corpus.tsv';
CREATE TABLE queries (n serial, lang text, q text);
COPY queries (lang, q) FROM '$work/queries.tsv';
CREATE TABLE docs (id serial PRIMARY KEY, lang text, title text, body text, tsv tsvector);
CREATE TABLE timings (what text, secs float8);

-- Indexing: the tsvector of every document, then the GIN index, timed in the server.
DO \$\$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  INSERT INTO docs (lang, title, body, tsv)
    SELECT lang, title, body,
           setweight(to_tsvector(cfg(lang), title), 'A') || to_tsvector(cfg(lang), body)
    FROM raw;
  CREATE INDEX docs_tsv ON docs USING gin (tsv);
  INSERT INTO timings VALUES ('index', extract(epoch FROM clock_timestamp() - t0));
END \$\$;

CREATE TABLE latencies (n int, ms float8, hits bigint);
DO \$\$
DECLARE r record; t0 timestamptz; h bigint;
BEGIN
  FOR r IN SELECT * FROM queries ORDER BY n LOOP
    t0 := clock_timestamp();
    SELECT count(*) INTO h FROM (
      SELECT id, ts_headline(cfg(d.lang), body, query) FROM (
        SELECT id, lang, body, query, ts_rank(tsv, query) AS rank
        FROM docs, plainto_tsquery(cfg(r.lang), r.q) AS query
        WHERE tsv @@ query ORDER BY rank DESC LIMIT 20) d) top;
    INSERT INTO latencies VALUES (r.n, extract(epoch FROM clock_timestamp() - t0) * 1000, h);
  END LOOP;
END \$\$;
SQL

read -r n secs bytes < <(psql -F ' ' -c "SELECT count(*), (SELECT secs FROM timings WHERE what = 'index'),
  pg_total_relation_size('docs') FROM docs")
raw=$(psql -c "SELECT sum(octet_length(title) + octet_length(body)) FROM raw")
read -r p50 p99 max cnt < <(psql -F ' ' -c "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY ms),
  percentile_disc(0.99) WITHIN GROUP (ORDER BY ms), max(ms), count(*) FROM latencies")
echo "PostgreSQL $(psql -c 'SHOW server_version' | cut -d' ' -f1), one backend"
awk -v n="$n" -v secs="$secs" -v bytes="$bytes" -v raw="$raw" -v p50="$p50" -v p99="$p99" \
    -v max="$max" -v cnt="$cnt" 'BEGIN {
  printf "| PostgreSQL tsvector + GIN indexing, %d docs | %.0f docs/s (%.1f s) |\n", n, n / secs, secs
  printf "| PostgreSQL table + index / raw text | %.1f MB / %.1f MB = %.2fx |\n", bytes / 1e6, raw / 1e6, bytes / raw
  printf "| PostgreSQL ts_rank top 20 + ts_headline at %d docs | p50 %.2f ms, p99 %.2f ms, max %.1f ms (%d queries) |\n", n, p50, p99, max, cnt
}'
