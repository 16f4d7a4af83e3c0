import { registry } from "@web/core/registry";

/**
 * A manager opens the "Sales Desk" dashboard of the Dashboards app: its
 * scorecards and charts load from the sales desk's report models.
 */
registry.category("web_tour.tours").add("isp_sales_desk_dashboard_tour", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            trigger: ".o_search_panel_category_value[data-name='Sales Desk']",
            content: "Open the sales desk's dashboard",
            run: "click",
        },
        {
            trigger: ".o_search_panel_category_value.active[data-name='Sales Desk']",
        },
        {
            trigger: ".o-spreadsheet .o-figure",
            content: "Its scorecards and charts are drawn",
        },
        {
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});
