import { registry } from "@web/core/registry";

/**
 * A seller logs in on a 1366 px screen: the board is home, not Discuss, and
 * its four columns fit without a horizontal scrollbar.
 */
registry.category("web_tour.tours").add("isp_sales_desk_seller_home_tour", {
    url: "/odoo",
    steps: () => [
        {
            trigger: ".o_isp_sales_desk_board .o_kanban_group:nth-of-type(4) .o_column_title",
            content: "The seller lands on the board",
        },
        {
            trigger: ".o_isp_sales_desk_board .o_kanban_renderer",
            content: "Its four columns fit the screen",
            run() {
                const board = this.anchor;
                const columns = board.querySelectorAll(".o_kanban_group");
                if (columns.length !== 4) {
                    throw new Error(`${columns.length} columns`);
                }
                if (board.scrollWidth > board.clientWidth + 1) {
                    throw new Error(
                        `the board scrolls sideways: ${board.scrollWidth} > ${board.clientWidth}`
                    );
                }
                const last = columns[3].getBoundingClientRect();
                if (last.right > window.innerWidth) {
                    throw new Error(`the last column ends at ${last.right}px`);
                }
            },
        },
    ],
});

/**
 * A technician, on a phone, opens "Today on the Map": only today's open
 * orders, not the open ones of other days nor today's completed ones.
 */
registry.category("web_tour.tours").add("isp_sales_desk_technician_today_tour", {
    url: "/odoo/action-isp_sales_desk.isp_sales_order_map_action",
    steps: () => [
        {
            trigger: ".o_isp_map_canvas.leaflet-container .o_isp_map_point_scheduled",
            content: "Today's open order is on the map",
        },
        {
            trigger: ".o_isp_map_legend",
            content: "One order: today's open one",
            run() {
                const count = (status) =>
                    this.anchor.querySelector(`.o_isp_map_legend_${status} .fw-bold`)
                        .textContent.trim();
                const scheduled = count("scheduled");
                const done = count("done");
                if (scheduled !== "1" || done !== "0") {
                    throw new Error(`scheduled ${scheduled}, done ${done}: not today's open orders`);
                }
            },
        },
    ],
});
