#!/usr/bin/env bash
# Runs the whole suite (tools/test.sh) as if now were DATE (UTC), to prove the
# tests pass on any day: a month's end, a year's turn. Odoo, the browser and a
# PostgreSQL server of its own all run under libfaketime with the same offset,
# so the database's clock (create_date) and Python's (fields.Datetime.now)
# agree, as they do on a real server on that day.
#
# usage: tools/test_at_date.sh "2026-12-31 23:50:00"
# Needs Debian's faketime package (apt-get install faketime). The temporary
# PostgreSQL cluster listens on 127.0.0.1:5499 and is removed afterwards.
set -euo pipefail
DATE="${1:?usage: $0 'YYYY-MM-DD HH:MM:SS' (UTC)}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$(find /usr/lib -name libfaketime.so.1 | head -n 1)"
[ -n "$LIB" ] || { echo "libfaketime not found: apt-get install faketime" >&2; exit 2; }
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
PORT=5499
PGDATA="$(mktemp -d /tmp/isp_pg_at_date.XXXXXX)"
chown postgres "$PGDATA"

# one offset for every process: they all see the same fake clock
offset=$(( $(date -u -d "$DATE" +%s) - $(date -u +%s) ))
if [ "$offset" -lt 0 ]; then FAKETIME="${offset}s"; else FAKETIME="+${offset}s"; fi
export LD_PRELOAD="$LIB" FAKETIME FAKETIME_DONT_FAKE_MONOTONIC=1

cleanup() {
    su postgres -s /bin/sh -c "'$PG_BIN/pg_ctl' -D '$PGDATA' -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$PGDATA"
}
trap cleanup EXIT
su postgres -s /bin/sh -c "'$PG_BIN/initdb' -D '$PGDATA' -A trust -U postgres" >/dev/null
su postgres -s /bin/sh -c "LD_PRELOAD='$LIB' FAKETIME='$FAKETIME' '$PG_BIN/pg_ctl' -D '$PGDATA' -o '-p $PORT -k $PGDATA -c listen_addresses=127.0.0.1' -w start" >/dev/null
psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE ROLE \"$(id -un)\" SUPERUSER LOGIN" postgres
echo "PostgreSQL says: $(psql -h 127.0.0.1 -p "$PORT" -d postgres -tAc 'SELECT now()')"
echo "Python says:     $(python3 -c 'import datetime; print(datetime.datetime.now(datetime.timezone.utc))')"
PGPORT="$PORT" ISP_TEST_DB="isp_sales_desk_at_date" ISP_TEST_DROP_DB=1 \
    bash "$REPO/tools/test.sh"
