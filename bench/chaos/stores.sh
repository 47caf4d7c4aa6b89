#!/usr/bin/env bash
# The chaos run's own PostgreSQL cluster and Redis: bench/chaos/stores.sh <command>
#
#   pg-init         initdb a fresh cluster into $CHAOS_WORK/pg (trust auth, owned by the postgres OS user)
#   pg-start        start it on $CHAOS_PG_PORT (127.0.0.1 only) and wait until it answers
#   pg-crash        stop it with "immediate" (no checkpoint: what a crash or an OOM kill does)
#   pg-stop         stop it cleanly ("fast")
#   redis-start     start a Redis on $CHAOS_REDIS_PORT that keeps nothing on disk
#   redis-kill      shut it down without saving: every key (the whole timer index) is gone
#
# Called by run.sh (start, stop) and by the driver (the scheduled faults). Never touches the machine's
# shared PostgreSQL (5432) or Redis (6379): every command names the run's own port and data directory.
set -euo pipefail
: "${CHAOS_WORK:?}" "${CHAOS_PG_PORT:?}" "${CHAOS_REDIS_PORT:?}"
pg_data=$CHAOS_WORK/pg
pg_bin=${CHAOS_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

# PostgreSQL refuses to run as root: run its tools as the postgres OS user when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  pg-init)
    [ -x "$pg_bin/initdb" ] || { echo "stores: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2; exit 1; }
    rm -rf "$pg_data"
    mkdir -p "$pg_data"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$CHAOS_WORK" "$pg_data"; fi
    as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$CHAOS_WORK/initdb.log" 2>&1 \
      || as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --locale=C >"$CHAOS_WORK/initdb.log" 2>&1
    # fsync off: durable against a killed server (what we test: commits are written to the OS at commit), not against a
    # machine crash, which no run survives anyway. synchronous_commit stays on, so an acknowledged commit survives pg-crash.
    cat >>"$pg_data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $CHAOS_PG_PORT
unix_socket_directories = '$pg_data'
max_connections = 200
shared_buffers = 256MB
synchronous_commit = on
fsync = off
full_page_writes = off
log_min_messages = warning
log_min_error_statement = panic
EOF
    ;;
  pg-start)
    # Our port lies in the kernel's ephemeral range: an outgoing connection anywhere on the machine may hold it as
    # its local port for a while. Try again for up to 30 s rather than give up.
    for attempt in $(seq 1 30); do
      if as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$CHAOS_WORK/postgres.log" -w -t 60 start >/dev/null 2>&1; then exit 0; fi
      tail -5 "$CHAOS_WORK/postgres.log" | grep -q "Address already in use" || { tail -5 "$CHAOS_WORK/postgres.log" >&2; exit 1; }
      [ "${CHAOS_PG_NO_WAIT:-0}" = 1 ] && exit 1
      sleep 1
    done
    echo "stores: port $CHAOS_PG_PORT stayed taken for 30 s" >&2
    exit 1
    ;;
  pg-crash)
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w -t 60 stop >/dev/null
    ;;
  pg-stop)
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    ;;
  redis-start)
    redis-server --daemonize yes --bind 127.0.0.1 --port "$CHAOS_REDIS_PORT" --save "" --appendonly no \
      --dir "$CHAOS_WORK" --pidfile "$CHAOS_WORK/redis.pid" --logfile "$CHAOS_WORK/redis.log" >/dev/null
    for _ in $(seq 1 50); do redis-cli -p "$CHAOS_REDIS_PORT" ping >/dev/null 2>&1 && exit 0; sleep 0.1; done
    echo "stores: redis did not start" >&2; exit 1
    ;;
  redis-kill)
    redis-cli -p "$CHAOS_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do redis-cli -p "$CHAOS_REDIS_PORT" ping >/dev/null 2>&1 || exit 0; sleep 0.1; done
    ;;
  *) echo "usage: stores.sh pg-init|pg-start|pg-crash|pg-stop|redis-start|redis-kill" >&2; exit 2 ;;
esac
