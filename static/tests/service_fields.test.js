import { describe, expect, test } from "@odoo/hoot";
import { queryOne } from "@odoo/hoot-dom";
import { mailModels } from "@mail/../tests/mail_test_helpers";
import { contains, defineModels, fields, models, mountView } from "@web/../tests/web_test_helpers";

class ServiceLine extends models.Model {
    _name = "isp.sales.prospect.line";

    name = fields.Char();
    discount_type = fields.Selection({
        selection: [
            ["percent", "Percentage"],
            ["fixed", "Fixed amount"],
        ],
    });
    price_unit = fields.Float({ digits: [16, 2] });

    _records = [
        { id: 1, name: "Nuevo cliente", discount_type: "percent", price_unit: 10 },
        { id: 2, name: "Retención", discount_type: "fixed", price_unit: 25 },
        { id: 3, name: "Plan 100", discount_type: false, price_unit: 18000 },
        { id: 4, name: "Medio", discount_type: "percent", price_unit: 12.5 },
    ];
}

class Place extends models.Model {
    _name = "isp.sales.ticket.create";

    latitude = fields.Float({ digits: [10, 7] });
    longitude = fields.Float({ digits: [10, 7] });

    _records = [
        { id: 1, latitude: 0, longitude: 0 },
        { id: 2, latitude: -32.9468, longitude: -60.6393 },
        { id: 3, latitude: 0, longitude: -60.5 },
    ];
}

defineModels({ ...mailModels, ServiceLine, Place });

describe.current.tags("desktop");

test("a percentage discount reads as a percentage, a price as a price", async () => {
    await mountView({
        type: "list",
        resModel: "isp.sales.prospect.line",
        arch: /* xml */ `
            <list editable="bottom">
                <field name="name"/>
                <field name="discount_type" column_invisible="1"/>
                <field name="price_unit" widget="isp_service_price"/>
            </list>`,
    });
    const cells = [...document.querySelectorAll(".o_data_cell[name=price_unit]")].map(
        (cell) => cell.textContent.trim()
    );
    expect(cells).toEqual(["10 %", "25.00", "18,000.00", "12.5 %"]);
    // while editing, the sign stays beside the number
    await contains(".o_data_row:first-child .o_data_cell[name=price_unit]").click();
    expect(".o_selected_row .o_field_isp_service_price input").toHaveValue("10");
    expect(".o_selected_row .o_isp_sales_desk_percent_sign").toHaveText("%");
});

test("coordinates are blank until there is a point", async () => {
    const arch = /* xml */ `
        <form>
            <field name="latitude" widget="isp_coordinate"/>
            <field name="longitude" widget="isp_coordinate"/>
        </form>`;
    await mountView({ type: "form", resModel: "isp.sales.ticket.create", resId: 1, arch });
    expect(".o_field_isp_coordinate[name=latitude] input").toHaveValue("");
    expect(".o_field_isp_coordinate[name=longitude] input").toHaveValue("");
    // typing one gives a point: both show
    await contains(".o_field_isp_coordinate[name=latitude] input").edit("-32.95");
    expect(".o_field_isp_coordinate[name=latitude] input").toHaveValue("-32.9500000");
    expect(".o_field_isp_coordinate[name=longitude] input").toHaveValue("0.0000000");
});

test("a point on the equator or the meridian still shows", async () => {
    await mountView({
        type: "form",
        resModel: "isp.sales.ticket.create",
        resId: 3,
        arch: /* xml */ `
            <form>
                <field name="latitude" widget="isp_coordinate"/>
                <field name="longitude" widget="isp_coordinate"/>
            </form>`,
    });
    expect(queryOne(".o_field_isp_coordinate[name=latitude] input").value).toBe("0.0000000");
    expect(".o_field_isp_coordinate[name=longitude] input").toHaveValue("-60.5000000");
});
