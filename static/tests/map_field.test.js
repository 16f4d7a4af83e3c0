import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { click, hover, queryAll, queryOne } from "@odoo/hoot-dom";
import { animationFrame, delay } from "@odoo/hoot-mock";
import { mailModels } from "@mail/../tests/mail_test_helpers";
import {
    contains,
    defineModels,
    fields,
    models,
    mountView,
    patchWithCleanup,
    preventResizeObserverError,
} from "@web/../tests/web_test_helpers";

import { resetMapSettings, wrapLongitude } from "@isp_sales_desk/map_field/map_field";

const CENTER = [-32.95, -60.64];

class Prospect extends models.Model {
    _name = "isp.sales.prospect";

    latitude = fields.Float({ digits: [10, 7] });
    longitude = fields.Float({ digits: [10, 7] });

    _records = [
        { id: 1, latitude: -32.9468, longitude: -60.6393 },
        { id: 2, latitude: 0, longitude: 0 },
    ];

    get_isp_map_settings() {
        // no tile server, as on a machine without internet: the map must work
        return {
            tile_url: "",
            attribution: "",
            default_center: CENTER,
            default_zoom: 13,
            nodes: [
                {
                    id: 1,
                    name: "Torre Centro",
                    latitude: -32.947,
                    longitude: -60.64,
                    coverage_radius: 800,
                    full: false,
                },
                {
                    id: 2,
                    name: "AP Norte",
                    latitude: -32.94,
                    longitude: -60.65,
                    coverage_radius: 500,
                    full: true,
                },
            ],
        };
    }
}

defineModels({ ...mailModels, Prospect });
preventResizeObserverError();

const ARCH = /* xml */ `
    <form>
        <field name="latitude" widget="isp_map" options="{'longitude_field': 'longitude'}"/>
        <field name="latitude" string="Latitude (number)"/>
        <field name="longitude"/>
    </form>`;

function numberValue(name) {
    const input = queryOne(`.o_field_float[name=${name}] input`);
    return parseFloat(input.value.replace(",", "."));
}

describe.current.tags("desktop");

beforeEach(() => resetMapSettings());

test("isp_map shows the record's point", async () => {
    await mountView({ type: "form", resModel: "isp.sales.prospect", resId: 1, arch: ARCH });
    expect(".o_isp_sales_desk_map.leaflet-container").toHaveCount(1);
    expect(".o_isp_sales_desk_map_marker").toHaveCount(1);
    expect(".o_isp_sales_desk_map_coordinates").toHaveText("-32.946800, -60.639300");
    // no tile server configured: no tile layer, and no error
    expect(".leaflet-tile-pane img").toHaveCount(0);
});

test("isp_map without a base map draws the network and says so", async () => {
    await mountView({ type: "form", resModel: "isp.sales.prospect", resId: 1, arch: ARCH });
    expect(".o_isp_sales_desk_map_no_tiles").toHaveCount(1);
    expect(".o_isp_sales_desk_map_no_tiles").toHaveText(/Base map not available/);
    expect(".leaflet-control-attribution").not.toHaveText(/OpenStreetMap/);
    expect("path.o_isp_sales_desk_map_node").toHaveCount(2);
    expect("path.o_isp_sales_desk_map_coverage").toHaveCount(2);
    expect(".o_isp_sales_desk_map_locate").toHaveText("Use my location");
});

test("isp_map: a click on the map places the point", async () => {
    await mountView({ type: "form", resModel: "isp.sales.prospect", resId: 2, arch: ARCH });
    expect(".o_isp_sales_desk_map_marker").toHaveCount(0);
    expect(".o_isp_sales_desk_map_hint").toHaveText(
        "Click on the map, or drag the marker, to place the point."
    );
    // the map starts on the settings' default center; click its middle
    await click(".o_isp_sales_desk_map");
    await animationFrame();
    expect(".o_isp_sales_desk_map_marker").toHaveCount(1);
    expect(numberValue("latitude")).toBeCloseTo(CENTER[0], { margin: 0.01 });
    expect(numberValue("longitude")).toBeCloseTo(CENTER[1], { margin: 0.01 });
    expect(".o_isp_sales_desk_map_coordinates").toHaveText(/^-32\.9\d+, -60\.6\d+$/);
});

test("isp_map follows coordinates typed in the fields", async () => {
    await mountView({ type: "form", resModel: "isp.sales.prospect", resId: 1, arch: ARCH });
    const marker = queryOne(".o_isp_sales_desk_map_marker");
    const before = marker.style.transform;
    await contains(".o_field_float[name=latitude] input").edit("-32.95");
    expect(".o_isp_sales_desk_map_coordinates").toHaveText("-32.950000, -60.639300");
    expect(queryOne(".o_isp_sales_desk_map_marker").style.transform).not.toBe(before);
});

test("isp_map read-only: shows the point, a click changes nothing", async () => {
    await mountView({
        type: "form",
        resModel: "isp.sales.prospect",
        resId: 1,
        arch: /* xml */ `
            <form>
                <field name="latitude" widget="isp_map" readonly="1"
                       options="{'longitude_field': 'longitude'}"/>
                <field name="longitude" readonly="1"/>
            </form>`,
    });
    expect(".o_isp_sales_desk_map_readonly").toHaveCount(1);
    expect(".o_isp_sales_desk_map_marker.leaflet-marker-draggable").toHaveCount(0);
    await click(".o_isp_sales_desk_map");
    await animationFrame();
    expect(".o_isp_sales_desk_map_coordinates").toHaveText("-32.946800, -60.639300");
});

// what an attacker names a node, or the map's credit
const HOSTILE = `<img src=x onerror="window.__ispXss=1">`;
// a tile that loads anywhere, so that the credit stays on the map
const TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==";

test("isp_map: a node's name is shown as text, never run", async () => {
    delete window.__ispXss;
    const settings = Prospect.prototype.get_isp_map_settings();
    patchWithCleanup(Prospect.prototype, {
        get_isp_map_settings() {
            return {
                ...settings,
                tile_url: TILE,
                attribution: `${HOSTILE}Mapas <a href="https://tiles.example.com/">Tiles</a>`,
                nodes: [{ ...settings.nodes[0], name: HOSTILE }],
            };
        },
    });
    await mountView({ type: "form", resModel: "isp.sales.prospect", resId: 1, arch: ARCH });
    await hover("path.o_isp_sales_desk_map_node");
    await animationFrame();
    expect(".leaflet-tooltip").toHaveCount(1);
    expect(".leaflet-tooltip img").toHaveCount(0);
    expect(".leaflet-tooltip").toHaveText(HOSTILE);
    expect(".leaflet-control-attribution img").toHaveCount(0);
    expect(".leaflet-control-attribution a[href='https://tiles.example.com/']").toHaveCount(1);
    await delay(200);
    expect(window.__ispXss).toBe(undefined);
});

test("isp_map: a node's name shows on hover, a click there still places the point", async () => {
    await mountView({ type: "form", resModel: "isp.sales.prospect", resId: 2, arch: ARCH });
    const [node] = queryAll("path.o_isp_sales_desk_map_node");
    await hover(node);
    await animationFrame();
    expect(".leaflet-tooltip").toHaveText("Torre Centro");
    await click(node);
    await animationFrame();
    expect(".o_isp_sales_desk_map_marker").toHaveCount(1);
    expect(numberValue("latitude")).toBeCloseTo(-32.947, { margin: 0.001 });
});

test("wrapLongitude brings any copy of the world back to [-180, 180]", () => {
    expect(wrapLongitude(-60.5)).toBe(-60.5);
    expect(wrapLongitude(190)).toBe(-170);
    expect(wrapLongitude(-190)).toBe(170);
    expect(wrapLongitude(540)).toBe(-180);
});
