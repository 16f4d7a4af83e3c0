import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * A seller creates a ticket with the wizard: finds the lead by phone, types a
 * new prospect's address, places the point on the map (next to a node), picks
 * a plan, a recurring item and a discount, checks the total and creates the
 * ticket with its installation order.
 */
registry.category("web_tour.tours").add("isp_sales_desk_create_ticket_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='isp_sales_desk.isp_sales_desk_menu_root']",
            content: "Open the Sales Desk app",
            run: "click",
        },
        {
            trigger: ".o_control_panel button.o_isp_sales_desk_create_ticket",
            content: "+ Create ticket",
            run: "click",
        },
        // 1. lead, searched by its phone
        {
            trigger: ".modal .o_isp_sales_desk_ticket_create .o_field_widget[name=lead_id] input",
            content: "Search the lead by phone",
            run: "edit 341 555 7777",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Wizard Tour Lead')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=lead_id] input:value('Wizard Tour Lead')",
            content: "The lead is chosen",
        },
        {
            trigger: ".modal .o_field_widget[name=prospect_id] input",
            content: "Its prospects can be picked; leave it empty for a new one",
        },
        // 2. a new prospect for that lead
        {
            trigger: ".modal .o_field_widget[name=street] input",
            content: "Type the street",
            run: "edit Mitre",
        },
        {
            trigger: ".modal .o_field_widget[name=street_number] input",
            run: "edit 500",
        },
        {
            trigger: ".modal .o_field_widget[name=city] input",
            run: "edit Rosario",
        },
        {
            trigger: ".modal .o_field_widget[name=street] input:value('Mitre')",
            content: "The address is typed",
        },
        // 3. the point, on the map, then the coverage badge
        {
            trigger: ".modal .o_isp_sales_desk_map.leaflet-container",
            content: "Click on the map to place the point",
            run: "click",
        },
        {
            trigger: ".modal .o_isp_sales_desk_map_marker",
            content: "The marker is placed",
        },
        {
            trigger: ".modal .o_field_widget[name=coverage] .badge.text-bg-success:contains('Covered')",
            content: "The point is covered",
        },
        {
            trigger: ".modal .o_field_widget[name=node_id]:contains('Tour Node')",
        },
        // 4. services
        {
            trigger: ".modal .o_field_widget[name=plan_id] input",
            content: "Pick the plan",
            run: "edit Tour Plan",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Plan 100')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:eq(0):contains('Tour Plan 100')",
            content: "The plan is the first service line",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            content: "Add a recurring item",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row:eq(1).o_selected_row .o_field_widget[name=product_id] input",
            run: "edit Tour Public IP",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Public IP')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            content: "Add a discount",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row:eq(2).o_selected_row .o_field_widget[name=product_id] input",
            run: "edit Tour Welcome",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Welcome')",
            run: "click",
        },
        // 5. the summary: (100 + 20) - 10%
        {
            trigger: ".modal .o_isp_sales_desk_summary .o_isp_sales_desk_total:contains('108.00')",
            content: "The estimated monthly total is shown",
        },
        {
            trigger: ".modal .o_field_widget[name=city] input:value('Rosario')",
            content: "The address is still there",
        },
        {
            trigger: ".modal .o_field_widget[name=order_type] input[data-value=installation]",
            content: "Ticket + installation order",
            run: "click",
        },
        {
            trigger: ".modal-footer button[name=action_create]",
            content: "Create",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Order in progress')",
            content: "The new ticket opens, its installation order in progress",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=prospect_name]:contains('Wizard Tour Lead')",
        },
    ],
});
