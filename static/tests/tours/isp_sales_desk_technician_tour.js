import { registry } from "@web/core/registry";

/**
 * A technician, on a phone, opens their orders, starts a feasibility order and
 * completes it as not feasible with a note.
 */
registry.category("web_tour.tours").add("isp_sales_desk_technician_tour", {
    url: "/odoo/action-isp_sales_desk.isp_sales_order_my_action",
    steps: () => [
        {
            trigger: ".o_isp_sales_desk_orders .o_kanban_record:contains('Cliente Teléfono')",
            content: "Open my feasibility order",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='navigation_url'] a",
            content: "Navigation to the site is one tap away",
        },
        {
            trigger: ".o_form_view .o_isp_sales_desk_order_map .leaflet-marker-icon",
            content: "The site is on the map",
        },
        {
            trigger: ".o_form_view button[name='action_start']",
            content: "Start the work",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(button[name='action_start']))",
        },
        {
            trigger: ".o_field_widget[name='feasibility_result'] input[data-value='not_feasible']",
            content: "Not feasible",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='result_note'] textarea",
            content: "Say why",
            run: "edit Sin línea de vista al nodo",
        },
        {
            trigger: ".o_form_view button[name='action_done']",
            content: "Complete",
            run: "click",
        },
        {
            trigger: ".modal:contains('cannot be undone') .modal-footer .btn-primary",
            content: "Confirm the completion",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(button[name='action_done']))",
            content: "The order is done",
        },
    ],
});

/** Then the seller, also on a phone, sees the ticket's proposal. */
registry.category("web_tour.tours").add("isp_sales_desk_not_feasible_proposal_tour", {
    url: "/odoo/action-isp_sales_desk.isp_sales_ticket_action",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Cliente Teléfono')",
            run: "click",
        },
        {
            trigger: ".o_form_view .alert-warning:contains('not feasible')",
            content: "The ticket proposes to mark it lost",
        },
        {
            trigger: ".o_form_view button[name='action_set_lost_technical']",
        },
        {
            trigger: ".o_form_view button[name='action_set_lost_no_coverage']",
        },
    ],
});
