#!/usr/bin/env bash
# Runs the whole test suite of isp_sales_desk: the Odoo-free tests (tests_pure/),
# then, when Odoo is importable, the addon's Odoo tests on a fresh database.
# Ends with the line "N passed, M failed, K skipped"; exits non-zero if anything failed.
#
# Environment: ISP_TEST_DB (default isp_sales_desk_test), ISP_TEST_DROP_DB=1 to
# drop that database afterwards, ISP_TEST_HTTP_PORT (default 8169, for tours),
# PGHOST (default 127.0.0.1), PGUSER (default: the current user).
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDON=isp_sales_desk
DB="${ISP_TEST_DB:-isp_sales_desk_test}"
HTTP_PORT="${ISP_TEST_HTTP_PORT:-8169}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-$(id -un)}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# --- 1. Odoo-free tests ------------------------------------------------------
cd "$REPO"
python3 -m pytest tests_pure -q -p no:cacheprovider 2>&1 | tee "$WORK/pytest.log"
pure_rc=${PIPESTATUS[0]}
summary="$(tail -n 1 "$WORK/pytest.log")"
count() { grep -oE "[0-9]+ $1" <<<"$summary" | grep -oE '^[0-9]+' || echo 0; }
passed=$(count passed)
failed=$(( $(count failed) + $(count error) ))
skipped=$(count skipped)
if [ "$pure_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1  # pytest failed without a count (collection error, no test, ...)
fi

finish() {
    echo
    echo "$passed passed, $failed failed, $skipped skipped"
    exit $((failed > 0))
}

# --- 2. Odoo tests -------------------------------------------------------------
if ! python3 -c 'import odoo.release' 2>/dev/null; then
    echo
    echo "!!! Odoo is not importable: the Odoo test suite did NOT run; only the Odoo-free tests ran. !!!"
    finish
fi

# Odoo finds the addon by its folder name, and the clone may be named otherwise.
mkdir "$WORK/addons"
ln -s "$REPO" "$WORK/addons/$ADDON"
LOG="${TMPDIR:-/tmp}/$DB.log"

dropdb --if-exists "$DB" || { echo "!!! cannot reach PostgreSQL as $PGUSER@$PGHOST"; failed=$((failed + 1)); finish; }
echo "Odoo tests of $ADDON on database $DB (full log: $LOG)"
python3 -m odoo server \
    --addons-path="$WORK/addons" -d "$DB" --db_host="$PGHOST" --db_user="$PGUSER" \
    -i "$ADDON" --test-enable --test-tags="/$ADDON" --stop-after-init \
    --http-interface=127.0.0.1 --http-port="$HTTP_PORT" --workers=0 --max-cron-threads=0 \
    --log-level=info 2>&1 | tee "$LOG"
odoo_rc=${PIPESTATUS[0]}

# Odoo's closing report, e.g. "... odoo.tests.result: 0 failed, 0 error(s) of 12 tests
# when loading database 'isp_sales_desk_test'". --test-tags keeps it to our tests.
report="$(grep -E 'odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$LOG" | tail -n 1)"
read -r odoo_failed odoo_errors odoo_total < <(
    sed -nE 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p' <<<"$report")
odoo_failed=${odoo_failed:-0} odoo_errors=${odoo_errors:-0} odoo_total=${odoo_total:-0}
# Odoo counts a skipped test as run; it logs "...isp_sales_desk.tests.x: skipped Class.test".
odoo_skipped=$(grep -cE " odoo\.addons\.$ADDON\.[^ ]*: skipped " "$LOG")

# Log lines are "date time pid LEVEL db logger: message"; the db column is left
# out of the warning check, since the database name itself contains the addon's.
problems=()
[ "$odoo_rc" -eq 0 ] || problems+=("odoo exited with status $odoo_rc")
[ -n "$report" ] || problems+=("Odoo printed no test report")
[ "$odoo_total" -gt 0 ] || problems+=("no test of $ADDON ran")
bad_lines="$(awk '$4 == "ERROR" || $4 == "CRITICAL"' "$LOG")"
[ -z "$bad_lines" ] || problems+=("the log has ERROR/CRITICAL lines:"$'\n'"$bad_lines")
# (the addon's name, or one of its models: isp.sales.order, isp.network.node...)
warnings="$(awk -v addon="$ADDON" '$4 == "WARNING" {
    rest = $0; sub(/^([^ ]+ +){5}/, "", rest)
    if (index(rest, addon) || rest ~ /isp\.(sales|network|coverage|priced|service)/) print }' "$LOG")"
[ -z "$warnings" ] || problems+=("the log has WARNING lines about $ADDON:"$'\n'"$warnings")

echo
echo "Odoo: $odoo_failed failed, $odoo_errors error(s), $odoo_skipped skipped of $odoo_total tests"
for problem in "${problems[@]}"; do echo "!!! $problem"; done

passed=$((passed + odoo_total - odoo_failed - odoo_errors - odoo_skipped))
skipped=$((skipped + odoo_skipped))
failed=$((failed + odoo_failed + odoo_errors))
if [ "${#problems[@]}" -gt 0 ] && [ $((odoo_failed + odoo_errors)) -eq 0 ]; then
    failed=$((failed + 1))  # the run itself failed, outside any test
fi

if [ "${ISP_TEST_DROP_DB:-0}" = 1 ]; then
    dropdb --if-exists "$DB"
else
    echo "Database $DB kept (ISP_TEST_DROP_DB=1 drops it)."
fi
finish
