import { registry } from "@web/core/registry";

/**
 * A seller, on a 1366 px screen, finds a customer on the board by the end
 * of the phone number the customer dictates, pressing Enter; a search that
 * finds nothing says so instead of inviting to create the first ticket.
 */
registry.category("web_tour.tours").add("isp_sales_desk_board_search_tour", {
    url: "/odoo/action-isp_sales_desk.isp_sales_ticket_action",
    steps: () => [
        {
            trigger: ".o_isp_sales_desk_board .o_kanban_record:contains('Rosa Buscada')",
            content: "The board shows the tickets",
        },
        {
            trigger: ".o_searchview_input",
            content: "Type the phone as the customer says it",
            run: "edit 15-523-9981",
        },
        {
            trigger: ".o_searchview_input",
            content: "Enter",
            run: "press Enter",
        },
        {
            trigger: ".o_searchview_facet:contains('15-523-9981')",
        },
        {
            trigger:
                ".o_isp_sales_desk_board:not(:has(.o_kanban_record:contains('Otra Persona'))) .o_kanban_record:contains('Rosa Buscada')",
            content: "The lead's ticket is found by the end of its phone",
        },
        {
            trigger: ".o_searchview_facet .o_facet_remove",
            run: "click",
        },
        {
            trigger: ".o_isp_sales_desk_board .o_kanban_record:contains('Otra Persona')",
        },
        {
            trigger: ".o_searchview_input",
            run: "edit 11-000-0000",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            trigger: ".o_view_nocontent .o_isp_sales_desk_no_match",
            content: "An empty result says so",
        },
        {
            trigger: ".o_view_nocontent:not(:contains('Create the first ticket'))",
        },
    ],
});
