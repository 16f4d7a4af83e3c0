import { registry } from "@web/core/registry";

function top(selector) {
    const element = document.querySelector(selector);
    if (!element) {
        throw new Error(`${selector} is not on the page`);
    }
    return element.getBoundingClientRect().top;
}

/**
 * A technician opens an order on a phone: the contact, the address and the
 * buttons come first, the map below them, and the map lets the page scroll
 * under a finger. On "Today on the Map", pins are big enough to tap.
 */
registry.category("web_tour.tours").add("isp_sales_desk_technician_phone_tour", {
    url: "/odoo/action-isp_sales_desk.isp_sales_order_my_action",
    steps: () => [
        {
            trigger: ".o_isp_sales_desk_orders .o_kanban_record:contains('Hoy abierta')",
            content: "Open today's order",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_isp_sales_desk_order_map .leaflet-container",
            content: "Contact, address and actions first, then the map",
            run() {
                const map = top(".o_form_view .o_isp_sales_desk_order_map");
                for (const selector of [
                    ".o_form_view button[name='action_start']",
                    ".o_form_view .o_field_widget[name='contact_name']",
                    ".o_form_view .o_field_widget[name='street']",
                    ".o_form_view .o_field_widget[name='navigation_url']",
                    ".o_form_view .o_field_widget[name='result_note']",
                ]) {
                    if (top(selector) >= map) {
                        throw new Error(`${selector} is below the map`);
                    }
                }
                if (this.anchor.classList.contains("leaflet-touch-drag")) {
                    throw new Error("the map takes the finger that scrolls the page");
                }
            },
        },
        {
            trigger: ".o_main_navbar",
            run: () => {
                window.history.pushState({}, "", "/odoo/action-isp_sales_desk.isp_sales_order_map_action");
                window.location.reload();
            },
            expectUnloadPage: true,
        },
        {
            trigger: ".o_isp_map_canvas.leaflet-container .o_isp_map_point_scheduled",
            content: "Pins of at least 32 px, to tap with a finger",
            run() {
                const { width, height } = this.anchor.getBoundingClientRect();
                if (width < 32 || height < 32) {
                    throw new Error(`a pin of ${width} x ${height} px`);
                }
            },
        },
    ],
});
