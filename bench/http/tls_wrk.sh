#!/usr/bin/env bash
# GET /v1/health with keep-alive over plain HTTP and over HTTPS, one after the other in one run
# (the same centre, the same server threads), measured with wrk against a Release build.
# Usage: bench/http/tls_wrk.sh [BUILD_DIR] [DURATION]   (defaults: build/release 10s)
# Budget (issue 11): >= 5,000 requests/s over keep-alive HTTPS on 2 cores.
# The certificate is a throw-away EC P-256 one made here (wrk does not verify it); the TLS
# version and cipher are what OpenSSL 3 negotiates by default with our server: TLS 1.3,
# TLS_AES_256_GCM_SHA384.
set -euo pipefail
build=${1:-build/release}
duration=${2:-10s}
root=$(cd "$(dirname "$0")/../.." && pwd)
markaz="$root/$build/src/markaz"
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$markaz" init --data "$work/data" --charter "$root/examples/charter.toml" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null

# run NAME [serve flags...]: starts the server, runs wrk against /v1/health, stops the server.
run() {
  local name=$1; shift
  "$markaz" serve --data "$work/data" --listen 127.0.0.1:0 --threads "${THREADS:-2}" "$@" \
    2>"$work/$name.log" &
  pid=$!
  for _ in $(seq 200); do grep -q "listening on" "$work/$name.log" && break; sleep 0.05; done
  local url
  url=$(sed -n 's/^listening on //p' "$work/$name.log")
  echo "== $name: $url (threads ${THREADS:-2}) =="
  wrk -t2 -c64 -d"$duration" --latency "$url/v1/health"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

run plain
run https --tls-cert "$work/server.crt" --tls-key "$work/server.key"
