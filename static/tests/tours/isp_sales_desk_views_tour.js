import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const DESK_CARD = ".o_kanban_record:has(.o_isp_sales_desk_fsm_card:contains('Cliente Planificado'))";
const PLAIN_CARD = ".o_kanban_record:contains('Depósito Central')";

/**
 * The field-service orders, as the desk changes them: the planning board of
 * the desk's menu (kanban, search, calendar, list, form), then Field
 * Service's own board, where a plain order keeps its plain card and form.
 */
registry.category("web_tour.tours").add("isp_sales_desk_fsm_order_views_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='isp_sales_desk.isp_sales_desk_menu_root']",
            content: "Open the Sales Desk app",
            run: "click",
        },
        {
            trigger: "button[data-menu-xmlid='isp_sales_desk.isp_sales_order_menu_root']",
            content: "Orders",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='isp_sales_desk.isp_sales_order_planning_menu']",
            content: "Plan",
            run: "click",
        },
        {
            trigger: `.o_view_controller.o_kanban_view ${DESK_CARD}`,
            content: "The planning board shows the desk's order with who and what",
        },
        {
            trigger: `${DESK_CARD} .o_isp_sales_desk_fsm_card:contains('Feasibility')`,
        },
        {
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('Depósito Central')))",
            content: "...and only the desk's orders",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            content: "The search has the desk's filter",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o-dropdown-item:contains('Sales Desk')",
            run: "click",
        },
        {
            trigger: `.o_view_controller.o_kanban_view ${DESK_CARD}`,
        },
        {
            trigger: ".o_searchview_input",
            content: "and searches by the desk's order",
            run: "edit Cliente",
        },
        {
            trigger: ".o_searchview_autocomplete .o-dropdown-item:contains('Sales Desk Order')",
        },
        {
            trigger: ".o_searchview_input",
            run: "clear",
        },
        {
            trigger: ".o_switch_view.o_calendar",
            content: "The calendar",
            run: "click",
        },
        {
            trigger: ".o_calendar_renderer .fc-event",
            content: "shows the scheduled order",
            run: "click",
        },
        {
            trigger: ".o_cw_popover .o_field_widget[name=isp_contact_name]:contains('Cliente Planificado')",
            content: "with the desk's contact and order type",
        },
        {
            trigger: ".o_cw_popover .o_field_widget[name=isp_order_type]",
        },
        {
            trigger: ".o_cw_popover .o_cw_popover_close",
            run: "click",
        },
        {
            trigger: ".o_switch_view.o_list",
            content: "The list",
            run: "click",
        },
        {
            trigger: ".o_view_controller.o_list_view .o_data_row:contains('Sarmiento') .o_data_cell",
            content: "Open the order",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=isp_sales_order_id]",
            content: "Its form links to the desk's order and ticket",
        },
        {
            trigger: ".o_form_view button[name=action_view_isp_ticket]",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=isp_feasibility_result] input[data-value=feasible]",
            content: "and asks a feasibility order's result",
        },
        // Field Service's own board: both orders, each with its card
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='fieldservice.root']",
            content: "Open Field Service",
            run: "click",
        },
        {
            trigger: "button[data-menu-xmlid='fieldservice.dashboard']",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='fieldservice.menu_fsm_dash_order']",
            content: "Its orders' board",
            run: "click",
        },
        {
            trigger: `.o_view_controller.o_kanban_view ${DESK_CARD}`,
            content: "shows the desk's order with its card",
        },
        {
            trigger: `.o_view_controller.o_kanban_view ${PLAIN_CARD}:not(:has(.o_isp_sales_desk_fsm_card))`,
            content: "and a plain order as Field Service shows it",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=location_id] input:value('Depósito Central')",
            content: "whose form has nothing of the desk",
        },
        {
            trigger:
                ".o_form_view:not(:has(button[name=action_view_isp_ticket])):not(:has(.o_field_widget[name=isp_feasibility_result]))",
        },
    ],
});

/**
 * A manager opens the forms the desk adds or changes outside its board: a
 * service (a product), a lead with its referral, a prospect and a node.
 */
registry.category("web_tour.tours").add("isp_sales_desk_manager_views_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='isp_sales_desk.isp_sales_desk_menu_root']",
            content: "Open the Sales Desk app",
            run: "click",
        },
        // services: product search and form
        {
            trigger: "button[data-menu-xmlid='isp_sales_desk.isp_sales_config_menu']",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='isp_sales_desk.isp_sales_services_menu']",
            content: "Services",
            run: "click",
        },
        {
            trigger: ".o_view_controller.o_list_view .o_group_name:contains('Internet plan')",
            content: "grouped by kind (the desk's search)",
            run: "click",
        },
        {
            trigger: ".o_view_controller.o_list_view .o_data_row:contains('Plan Vistas 300') .o_data_cell",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=service_kind]",
            content: "The product form has the desk's fields",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=isp_download_mbps] input:value(300)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=isp_published]",
        },
        // leads: form with the referral, search by it
        {
            trigger: "a[data-menu-xmlid='isp_sales_desk.isp_sales_lead_menu']",
            content: "Leads",
            run: "click",
        },
        {
            trigger: ".o_searchview_input",
            content: "Search a lead by who referred it",
            run: "edit Recomendante",
        },
        {
            trigger: ".o_searchview_autocomplete .o-dropdown-item:contains('Referred By')",
            run: "click",
        },
        {
            trigger: ".o_view_controller.o_list_view .o_data_row:contains('Cliente Planificado') .o_data_cell",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=referred_by_partner_id] input:value('Vecina Recomendante')",
            content: "The lead form shows the referral",
        },
        // prospects and nodes
        {
            trigger: "a[data-menu-xmlid='isp_sales_desk.isp_sales_prospect_menu']",
            content: "Prospects",
            run: "click",
        },
        {
            trigger: ".o_view_controller.o_list_view .o_data_row:contains('Sarmiento') .o_data_cell",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_isp_sales_desk_map.leaflet-container",
            content: "The prospect's form has its map",
        },
        {
            trigger: "button[data-menu-xmlid='isp_sales_desk.isp_sales_config_menu']",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='isp_sales_desk.isp_network_node_menu']",
            content: "Network nodes",
            run: "click",
        },
        {
            trigger: ".o_view_controller.o_list_view .o_data_row:contains('Nodo Vistas') .o_data_cell",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=coverage_radius]",
            content: "The node's form",
        },
    ],
});

/** The desk's settings: its app in Settings, with every block. */
registry.category("web_tour.tours").add("isp_sales_desk_settings_tour", {
    url: "/odoo/action-isp_sales_desk.res_config_settings_action",
    steps: () => [
        {
            trigger: ".o_field_widget[name=isp_map_tile_url] input",
            content: "The map and the services",
        },
        {
            trigger: ".o_field_widget[name=isp_tv_enabled]",
        },
        {
            trigger: ".o_field_widget[name=isp_coverage_page]",
            content: "the leads from outside",
        },
        {
            trigger: ".o_field_widget[name=isp_quote_validity_days]",
            content: "and the quotes",
        },
    ],
});
