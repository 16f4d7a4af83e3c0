import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { queryOne } from "@odoo/hoot-dom";
import { animationFrame } from "@odoo/hoot-mock";
import { mailModels } from "@mail/../tests/mail_test_helpers";
import {
    defineModels,
    fields,
    models,
    mountView,
    onRpc,
    preventResizeObserverError,
} from "@web/../tests/web_test_helpers";
import { getChart, setupChartJsForTests } from "@web/../tests/views/graph/graph_test_helpers";

import { resetMapSettings } from "@isp_sales_desk/map_field/map_field";

const STATES = [
    ["pending", "Pending"],
    ["in_progress", "Order in progress"],
    ["won", "Won"],
    ["lost", "Lost"],
];

class Prospect extends models.Model {
    _name = "isp.sales.prospect";
    get_isp_map_settings() {
        return { tile_url: "", attribution: "", default_center: [-32.95, -60.64], default_zoom: 13 };
    }
}

class Ticket extends models.Model {
    _name = "isp.sales.ticket";
    city = fields.Char();
    state = fields.Selection({ selection: STATES });
    _records = STATES.map(([state], index) => ({ id: index + 1, city: "Rosario", state }));
}

defineModels({ ...mailModels, Prospect, Ticket });
preventResizeObserverError();
setupChartJsForTests();
describe.current.tags("desktop");
beforeEach(() => resetMapSettings());

test("a status has one colour on the map and in the chart", async () => {
    const graph = await mountView({
        type: "graph",
        resModel: "isp.sales.ticket",
        arch: `<graph js_class="isp_ticket_graph"><field name="city"/><field name="state"/></graph>`,
    });
    const chartColors = {};
    for (const dataset of getChart(graph).data.datasets) {
        const state = STATES.find(([, label]) => label === dataset.label)?.[0];
        if (state) {
            chartColors[state] = dataset.backgroundColor;
        }
    }
    expect(Object.keys(chartColors).sort()).toEqual(STATES.map(([state]) => state).sort());

    onRpc("isp.sales.ticket", "get_isp_map_data", () => ({
        bbox: [-33, -60.7, -32.9, -60.6],
        zoom: 13,
        cell: 0.01,
        clusters: [],
        points: STATES.map(([state], index) => ({
            id: index + 1,
            lat: -32.95 + index * 0.002,
            lon: -60.64,
            status: state,
            name: `T${index}`,
            prospect: "",
            amount: 0,
        })),
        nodes: [],
        totals: {},
        currency_id: 1,
        show_amounts: false,
    }));
    await mountView({ type: "isp_map", resModel: "isp.sales.ticket", arch: "<isp_map/>" });
    await animationFrame();
    for (const [state] of STATES) {
        const fill = queryOne(`path.o_isp_map_point_${state}`).getAttribute("fill");
        expect(fill.toLowerCase()).toBe(chartColors[state].toLowerCase(), {
            message: `${state}: the map and the chart agree`,
        });
    }
});
