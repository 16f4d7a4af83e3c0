#!/usr/bin/env bash
# Sets up a database with isp_sales_desk and its demo data, then serves it on
# http://localhost:8069 (login admin / admin). Run it again to reuse the database:
# the addon is then updated (-u) instead of installed.
#
# Environment: ISP_DEMO_DB (default isp_sales_desk_demo), ISP_HTTP_PORT (default
# 8069), ISP_HTTP_INTERFACE (default 127.0.0.1), PGHOST (default 127.0.0.1),
# PGUSER (default: the current user). Extra arguments go to Odoo (e.g. --dev=xml).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDON=isp_sales_desk
DB="${ISP_DEMO_DB:-isp_sales_desk_demo}"
PORT="${ISP_HTTP_PORT:-8069}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-$(id -un)}"

python3 -c 'import odoo.release' 2>/dev/null || {
    echo "Odoo 19 is not importable from python3: install it first (see README.rst)." >&2
    exit 1
}

# Odoo finds the addon by its folder name, and the clone may be named otherwise.
ADDONS="${XDG_CACHE_HOME:-$HOME/.cache}/$ADDON/addons"
mkdir -p "$ADDONS"
ln -sfn "$REPO" "$ADDONS/$ADDON"

if psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    setup=(-u "$ADDON")
    echo "Reusing database $DB (updating $ADDON)."
else
    setup=(-i "$ADDON" --with-demo)
    echo "Creating database $DB with $ADDON and its demo data (about a minute)."
fi

echo "Serving on http://localhost:$PORT  (login: admin / password: admin)"
exec python3 -m odoo server \
    --addons-path="$ADDONS" -d "$DB" --db-filter="^$DB\$" \
    --db_host="$PGHOST" --db_user="$PGUSER" "${setup[@]}" \
    --http-interface="${ISP_HTTP_INTERFACE:-127.0.0.1}" --http-port="$PORT" \
    --workers=0 "$@"
