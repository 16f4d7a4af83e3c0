#!/usr/bin/env bash
# A PostgreSQL streaming hot-standby replica of the primary cluster, on the same
# machine, for running Odoo with --db_replica_host/--db_replica_port.
#
#   tools/replica.sh setup      # pg_basebackup of the primary, then start it
#   tools/replica.sh start|stop|status
#   tools/replica.sh teardown   # stop it and delete its directory
#   tools/replica.sh demo [--fault] [replica_check.py options]
#                               # Odoo on the replica: which calls go where
#
# The replica is a plain data directory run by pg_ctl as the `postgres` user
# (PostgreSQL refuses to run as root); it is not a Debian "cluster" of
# pg_lsclusters, so nothing in /etc/postgresql is created for it.
#
# Environment (defaults):
#   PRIMARY_HOST=127.0.0.1 PRIMARY_PORT=5432 PRIMARY_USER=postgres (replication
#   role) REPLICA_PORT=5433 REPLICA_DIR=/var/lib/postgresql/rp_replica
#   PG_BIN=/usr/lib/postgresql/<major of the primary>/bin
#
# `setup` may add one line to the primary's pg_hba.conf, "host replication all
# 127.0.0.1/32 trust", and reload it (pg_reload_conf: no restart) when no rule
# lets a replication connection in from 127.0.0.1. No replication slot is made:
# a replica left stopped never makes the primary keep WAL for it; one stopped
# for long may have to be set up again (`teardown` then `setup`).
set -euo pipefail

PRIMARY_HOST="${PRIMARY_HOST:-127.0.0.1}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
PRIMARY_USER="${PRIMARY_USER:-postgres}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_DIR="${REPLICA_DIR:-/var/lib/postgresql/rp_replica}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# psql on the primary / on the replica, as the current (super)user
primary() { psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -d postgres -X -qtAc "$1"; }
replica() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -d postgres -X -qtAc "$1"; }
as_postgres() { runuser -u postgres -- "$@"; }

pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
    local major
    major="$(primary 'SHOW server_version_num')"
    echo "/usr/lib/postgresql/$((major / 10000))/bin"
}

pg_ctl() { as_postgres "$(pg_bin)/pg_ctl" -D "$REPLICA_DIR" "$@"; }

is_running() { [ -f "$REPLICA_DIR/postmaster.pid" ] && pg_ctl status >/dev/null 2>&1; }

check_primary() {
    # a standby needs WAL with enough detail and a free WAL sender
    local wal_level senders
    wal_level="$(primary 'SHOW wal_level')"
    senders="$(primary 'SHOW max_wal_senders')"
    case "$wal_level" in
        replica | logical) ;;
        *) echo "ERROR: the primary has wal_level=$wal_level; a standby needs" \
               "'replica' (changing it needs a restart of the primary)" >&2; exit 1 ;;
    esac
    if [ "$senders" -lt 1 ]; then
        echo "ERROR: the primary has max_wal_senders=0 (changing it needs a restart)" >&2
        exit 1
    fi
    echo "primary: wal_level=$wal_level, max_wal_senders=$senders"
}

allow_replication() {
    # pg_hba_file_rules shows the rules in force; "all" as database does not
    # match replication connections, only the keyword "replication" does
    local rule
    rule="$(primary "SELECT count(*) FROM pg_hba_file_rules
        WHERE 'replication' = ANY(database) AND type IN ('host', 'hostnossl')
          AND (address IN ('all', 'samehost', 'samenet') OR address LIKE '127.%')")"
    if [ "$rule" -gt 0 ]; then
        echo "primary: pg_hba.conf already lets replication in from 127.0.0.1"
        return
    fi
    local hba
    hba="$(primary 'SHOW hba_file')"
    echo "primary: adding 'host replication all 127.0.0.1/32 trust' to $hba and reloading"
    printf '%s\n' "# added by isp_sales_desk tools/replica.sh: local streaming replica" \
        "host    replication     all             127.0.0.1/32            trust" >>"$hba"
    primary 'SELECT pg_reload_conf()' >/dev/null
}

write_config() {
    # pg_basebackup copies the data directory; Debian keeps postgresql.conf and
    # pg_hba.conf in /etc, so the replica gets files of its own. A hot standby
    # needs these limits at least as high as the primary's.
    local max_conn workers prepared locks senders
    max_conn="$(primary 'SHOW max_connections')"
    workers="$(primary 'SHOW max_worker_processes')"
    prepared="$(primary 'SHOW max_prepared_transactions')"
    locks="$(primary 'SHOW max_locks_per_transaction')"
    senders="$(primary 'SHOW max_wal_senders')"
    as_postgres tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<EOF
# Replica of $PRIMARY_HOST:$PRIMARY_PORT, written by tools/replica.sh setup.
# primary_conninfo is in postgresql.auto.conf, standby.signal marks a standby.
listen_addresses = '127.0.0.1'
port = $REPLICA_PORT
cluster_name = 'rp_replica'           # its name in the primary's pg_stat_replication
unix_socket_directories = '/var/run/postgresql'
hot_standby = on                      # answer read-only queries while replaying
hot_standby_feedback = on             # fewer queries cancelled by the replay
max_connections = $max_conn
max_worker_processes = $workers
max_prepared_transactions = $prepared
max_locks_per_transaction = $locks
max_wal_senders = $senders
# per-statement counters of the queries the replica serves (the extension is
# created on the primary's database, the standby being read-only)
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
log_line_prefix = '%m [%p] %q%u@%d '
EOF
    as_postgres tee "$REPLICA_DIR/pg_hba.conf" >/dev/null <<EOF
local   all             all                                     trust
host    all             all             127.0.0.1/32            trust
EOF
    # a copied postmaster.opts / log of the primary would only mislead
    rm -f "$REPLICA_DIR/postmaster.opts" "$REPLICA_DIR/postmaster.pid"
}

wait_ready() {
    for _ in $(seq 60); do
        if replica 'SELECT pg_is_in_recovery()' 2>/dev/null | grep -q t; then return 0; fi
        sleep 1
    done
    echo "ERROR: the replica does not answer on 127.0.0.1:$REPLICA_PORT;" \
        "see $REPLICA_DIR/replica.log" >&2
    exit 1
}

cmd_setup() {
    if [ -e "$REPLICA_DIR/PG_VERSION" ]; then
        echo "ERROR: $REPLICA_DIR already holds a cluster: 'teardown' first" >&2
        exit 1
    fi
    if pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT"; then
        echo "ERROR: something already listens on port $REPLICA_PORT" >&2
        exit 1
    fi
    check_primary
    allow_replication
    install -d -o postgres -g postgres -m 700 "$REPLICA_DIR"
    echo "pg_basebackup of $PRIMARY_HOST:$PRIMARY_PORT into $REPLICA_DIR ..."
    # -R: standby.signal + primary_conninfo; -X stream: the WAL written during
    # the copy comes along; -c fast: checkpoint now rather than spread out
    as_postgres "$(pg_bin)/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" \
        -U "$PRIMARY_USER" -D "$REPLICA_DIR" -R -X stream -c fast --no-password
    write_config
    cmd_start
}

cmd_start() {
    if is_running; then echo "replica already running on port $REPLICA_PORT"; return; fi
    [ -e "$REPLICA_DIR/standby.signal" ] || {
        echo "ERROR: no replica in $REPLICA_DIR: run 'setup' first" >&2; exit 1; }
    pg_ctl -l "$REPLICA_DIR/replica.log" -w start >/dev/null
    wait_ready
    echo "replica started on 127.0.0.1:$REPLICA_PORT (log: $REPLICA_DIR/replica.log)"
}

cmd_stop() {
    if ! is_running; then echo "replica not running"; return; fi
    # fast: open connections (Odoo's) are cut, as when the server goes away
    pg_ctl -m fast -w stop >/dev/null
    echo "replica stopped"
}

cmd_status() {
    if ! is_running; then
        echo "replica: not running (directory: $REPLICA_DIR)"
        return 3
    fi
    echo "replica: running on 127.0.0.1:$REPLICA_PORT (directory: $REPLICA_DIR)"
    replica "SELECT 'in recovery: ' || pg_is_in_recovery()
        || E'\nreceived up to: ' || coalesce(pg_last_wal_receive_lsn()::text, '-')
        || E'\nreplayed up to: ' || coalesce(pg_last_wal_replay_lsn()::text, '-')
        || E'\nlast replayed transaction: '
        || coalesce(pg_last_xact_replay_timestamp()::text, '-')"
    echo "primary's view (pg_stat_replication):"
    primary "SELECT '  ' || application_name || ' ' || host(client_addr) || ' ' || state
        || ' sent=' || sent_lsn || ' replayed=' || coalesce(replay_lsn::text, '-')
        || ' lag=' || coalesce(replay_lag::text, '0')
        FROM pg_stat_replication WHERE application_name = 'rp_replica'"
}

cmd_teardown() {
    cmd_stop
    if [ -e "$REPLICA_DIR/PG_VERSION" ]; then  # never a directory that is not ours
        rm -rf --one-file-system "$REPLICA_DIR"
        echo "removed $REPLICA_DIR"
    elif [ -d "$REPLICA_DIR" ]; then
        rmdir "$REPLICA_DIR" && echo "removed $REPLICA_DIR (empty)"
    fi
}

case "${1:-}" in
    setup | start | stop | status | teardown) "cmd_$1" ;;
    demo)
        shift
        # Odoo, as the current (super)user, on the primary at 127.0.0.1
        exec python3 "$HERE/replica_check.py" --primary-port "$PRIMARY_PORT" \
            --replica-port "$REPLICA_PORT" "$@" ;;
    *)
        echo "usage: $0 setup|start|stop|status|teardown|demo [--fault]" >&2
        exit 2 ;;
esac
