import { describe, expect, test } from "@odoo/hoot";

import { datasetState } from "@isp_sales_desk/ticket_graph/ticket_graph";
import { TICKET_STATUS_COLORS } from "@isp_sales_desk/ticket_status/ticket_status";

describe.current.tags("desktop");

const BY_MONTH_AND_STATE = [
    { fieldName: "create_date", spec: "create_date:month" },
    { fieldName: "state", spec: "state" },
];

// a dataset as Odoo 19's graph model makes it: one {spec: value} per group-by
function dataset(month, state) {
    const identifier = JSON.stringify([{ "create_date:month": [month, month] }, { state }]);
    return { identifiers: new Set([identifier]) };
}

test("a chart split by status colours won green and lost red", () => {
    expect(datasetState(dataset("2026-11-01", "won"), BY_MONTH_AND_STATE)).toBe("won");
    expect(datasetState(dataset("2026-10-01", "lost"), BY_MONTH_AND_STATE)).toBe("lost");
    expect(TICKET_STATUS_COLORS.won).toBe("#28a745");
    expect(TICKET_STATUS_COLORS.lost).toBe("#dc3545");
});

test("a chart not split by status keeps the palette", () => {
    const byState = { identifiers: new Set([JSON.stringify([{ state: "won" }])]) };
    expect(datasetState(byState, [{ fieldName: "state", spec: "state" }])).toBe(null);
    expect(datasetState(byState, [{ fieldName: "user_id", spec: "user_id" }])).toBe(null);
});
