import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { click, hover, queryAll } from "@odoo/hoot-dom";
import { animationFrame, delay } from "@odoo/hoot-mock";
import { mailModels } from "@mail/../tests/mail_test_helpers";
import {
    defineModels,
    fields,
    models,
    mountView,
    onRpc,
    patchWithCleanup,
    preventResizeObserverError,
} from "@web/../tests/web_test_helpers";
import { user } from "@web/core/user";

import { resetMapSettings } from "@isp_sales_desk/map_field/map_field";
import { dominantStatus } from "@isp_sales_desk/isp_map_view/isp_map_view";

const NODE = {
    id: 1,
    name: "Torre Centro",
    lat: -32.95,
    lon: -60.64,
    radius: 1500,
    technology: "wireless",
    capacity: 10,
    free: 1,
    load: "nearly_full",
};
const TOTALS = { count: 7, pending: 2, in_progress: 1, won: 1, lost: 1, demand: 2, amount: 700 };

class Prospect extends models.Model {
    _name = "isp.sales.prospect";
    get_isp_map_settings() {
        // a tile server nobody can reach, as on a machine without internet
        return {
            tile_url: "http://127.0.0.1:9/{z}/{x}/{y}.png",
            attribution: "",
            default_center: [-32.95, -60.64],
            default_zoom: 13,
        };
    }
}

class Ticket extends models.Model {
    _name = "isp.sales.ticket";
    name = fields.Char();
    state = fields.Selection({
        selection: [
            ["pending", "Pending"],
            ["lost", "Lost"],
        ],
    });
    _records = [{ id: 5, name: "MV/2026/00005", state: "lost" }];
    _views = { search: `<search><filter name="lost" string="Lost" domain="[('state', '=', 'lost')]"/></search>` };
}

defineModels({ ...mailModels, Prospect, Ticket });
preventResizeObserverError();
describe.current.tags("desktop");
beforeEach(() => resetMapSettings());

function mapData({ points = [], clusters = [] } = {}) {
    return {
        bbox: [-33, -60.7, -32.9, -60.6],
        zoom: 13,
        cell: 0.01,
        clusters,
        points,
        nodes: [NODE],
        totals: TOTALS,
        currency_id: 1,
        show_amounts: true,
    };
}

test("isp_map: clusters and nodes, without tiles", async () => {
    const calls = [];
    onRpc("isp.sales.ticket", "get_isp_map_data", ({ args }) => {
        calls.push(args);
        return mapData({
            clusters: [
                { row: 0, col: 0, lat: -32.95, lon: -60.64, count: 5, pending: 3, demand: 2, amount: 500 },
                { row: 1, col: 0, lat: -32.94, lon: -60.64, count: 2, won: 1, lost: 1, amount: 200 },
            ],
        });
    });
    await mountView({ type: "isp_map", resModel: "isp.sales.ticket", arch: "<isp_map/>" });
    await animationFrame();
    expect(".o_isp_map_canvas.leaflet-container").toHaveCount(1);
    expect(".o_isp_map_cluster").toHaveCount(2);
    expect(queryAll(".o_isp_map_cluster").map((el) => el.textContent)).toEqual(["5", "2"]);
    expect(".o_isp_map_node").toHaveCount(1);
    expect(".o_isp_map_node_reach.o_isp_map_node_nearly_full").toHaveCount(1);
    expect(".o_isp_map_legend_demand").toHaveText(/2$/);
    // the server got the search domain, a box and a zoom
    const [domain, bbox, zoom] = calls.at(-1);
    expect(domain).toEqual([]);
    expect(bbox).toHaveLength(4);
    expect(typeof zoom).toBe("number");
});

test("isp_map: a note when the base map is not available", async () => {
    onRpc("isp.sales.ticket", "get_isp_map_data", () => mapData());
    patchWithCleanup(Prospect.prototype, {
        get_isp_map_settings() {
            return { tile_url: "", attribution: "", default_center: [-32.95, -60.64], default_zoom: 13 };
        },
    });
    await mountView({ type: "isp_map", resModel: "isp.sales.ticket", arch: "<isp_map/>" });
    await animationFrame();
    expect(".o_isp_map_no_tiles").toHaveCount(1);
    expect(".o_isp_map_node").toHaveCount(1);
});

test("isp_map: points open a card with a link to the ticket", async () => {
    onRpc("isp.sales.ticket", "get_isp_map_data", () =>
        mapData({
            points: [
                { id: 5, lat: -32.95, lon: -60.64, status: "demand", name: "MV/2026/00005", prospect: "Ana - Mitre 1", amount: 120 },
            ],
        })
    );
    await mountView({ type: "isp_map", resModel: "isp.sales.ticket", arch: "<isp_map/>" });
    await animationFrame();
    expect(".o_isp_map_point_demand").toHaveCount(1);
    await click(".o_isp_map_point_demand");
    await animationFrame();
    expect(".o_isp_map_card_name").toHaveText("MV/2026/00005");
    expect(".o_isp_map_card_prospect").toHaveText("Ana - Mitre 1");
    expect(".o_isp_map_card_open").toHaveCount(1);
});

test("isp_map: the what-if panel for managers", async () => {
    patchWithCleanup(user, { hasGroup: async () => true });
    onRpc("isp.sales.ticket", "get_isp_map_data", () => mapData());
    const asked = [];
    onRpc("isp.sales.ticket", "get_isp_what_if", ({ args }) => {
        asked.push(args);
        return {
            demand: { count: 3, amount: 300 },
            pending_uncovered: { count: 1, amount: 100 },
            marginal: { count: 0, amount: 0 },
            reached: 4,
            amount: 400,
            fit: 4,
            capacity: 0,
            currency_id: 1,
        };
    });
    await mountView({ type: "isp_map", resModel: "isp.sales.ticket", arch: "<isp_map/>" });
    await animationFrame();
    await click(".o_isp_map_what_if_start");
    await animationFrame();
    expect(".o_isp_map_what_if_hint").toHaveCount(1);
    await click(".o_isp_map_canvas");
    await animationFrame();
    await animationFrame();
    expect(asked).toHaveLength(1);
    expect(asked[0][2]).toBe(1000);
    expect(".o_isp_map_what_if_reach").toHaveCount(1);
    expect(".o_isp_map_what_if_reached").toHaveText(/4$/);
    expect(".o_isp_map_what_if_demand").toHaveText(/3$/);
    expect(".o_isp_map_what_if_create:enabled").toHaveCount(1);
});

test("isp_map: no what-if for sellers", async () => {
    patchWithCleanup(user, { hasGroup: async () => false });
    onRpc("isp.sales.ticket", "get_isp_map_data", () => mapData());
    await mountView({ type: "isp_map", resModel: "isp.sales.ticket", arch: "<isp_map/>" });
    await animationFrame();
    expect(".o_isp_map_what_if_start").toHaveCount(0);
});

// what an attacker names a node, a lead or the map's credit
const HOSTILE = `<img src=x onerror="window.__ispXss=1">`;
// a tile that loads anywhere, so that the credit stays on the map
const TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==";

test("isp_map: names from the server are shown as text, never run", async () => {
    delete window.__ispXss;
    patchWithCleanup(Prospect.prototype, {
        get_isp_map_settings() {
            return {
                tile_url: TILE,
                attribution: `${HOSTILE}Mapas <a href="https://tiles.example.com/">Tiles</a> <a href="javascript:window.__ispXss=2">trap</a>`,
                default_center: [-32.95, -60.64],
                default_zoom: 13,
            };
        },
    });
    onRpc("isp.sales.ticket", "get_isp_map_data", () => ({
        ...mapData({
            points: [
                { id: 5, lat: -32.95, lon: -60.64, status: "pending", name: HOSTILE, prospect: HOSTILE, amount: 1 },
            ],
        }),
        nodes: [{ ...NODE, name: HOSTILE }],
    }));
    await mountView({ type: "isp_map", resModel: "isp.sales.ticket", arch: "<isp_map/>" });
    await animationFrame();
    await hover(".o_isp_map_node");
    await animationFrame();
    expect(".leaflet-tooltip").toHaveCount(1);
    expect(".leaflet-tooltip img").toHaveCount(0);
    expect(".leaflet-tooltip").toHaveText(HOSTILE);
    await click(".o_isp_map_point_pending");
    await animationFrame();
    expect(".o_isp_map_card img").toHaveCount(0);
    expect(".o_isp_map_card_name").toHaveText(HOSTILE);
    expect(".o_isp_map_card_prospect").toHaveText(HOSTILE);
    // the base map's credit keeps its web link and drops the rest of the markup
    expect(".leaflet-control-attribution img").toHaveCount(0);
    expect(".leaflet-control-attribution").toHaveText(/Mapas Tiles trap$/);
    expect(".leaflet-control-attribution a[href='https://tiles.example.com/']").toHaveCount(1);
    expect(".leaflet-control-attribution a[href^='javascript']").toHaveCount(0);
    await delay(200);
    expect(window.__ispXss).toBe(undefined);
});

test("dominantStatus picks the most represented status", () => {
    expect(dominantStatus({ pending: 1, demand: 4, won: 2 })).toBe("demand");
    expect(dominantStatus({ won: 1 })).toBe("won");
});
