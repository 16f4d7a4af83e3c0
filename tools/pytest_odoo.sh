#!/usr/bin/env bash
# Runs the addon's Odoo tests (tests/) under pytest-odoo, the design's runner:
# pytest's selection (-k, -x, a file, a test), output and plugins on the same
# tests that tools/test.sh runs through Odoo's own runner.
#
#   ./tools/pytest_odoo.sh                        # every Odoo test
#   ./tools/pytest_odoo.sh tests/test_integrity.py -k json2 -x
#
# It installs the addon on a fresh database (ISP_PYTEST_DB, default
# isp_sales_desk_pytest, without demo data) and runs pytest with an Odoo HTTP
# server (--odoo-http), so that the JSON-2 and HTTP tests run too. pytest names
# a test module after its folder, so the tests run from a copy of the working
# tree in a folder named isp_sales_desk (the clone may be named otherwise).
#
# Environment: ISP_PYTEST_DB, PGHOST (default 127.0.0.1), PGUSER (default: you).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDON=isp_sales_desk
DB="${ISP_PYTEST_DB:-isp_sales_desk_pytest}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-$(id -un)}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 -c 'import odoo.release, pytest_odoo' 2>/dev/null || {
    echo "Odoo 19 and pytest-odoo must be importable from python3" \
        "(pip install -r requirements-test.txt)." >&2
    exit 1
}
mkdir "$WORK/$ADDON"
tar -C "$REPO" --exclude=.git -cf - . | tar -C "$WORK/$ADDON" -xf -

dropdb --if-exists "$DB"
echo "Installing $ADDON on $DB (log: $WORK/install.log)"
python3 -m odoo server --addons-path="$WORK" -d "$DB" --db_host="$PGHOST" \
    --db_user="$PGUSER" -i "$ADDON" --stop-after-init --workers=0 \
    --max-cron-threads=0 --log-level=warn >"$WORK/install.log" 2>&1 || {
    cat "$WORK/install.log" >&2
    exit 1
}
cd "$WORK/$ADDON"
[ "$#" -gt 0 ] || set -- tests
python3 -m pytest -p no:cacheprovider --odoo-database="$DB" \
    --odoo-addons-path="$WORK" --odoo-http \
    --odoo-extra="db_host=$PGHOST" --odoo-extra="db_user=$PGUSER" "$@"
