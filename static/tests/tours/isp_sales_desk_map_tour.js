import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * A manager opens the map, keeps the lost tickets, places a what-if node over
 * the demand, creates it, and finds the ticket's "contact again" activity.
 */
registry.category("web_tour.tours").add("isp_sales_desk_map_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='isp_sales_desk.isp_sales_desk_menu_root']",
            content: "Open the Sales Desk app",
            run: "click",
        },
        {
            trigger: ".o_main_navbar [data-menu-xmlid='isp_sales_desk.isp_sales_ticket_map_menu']",
            content: "Open the map",
            run: "click",
        },
        {
            trigger: ".o_isp_map_canvas.leaflet-container .o_isp_map_point_pending",
            content: "Tickets are drawn, even without a base map",
        },
        { trigger: ".o_isp_map_no_tiles" },
        {
            trigger: ".o_searchview_dropdown_toggler",
            content: "Filter on lost tickets",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o-dropdown-item:contains('Lost'):not(:contains('Covered'))",
            run: "click",
        },
        {
            trigger: ".o_isp_map_view:not(:has(.o_isp_map_point_pending)) .o_isp_map_point_demand",
            content: "Only the lost ticket stays: demand",
        },
        {
            trigger: ".o_isp_map_what_if_start",
            content: "Try a node",
            run: "click",
        },
        { trigger: ".o_isp_map_what_if_hint" },
        {
            trigger: ".o_isp_map_canvas",
            content: "Place it in the middle of the map",
            run: "click",
        },
        {
            trigger: ".o_isp_map_what_if_radius",
            content: "Reach 2 km",
            run: "edit 2000",
        },
        {
            trigger: ".o_isp_map_what_if_demand td:last-child:contains('1')",
            content: "It would reach the lost ticket",
        },
        {
            trigger: ".o_isp_map_what_if_name",
            run: "edit Torre Tour",
        },
        {
            trigger: ".o_isp_map_what_if_create:enabled",
            content: "Create the node",
            run: "click",
        },
        {
            trigger: ".o_isp_map_view:not(:has(.o_isp_map_what_if)) .o_isp_map_point_demand",
            content: "Open the ticket's card",
            run: "click",
        },
        {
            trigger: ".o_isp_map_card_open",
            run: "click",
        },
        {
            trigger: ".o_form_view .o-mail-Activity",
            content: "The ticket has its follow-up activity",
        },
    ],
});

/** A technician, on the phone, opens today's orders on the map and navigates. */
registry.category("web_tour.tours").add("isp_sales_desk_technician_map_tour", {
    url: "/odoo/action-isp_sales_desk.isp_sales_order_map_action",
    steps: () => [
        {
            trigger: ".o_isp_map_canvas.leaflet-container .o_isp_map_point_scheduled",
            content: "Today's order is on the map",
            run: "click",
        },
        {
            trigger: ".o_isp_map_card_navigate[href*='google.com/maps/dir']",
            content: "With a link to navigate there",
        },
        {
            trigger: ".o_isp_map_card_open",
            run: "click",
        },
        {
            trigger: ".o_form_view",
        },
    ],
});
