#!/usr/bin/env bash
# Regenerates i18n/isp_sales_desk.pot from the code and data as Odoo exports
# them, merges it into i18n/es.po, and lists the Spanish entries left to
# translate (new or changed strings). Run it after adding user-visible text,
# translate the entries it lists in i18n/es.po, and run it again.
#
# usage: tools/update_i18n.sh [database]
# The database (default isp_sales_desk_i18n) is created with the addon if it
# does not exist, else the addon is updated in it first.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DB="${1:-isp_sales_desk_i18n}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-$(id -un)}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/addons"
ln -s "$REPO" "$WORK/addons/isp_sales_desk"
if psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    mode=-u
else
    mode=-i
fi
python3 -m odoo server --addons-path="$WORK/addons" -d "$DB" --db_host="$PGHOST" \
    --db_user="$PGUSER" "$mode" isp_sales_desk --stop-after-init --log-level=warn
python3 -m odoo --addons-path="$WORK/addons" i18n export -d "$DB" \
    -o "$REPO/i18n/isp_sales_desk.pot" isp_sales_desk
msgmerge --quiet --no-fuzzy-matching --update --backup=none \
    "$REPO/i18n/es.po" "$REPO/i18n/isp_sales_desk.pot"
# obsolete entries (strings the code no longer has) are dropped
msgattrib --no-obsolete -o "$REPO/i18n/es.po" "$REPO/i18n/es.po"
python3 - "$REPO/i18n/es.po" <<'PY'
import sys

import polib

todo = [entry for entry in polib.pofile(sys.argv[1]) if not entry.msgstr]
for entry in todo:
    print(repr(entry.msgid))
print(f"{len(todo)} entries to translate in i18n/es.po")
PY
