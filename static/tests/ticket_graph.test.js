import { describe, expect, test } from "@odoo/hoot";

import { datasetState, STATE_COLORS } from "@isp_sales_desk/ticket_graph/ticket_graph";

describe.current.tags("desktop");

const BY_MONTH_AND_STATE = [{ fieldName: "create_date" }, { fieldName: "state" }];

test("a chart split by status colours won green and lost red", () => {
    const won = { identifiers: new Set([JSON.stringify(["2026-11-01", "won"])]) };
    const lost = { identifiers: new Set([JSON.stringify(["2026-10-01", "lost"])]) };
    expect(datasetState(won, BY_MONTH_AND_STATE)).toBe("won");
    expect(datasetState(lost, BY_MONTH_AND_STATE)).toBe("lost");
    expect(STATE_COLORS.won).toBe("#28a745");
    expect(STATE_COLORS.lost).toBe("#dc3545");
});

test("a chart not split by status keeps the palette", () => {
    const dataset = { identifiers: new Set([JSON.stringify(["won"])]) };
    expect(datasetState(dataset, [{ fieldName: "state" }])).toBe(null);
    expect(datasetState(dataset, [{ fieldName: "user_id" }])).toBe(null);
});
