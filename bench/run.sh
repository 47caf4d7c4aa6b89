#!/usr/bin/env bash
# Benchmark of the real service: bench/run.sh <purchase|bulk|expiry-burst|steady|live-million|overload>
#
# Starts the service as its own process (dev mode: seeded catalog; the sandbox supplier in a process of its own) on a
# dedicated database and Redis key prefix, creates funded accounts through the admin API, measures
# the pgbench ceiling of the same purchase SQL (purchase, bulk), drives the service over HTTP from a
# separate process (bench/BenchDriver.java), and writes summary.json, timeseries.csv, chart.png,
# the service log (and service.jfr + jfr-hot-methods.txt with BENCH_JFR=1) to
# bench/results/<scenario>-<UTC timestamp>/. See docs/benchmarks.md.
#
# Knobs (environment): BENCH_SCALE (default 1: the full scenario; 0.1 = a run of about a minute),
# BENCH_DURATION (seconds of load, default 60 x scale, at least 10), BENCH_WARMUP (seconds of load
# before the measured part, default 60), BENCH_CONNECTIONS (64), BENCH_ACCOUNTS, BENCH_RATE (steady),
# BENCH_PGBENCH_SECONDS (20), BENCH_PGBENCH_CLIENTS (8), BENCH_JFR=1, BENCH_JVM_OPTS (-Xmx2g),
# BENCH_PORT (18080; the sandbox uses the next port), BENCH_DB (bench), BENCH_PG (admin URL
# postgresql://postgres@127.0.0.1:5432), BENCH_REDIS_URL (redis://127.0.0.1:6379),
# BENCH_REDIS_PREFIX (bench:), BENCH_JAR (the service jar to run, for A/B runs against a baseline build),
# BENCH_BASELINE_WORKERS (expiry-burst: workers of the naive one-transaction-per-order baseline, 64; 0: none),
# BENCH_BASELINE_ORDERS (expiry-burst: orders of that baseline, default as many as the burst),
# BENCH_SEEDED_EXPIRIES (steady: expiries/s seeded by SQL besides those of the purchases, default 0),
# BENCH_PURCHASES_IN_FLIGHT (overload, steady: the service's admission bound),
# BENCH_AUTOVACUUM=on (turn PostgreSQL's autovacuum on for the run when the server has it off; reset at the end),
# BENCH_SUPPLIER (process: the sandbox supplier in its own JVM, the default; in-process: inside the service),
# BENCH_CEILING_WORKERS (expiry-burst: connections of PostgreSQL's own ceiling, the engine's batch SQL alone, 4; 0: none).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scenario=${1:-}
case "$scenario" in
  purchase|bulk|expiry-burst|steady|live-million|overload) ;;
  *) echo "usage: bench/run.sh purchase|bulk|expiry-burst|steady|live-million|overload" >&2; exit 2 ;;
esac

. bin/java-home.sh

scale=${BENCH_SCALE:-1}
scaled() { awk -v v="$1" -v s="$scale" -v min="${2:-1}" 'BEGIN { x = int(v * s + 0.5); if (x < min) x = min; print x }'; }
duration=${BENCH_DURATION:-$(scaled 60 10)}
warmup=${BENCH_WARMUP:-60}   # the JIT: purchases reach their plateau 35-40 s into the load on 2 cores
connections=${BENCH_CONNECTIONS:-64}
pgbench_seconds=${BENCH_PGBENCH_SECONDS:-20}
pgbench_clients=${BENCH_PGBENCH_CLIENTS:-8}
port=${BENCH_PORT:-18080}
sandbox_port=$((port + 1))
db=${BENCH_DB:-bench}
pg=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}
redis_url=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
prefix=${BENCH_REDIS_PREFIX:-bench:}
admin=bench-admin-token-0123456789
jvm_opts=${BENCH_JVM_OPTS:--Xmx2g}

# --- tools: pgbench and psql (Debian postgresql-contrib / postgresql-client), redis-cli (redis-tools),
# curl. The chart is drawn by the driver with java.awt, so no plotting package is needed.
need=()
command -v pgbench >/dev/null || need+=(postgresql-contrib)
command -v psql >/dev/null || need+=(postgresql-client)
command -v redis-cli >/dev/null || need+=(redis-tools)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]} (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  if ! command -v pgbench >/dev/null; then   # some releases ship pgbench in its own package or under /usr/lib/postgresql
    apt-get install -y -qq pgbench >/dev/null 2>&1 || true
    found=$(ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1)
    [ -n "$found" ] && ln -sf "$found" /usr/local/bin/pgbench
  fi
fi

# --- the jar, built when missing or older than the sources
jar=target/otp-orchestrator.jar
svc_jar=${BENCH_JAR:-$jar}   # BENCH_JAR: run another build of the service (A/B against a baseline); the driver uses ours
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  echo "bench: building $jar" >&2
  ./mvnw -B -q -DskipTests package
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results/$scenario-$stamp
mkdir -p "$out"
log() { echo "bench: $*" >&2; }
driver() { java -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -Xmx1g -cp "$jar" bench/BenchDriver.java "$@" \
  port="$port" admin="$admin" dir="$out" database="$pg/$db" redis="$redis_url" prefix="$prefix" supplier-pid="${sup:-0}" 1>&2; }

# --- a fresh database and an empty key prefix (never FLUSHDB: the Redis is shared)
log "fresh database $db and Redis prefix $prefix"
psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
redis-cli -u "$redis_url" --scan --pattern "${prefix}*" | xargs -r -n 1000 redis-cli -u "$redis_url" DEL >/dev/null

# --- PostgreSQL's autovacuum: some CI machines turn it off, and then nothing is vacuumed or analysed while a run
# goes on (every run starts from an empty database): long runs then measure stale plans and dead rows, not what a
# production PostgreSQL does. BENCH_AUTOVACUUM=on turns it on for the run and resets it when the run ends.
autovacuum=$(psql -tA "$pg/postgres" -c 'SHOW autovacuum')
autovacuum_set=0
restore_autovacuum() {
  if [ "$autovacuum_set" = 1 ]; then
    psql -q "$pg/postgres" -c "ALTER SYSTEM RESET autovacuum" -c "SELECT pg_reload_conf()" >/dev/null || true
    autovacuum_set=0
  fi
}
if [ "$autovacuum" = off ]; then
  if [ "${BENCH_AUTOVACUUM:-}" = on ]; then
    psql -q "$pg/postgres" -c "ALTER SYSTEM SET autovacuum = on" -c "SELECT pg_reload_conf()" >/dev/null
    autovacuum_set=1
    autovacuum=on
    trap restore_autovacuum EXIT
    log "PostgreSQL's autovacuum turned on for this run (ALTER SYSTEM; reset when the run ends)"
  else
    log "WARNING: PostgreSQL runs with autovacuum off: nothing is vacuumed or analysed during the run (BENCH_AUTOVACUUM=on turns it on for the run)"
  fi
fi

# --- the service: its own process, dev mode (seeded catalog), and the sandbox supplier (below)
svc_env=(HTTP_PORT="$port" HTTP_HOST=127.0.0.1 DATABASE_URL="$pg/$db" REDIS_URL="$redis_url" REDIS_KEY_PREFIX="$prefix"
  ADMIN_TOKEN="$admin" SANDBOX_PORT="$sandbox_port" SANDBOX_SMS_PROBABILITY=0 SANDBOX_STOCK_PER_SERVICE=100000 SANDBOX_CLOSES_UNKNOWN=true LOG_FORMAT=text
  # the benchmark accounts are funded far beyond a real wallet (BENCH_DEPOSIT): the amount bounds allow it here only
  MAX_AMOUNT_USD=1000000000 MAX_WALLET_BALANCE_USD=2000000000)
case "$scenario" in
  # the sweep's grace outlasts the naive baseline, whose orders are kept out of the service's timer index
  expiry-burst) svc_env+=(TIMER_SWEEP_INTERVAL_MS=5000 TIMER_SWEEP_GRACE_MS=900000) ;;
  steady) svc_env+=(ACTIVATION_WINDOW_SECONDS=10 CANCEL_DELAY_SECONDS=2 SANDBOX_SMS_PROBABILITY=0.1 SANDBOX_SMS_DELAY_SECONDS=3
    ${BENCH_PURCHASES_IN_FLIGHT:+PURCHASES_IN_FLIGHT=$BENCH_PURCHASES_IN_FLIGHT}) ;;
  overload) svc_env+=(ACTIVATION_WINDOW_SECONDS=10 ${BENCH_PURCHASES_IN_FLIGHT:+PURCHASES_IN_FLIGHT=$BENCH_PURCHASES_IN_FLIGHT}) ;;
esac
jfr=()
if [ "${BENCH_JFR:-0}" = 1 ]; then
  jfr=(-XX:StartFlightRecording=filename="$out/service.jfr",settings=profile,dumponexit=true)
fi
# The sandbox supplier runs as its own process (BENCH_SUPPLIER=process, the default), as a real supplier is another
# machine: its CPU is not the service's. BENCH_SUPPLIER=in-process runs it inside the service, as before 4 December.
supplier_mode=${BENCH_SUPPLIER:-process}
sup=""
if [ "$supplier_mode" = process ]; then
  supplier_health=$((port + 2))
  log "starting the sandbox supplier as its own process (supplier port $sandbox_port)"
  env "${svc_env[@]}" ROLES=sandbox HEALTH_PORT="$supplier_health" java -Xmx512m -jar "$svc_jar" dev >"$out/supplier.log" 2>&1 &
  sup=$!
  for i in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$supplier_health/health/ready" >/dev/null 2>&1 && break
    kill -0 "$sup" 2>/dev/null || { tail -30 "$out/supplier.log" >&2; echo "bench: the supplier died at start-up" >&2; exit 1; }
    sleep 1
  done
  svc_env+=(ROLES=api,timers)
fi
log "starting the service on port $port (${svc_env[*]:0:4} ...), results in $out"
env "${svc_env[@]}" java $jvm_opts "${jfr[@]}" -jar "$svc_jar" dev >"$out/service.log" 2>&1 &
svc=$!
stop_service() {
  restore_autovacuum
  if kill -0 "$svc" 2>/dev/null; then
    kill -TERM "$svc" 2>/dev/null || true
    wait "$svc" 2>/dev/null || true
  fi
  if [ -n "$sup" ] && kill -0 "$sup" 2>/dev/null; then
    kill -TERM "$sup" 2>/dev/null || true
    wait "$sup" 2>/dev/null || true
  fi
}
trap stop_service EXIT
for i in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$svc" 2>/dev/null || { tail -30 "$out/service.log" >&2; echo "bench: the service died at start-up" >&2; exit 1; }
  sleep 1
done
curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "bench: the service is not ready after 120 s" >&2; exit 1; }
log "service ready (pid $svc)"

# --- accounts through the admin API
case "$scenario" in
  purchase) accounts=${BENCH_ACCOUNTS:-1000}; plan=bulk; plan_args=() ;;
  bulk) accounts=1; plan=bench-unlimited; plan_args=(plan-rps=100000 plan-burst=1000000) ;;
  expiry-burst|live-million) accounts=${BENCH_ACCOUNTS:-100}; plan=bulk; plan_args=() ;;
  steady) accounts=${BENCH_ACCOUNTS:-20}; plan=bench-unlimited; plan_args=(plan-rps=100000 plan-burst=1000000) ;;
  overload) accounts=${BENCH_ACCOUNTS:-1000}; plan=bench-unlimited; plan_args=(plan-rps=100000 plan-burst=1000000) ;;
esac
driver setup accounts="$accounts" deposit="${BENCH_DEPOSIT:-1000000.00}" plan="$plan" "${plan_args[@]}" out="$out/keys.txt"
first_account=$(head -1 "$out/keys.txt" | cut -d' ' -f1)
last_account=$(tail -1 "$out/keys.txt" | cut -d' ' -f1)

# --- the ceiling: pgbench running the same purchase SQL against the same database
ceiling=0
if [ "$scenario" = purchase ] || [ "$scenario" = bulk ]; then
  driver pgbench-scripts out=bench/pgbench
  clients=$pgbench_clients
  log "pgbench ceiling: bench/pgbench/$scenario.sql, $clients clients, ${pgbench_seconds} s"
  pgbench -n -M prepared -c "$clients" -j 2 -T "$pgbench_seconds" -P 5 -f "bench/pgbench/$scenario.sql" \
    -D first_account="$first_account" -D last_account="$last_account" "$pg/$db" >"$out/pgbench.txt" 2>&1 || true
  grep -E '^progress' "$out/pgbench.txt" >&2 || true
  ceiling=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$out/pgbench.txt" | head -1)
  ceiling=${ceiling:-0}
  log "pgbench: $ceiling purchases/s (hold + allocation update, $clients clients, load $(cut -d' ' -f1-3 /proc/loadavg))"
fi

# --- the load
rate=${BENCH_RATE:-$(scaled 2000 10)}
case "$scenario" in
  purchase|bulk)
    driver load keys="$out/keys.txt" scenario="$scenario" connections="$connections" seconds="$duration" warmup="$warmup" \
      pid="$svc" ceiling-tps="$ceiling" ;;
  expiry-burst)
    driver expiry-burst keys="$out/keys.txt" count="$(scaled 200000 1000)" pid="$svc" lead-seconds="${BENCH_LEAD_SECONDS:-45}" \
      baseline-workers="${BENCH_BASELINE_WORKERS:-64}" baseline-orders="${BENCH_BASELINE_ORDERS:-$(scaled 200000 1000)}" ceiling-workers="${BENCH_CEILING_WORKERS:-4}" ;;
  steady)
    driver steady keys="$out/keys.txt" rate="$rate" seconds="$duration" warmup="$warmup" window-seconds=10 cancel-delay-seconds=2 pid="$svc" \
      seeded-expiries-per-second="${BENCH_SEEDED_EXPIRIES:-0}" ;;
  overload)
    driver overload keys="$out/keys.txt" rate="$rate" seconds="$duration" warmup="$warmup" window-seconds=10 pid="$svc" \
      connections="${BENCH_CONNECTIONS:-1024}" ;;
  live-million)
    driver live-million keys="$out/keys.txt" count="$(scaled 1000000 1000)" idle-seconds="${BENCH_IDLE_SECONDS:-30}" pid="$svc" ;;
esac

# --- database and Redis sizes, then stop the service (the JFR recording is written on exit)
pg_size=$(psql -tA "$pg/$db" -c "SELECT pg_database_size(current_database())")
redis_used=$(redis-cli -u "$redis_url" INFO memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p' | tr -d '\r')
stop_service
trap - EXIT
if [ -f "$out/service.jfr" ]; then
  jfr view --width 220 hot-methods "$out/service.jfr" >"$out/jfr-hot-methods.txt" 2>&1 || true
  # top frames by package (any depth): where the samples' stacks spend time
  jfr print --events jdk.ExecutionSample --stack-depth 1 "$out/service.jfr" 2>/dev/null \
    | sed -n 's/^[[:space:]]*\([a-zA-Z0-9_.$]*\)\.[a-zA-Z0-9_$<>]*(.*line:.*/\1/p' \
    | sort | uniq -c | sort -rn | head -30 >"$out/jfr-top-classes.txt" || true
fi

# --- summary.json: the driver's figures plus the machine, the ceiling and the stores
machine=$(printf '{"nproc": %s, "memTotalMb": %s, "jdk": "%s", "postgres": "%s", "postgresAutovacuum": "%s", "redis": "%s", "loadAverageAtEnd": "%s"}' \
  "$(nproc)" "$(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo)" \
  "$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')" "$(psql -tA "$pg/postgres" -c 'SHOW server_version')" "$autovacuum" \
  "$(redis-cli -u "$redis_url" INFO server | sed -n 's/^redis_version:\(.*\)/\1/p' | tr -d '\r')" "$(cut -d' ' -f1-3 /proc/loadavg)")
{
  echo "{"
  echo "  \"scenario\": \"$scenario\", \"scale\": $scale, \"results\": \"$out\","
  echo "  \"machine\": $machine,"
  echo "  \"stores\": {\"postgresDatabaseBytes\": ${pg_size:-0}, \"redisUsedMemoryBytes\": ${redis_used:-0}},"
  echo "  \"pgbench\": {\"script\": \"bench/pgbench/$scenario.sql\", \"clients\": $pgbench_clients, \"seconds\": $pgbench_seconds, \"tps\": ${ceiling:-0}},"
  echo "  \"run\": $(cat "$out/driver.json")"
  echo "}"
} >"$out/summary.json"
cat "$out/summary.json"
log "chart: $out/chart.png"
