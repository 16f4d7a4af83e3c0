import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * A seller opens the sales desk board, sees the four columns, opens a pending
 * ticket and marks it lost with a reason and feedback.
 */
registry.category("web_tour.tours").add("isp_sales_desk_board_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='isp_sales_desk.isp_sales_desk_menu_root']",
            content: "Open the Sales Desk app",
            run: "click",
        },
        {
            trigger: ".o_isp_sales_desk_board .o_kanban_group .o_column_title:contains('Pending tickets')",
            content: "The board's columns are plural...",
        },
        {
            trigger: ".o_isp_sales_desk_board .o_kanban_group .o_column_title:contains('Orders in progress')",
        },
        {
            trigger: ".o_isp_sales_desk_board .o_kanban_group .o_column_title:contains('Won')",
        },
        {
            trigger: ".o_isp_sales_desk_board .o_kanban_group .o_column_title:contains('Lost')",
        },
        {
            trigger: ".o_switch_view.o_graph",
            content: "The report of the same tickets",
            run: "click",
        },
        {
            trigger: ".o_graph_renderer canvas",
            content: "draws, with the status colours",
        },
        {
            trigger: ".o_switch_view.o_kanban",
            content: "Back to the board",
            run: "click",
        },
        {
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Pending')) .o_kanban_record:contains('Tour Prospect'):not(:has(.o_isp_sales_desk_order_count))",
            content: "A card without orders shows no order count",
        },
        {
            trigger: ".o_kanban_record:contains('Tour Prospect')",
            content: "Open the ticket",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Pending')",
            content: "...a ticket's own status is singular",
        },
        {
            trigger: ".o_form_view button[name='action_open_lost_wizard']",
            content: "Mark it lost",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='lost_reason_id'] input",
            content: "Choose the loss reason",
            run: "edit Price",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Price')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='lost_feedback'] .odoo-editor-editable",
            content: "Say why",
            run: "editor Prefiere quedarse con su proveedor actual",
        },
        {
            trigger: ".modal button[name='action_lost_reason_apply']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Lost')",
            content: "The ticket is lost",
        },
        {
            trigger: ".o_form_view .o-mail-Message:contains('Prefiere quedarse con su proveedor actual')",
            content: "The feedback is in the chatter",
        },
        {
            trigger: ".o_form_view .o_form_button_create",
            content: "New, from a ticket's form",
            run: "click",
        },
        {
            trigger: ".modal .o_isp_sales_desk_ticket_create",
            content: "opens the creation wizard, not a bare ticket",
        },
    ],
});
