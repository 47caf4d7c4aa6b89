#!/usr/bin/env bash
# The chaos campaign: bench/chaos/run.sh [--small|--full] [key=value ...]
#
# Starts its own PostgreSQL cluster (initdb into a temporary directory, the machine's server binaries) and its own
# Redis (no persistence) on ports of its own, a sandbox supplier process behind a fault-injecting proxy, and N
# orchestrator nodes as separate JVMs (roles api,timers) on target/otp-orchestrator.jar; drives a mixed workload and a
# raw-socket fuzzer across the nodes while it kills, stops and restarts nodes, PostgreSQL and Redis and makes the
# supplier slow, failing and garbled; then lets the timers drain and checks the books in SQL. See bench/chaos/README.md.
#
#   --small   CI size: 150 s of load, ~5,000 orders, 100,000 fuzzed requests, every fault once (about 5 min)
#   --full    >= 100,000 orders over 27 min, 1,000,000 fuzzed requests, every fault twice (about 50 min)
#   key=value passed to the driver (e.g. seconds=60 rate=20 fuzz=20000 nodes=2 window=20); see ChaosDriver.configure()
#
# Environment: CHAOS_BASE_PORT (18400: supplier 18401-18404, nodes from 18410), CHAOS_PG_PORT (55440),
# CHAOS_REDIS_PORT (16390), CHAOS_KEEP=1 keeps the temporary store directory, CHAOS_NO_LOCK=1 skips the
# /tmp/otp-heavy.lock (only when the caller already holds it).
#
# Results: bench/chaos/results/<size>-<UTC stamp>/ with summary.txt, chaos.json and every process's log.
# Exit code: 0 every check passed, 1 a check failed, 2 the harness could not run.
set -euo pipefail
cd "$(dirname "$0")/../.."

# One heavy run on the machine at a time (they share 2 cores with other suites and benchmarks).
if [ "${CHAOS_NO_LOCK:-0}" != 1 ] && [ "${CHAOS_LOCKED:-0}" != 1 ]; then
  exec env CHAOS_LOCKED=1 flock /tmp/otp-heavy.lock "$0" "$@"
fi

size=small
args=()
for a in "$@"; do
  case "$a" in
    --small) size=small ;;
    --full) size=full ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *=*) args+=("$a") ;;
    *) echo "chaos: unknown argument $a (try --help)" >&2; exit 2 ;;
  esac
done

. bin/java-home.sh

# --- tools: the PostgreSQL server binaries (initdb, pg_ctl), psql, redis-server and redis-cli
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v psql >/dev/null || need+=(postgresql-client)
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
if [ ${#need[@]} -gt 0 ]; then
  echo "chaos: installing ${need[*]} (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- the jar, built when missing or older than the sources
jar=target/otp-orchestrator.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  echo "chaos: building $jar" >&2
  ./mvnw -B -q -DskipTests package
fi

base_port=${CHAOS_BASE_PORT:-18400}
export CHAOS_PG_PORT=${CHAOS_PG_PORT:-55440}
export CHAOS_REDIS_PORT=${CHAOS_REDIS_PORT:-16390}
for p in "$CHAOS_REDIS_PORT" $((base_port + 1)) $((base_port + 2)) $((base_port + 3)) $((base_port + 4)) $((base_port + 10)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "chaos: port $p is already in use (another run, or something else); stop it or choose other ports" >&2
    exit 2
  fi
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/chaos/results/$size-$stamp
mkdir -p "$out"
export CHAOS_WORK
CHAOS_WORK=$(mktemp -d /tmp/otp-chaos.XXXXXX)
chmod 755 "$CHAOS_WORK"
log() { echo "chaos $(date +%H:%M:%S) $*" >&2; }

cleanup() {
  # the driver stops the processes it started; this catches what an aborted driver left behind (by pid, ours only)
  if [ -f "$out/pids" ]; then
    while read -r pid; do
      # only a process of this run: our jar, started with our Redis port (a pid may have been reused since)
      if [ -r "/proc/$pid/environ" ] && tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "REDIS_URL=redis://127.0.0.1:$CHAOS_REDIS_PORT" \
          && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "otp-orchestrator.jar"; then
        kill -9 "$pid" 2>/dev/null || true
      fi
    done <"$out/pids"
  fi
  bash bench/chaos/stores.sh redis-kill || true
  bash bench/chaos/stores.sh pg-stop || true
  cp "$CHAOS_WORK/postgres.log" "$out/postgres.log" 2>/dev/null || true
  cp "$CHAOS_WORK/redis.log" "$out/redis.log" 2>/dev/null || true
  if [ "${CHAOS_KEEP:-0}" != 1 ]; then rm -rf "$CHAOS_WORK"; else log "stores kept in $CHAOS_WORK"; fi
}
trap cleanup EXIT

log "size $size, results in $out, stores in $CHAOS_WORK (PostgreSQL :$CHAOS_PG_PORT, Redis :$CHAOS_REDIS_PORT)"
# the first free port of 55440..55449 (CHAOS_PG_PORT first): ours, but inside the kernel's ephemeral range
started_pg=0
for p in "$CHAOS_PG_PORT" $(seq 55440 55449); do
  export CHAOS_PG_PORT=$p
  bash bench/chaos/stores.sh pg-init
  if CHAOS_PG_NO_WAIT=1 bash bench/chaos/stores.sh pg-start; then started_pg=1; break; fi
  log "PostgreSQL could not listen on $p, trying the next port"
done
[ "$started_pg" = 1 ] || { echo "chaos: PostgreSQL could not start on any of 55440..55449" >&2; exit 2; }
log "PostgreSQL on :$CHAOS_PG_PORT"
psql -X -q -h 127.0.0.1 -p "$CHAOS_PG_PORT" -U postgres -d postgres -c "CREATE DATABASE chaos" >/dev/null
bash bench/chaos/stores.sh redis-start

started=$(date +%s)
cpu_before=$(awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8}' /proc/stat)
idle_before=$(awk '/^cpu / {print $5+$6}' /proc/stat)
rc=0
java -Xmx1500m -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$jar" bench/chaos/ChaosDriver.java \
  size="$size" out="$out" jar="$jar" stores=bench/chaos/stores.sh base-port="$base_port" pg-port="$CHAOS_PG_PORT" \
  redis-port="$CHAOS_REDIS_PORT" "${args[@]}" || rc=$?
cpu_after=$(awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8}' /proc/stat)
idle_after=$(awk '/^cpu / {print $5+$6}' /proc/stat)
busy=$(awk -v a="$cpu_before" -v b="$cpu_after" -v i="$idle_before" -v j="$idle_after" 'BEGIN { t = b - a; if (t > 0) printf "%.0f", 100 * (t - (j - i)) / t; else print 0 }')
log "done in $(( $(date +%s) - started )) s, machine CPU busy ${busy} % on average, load $(cut -d' ' -f1-3 /proc/loadavg), exit $rc"
echo "{\"wallSeconds\": $(( $(date +%s) - started )), \"machineCpuBusyPercent\": $busy, \"exit\": $rc}" >"$out/resources.json"
exit $rc
