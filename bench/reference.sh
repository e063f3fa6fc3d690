#!/usr/bin/env bash
# A private reference Unleash 7.5.1 for benchmarks, on an empty database of its own, so that its
# payloads hold the bench workload and nothing else (the shared reference on :4243 holds what
# every other session created there).
#   bench/reference.sh start [PORT]   (default 4244; drops and recreates database unleash_bench_PORT)
#   bench/reference.sh stop [PORT]
# Needs the unleash-server package that ../shared/tools/reference-unleash installs.
set -euo pipefail
ACTION=${1:-start}
PORT=${2:-4244}
DIR=${REFERENCE_UNLEASH_DIR:-$HOME/.cache/reference-unleash}
DB=unleash_bench_$PORT
PIDFILE=/tmp/unleash-bench-$PORT.pid
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  kill "$(cat "$PIDFILE")"
  while kill -0 "$(cat "$PIDFILE")" 2>/dev/null; do sleep 0.2; done
fi
rm -f "$PIDFILE"
[ "$ACTION" = stop ] && exit 0
[ -d "$DIR/node_modules/unleash-server" ] || { echo "run ../shared/tools/reference-unleash once first" >&2; exit 1; }
psql_admin() { psql -h 127.0.0.1 -U postgres -d postgres -qtAc "$1"; }
[ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='unleash_ref'")" = 1 ] ||
  psql_admin "CREATE ROLE unleash_ref LOGIN SUPERUSER PASSWORD 'unleash_ref'"
psql_admin "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql_admin "CREATE DATABASE $DB OWNER unleash_ref"
cat > "$DIR/bench-$PORT.mjs" <<JS
import { start } from 'unleash-server';
start({
  db: { user: 'unleash_ref', password: 'unleash_ref', host: '127.0.0.1', port: 5432, database: '$DB', ssl: false },
  server: { port: $PORT },
  authentication: { initApiTokens: [
    { environment: '*', project: '*', secret: '*:*.admin-secret', type: 'admin', tokenName: 'admin' },
    { environment: 'development', project: '*', secret: '*:development.client-secret', type: 'client', tokenName: 'client' },
    { environment: 'development', project: '*', secret: '*:development.frontend-secret', type: 'frontend', tokenName: 'frontend' },
  ] },
  logLevel: 'warn',
});
JS
cd "$DIR"
NODE_ENV=production setsid node "bench-$PORT.mjs" > "/tmp/unleash-bench-$PORT.log" 2>&1 &
echo $! > "$PIDFILE"
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && { echo "reference Unleash on http://127.0.0.1:$PORT"; exit 0; }
  sleep 0.5
done
echo "reference Unleash did not start; see /tmp/unleash-bench-$PORT.log" >&2
exit 1
