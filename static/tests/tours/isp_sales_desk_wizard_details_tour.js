import { registry } from "@web/core/registry";

function width(selector) {
    const element = document.querySelector(selector);
    if (!element) {
        throw new Error(`${selector} is not on the page`);
    }
    return element.getBoundingClientRect().width;
}

/**
 * The wizard's details, as a seller sees them on a 1366 px screen: blank
 * coordinates before a point, no hint meant for administrators, a phone
 * normalised and wide enough beside its button, likely duplicates without
 * empty rows, and a 10 % discount that reads "10 %".
 */
registry.category("web_tour.tours").add("isp_sales_desk_wizard_details_tour", {
    url: "/odoo/action-isp_sales_desk.isp_sales_ticket_action",
    steps: () => [
        {
            trigger: ".o_control_panel button.o_isp_sales_desk_create_ticket",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=latitude].o_field_isp_coordinate input",
            content: "No point yet: blank coordinates, not 0,0000000",
            run() {
                for (const name of ["latitude", "longitude"]) {
                    const input = document.querySelector(
                        `.modal .o_field_widget[name=${name}].o_field_isp_coordinate input`
                    );
                    if (input.value !== "") {
                        throw new Error(`${name} shows "${input.value}"`);
                    }
                }
            },
        },
        {
            trigger: ".modal .o_isp_sales_desk_ticket_create:not(:contains('enabled in Settings'))",
            content: "No hint meant for administrators",
        },
        {
            trigger: ".modal .o_field_widget[name=new_lead_phone] input",
            content: "Type the phone as the customer says it",
            run: "edit 0341 15 555-7777 && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name=new_lead_phone] input:value('+54 9 341 555-7777')",
            content: "It is normalised as Odoo does",
        },
        {
            trigger: ".modal .o_isp_sales_desk_duplicates .o_kanban_record:contains('Wizard Tour Lead')",
            content: "The likely duplicate, without empty rows",
            run() {
                const box = document.querySelector(".modal .o_isp_sales_desk_duplicates");
                const cards = box.querySelectorAll(".o_kanban_record:not(.o_kanban_ghost)");
                if (cards.length !== 1 || box.querySelector("tr")) {
                    throw new Error("the duplicates box has empty rows");
                }
                if (width(".modal .o_field_widget[name=new_lead_phone] input") < 250) {
                    throw new Error("the phone is squeezed by its buttons");
                }
            },
        },
        {
            trigger: ".modal .o_field_widget[name=plan_id] input",
            run: "edit Tour Plan",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Plan 100')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:eq(0):contains('Tour Plan 100')",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row:eq(1).o_selected_row .o_field_widget[name=product_id] input",
            run: "edit Tour Welcome",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Welcome')",
            run: "click",
        },
        {
            trigger: ".modal .o_isp_sales_desk_summary .o_isp_sales_desk_total:contains('90.00')",
            content: "100 less 10 %",
        },
        {
            trigger: ".modal .o_isp_sales_desk_step:contains('Services')",
            content: "Leave the line",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row:eq(1) .o_data_cell[name=price_unit]:contains('10 %')",
            content: "The discount reads 10 %",
        },
        {
            trigger: ".modal-footer button[special=cancel]",
            content: "Leave without creating",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
