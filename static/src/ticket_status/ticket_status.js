import { _t } from "@web/core/l10n/translation";

/*
 * The statuses as the desk's charts and maps show them: one colour and one
 * label each, the same everywhere. The colours are those of the ticket's
 * badges (pending info, in progress warning, won success, lost danger).
 */

/** A ticket's status; "demand" is the map's own: lost for lack of coverage. */
export const TICKET_STATUS_COLORS = {
    pending: "#3c8dbc",
    in_progress: "#f0ad4e",
    won: "#28a745",
    lost: "#dc3545",
    demand: "#6f42c1",
};

/** An installation or feasibility order's status. */
export const ORDER_STATUS_COLORS = {
    draft: "#adb5bd",
    scheduled: "#3c8dbc",
    in_progress: "#f0ad4e",
    done: "#28a745",
    cancelled: "#dee2e6",
};

export function ticketStatusLabels() {
    return {
        pending: _t("Pending"),
        in_progress: _t("Order in progress"),
        won: _t("Won"),
        lost: _t("Lost"),
        demand: _t("Demand (lost, no coverage)"),
    };
}

export function orderStatusLabels() {
    return {
        draft: _t("Draft"),
        scheduled: _t("Scheduled"),
        in_progress: _t("In progress"),
        done: _t("Done"),
        cancelled: _t("Cancelled"),
    };
}
