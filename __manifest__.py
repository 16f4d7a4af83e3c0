# Copyright 2026 isp_sales_desk contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ISP Sales Desk",
    "summary": "Mesa de Ventas for Internet Service Providers: leads, prospects, "
    "coverage, tickets, installation and feasibility orders",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "isp_sales_desk contributors",
    "website": "https://github.com/isp-sales-desk/isp_sales_desk",
    "maintainers": [],
    "development_status": "Alpha",
    "depends": [
        "mail",
        "utm",
        "product",
        "phone_validation",
        "fieldservice",
        "web_leaflet_lib",
    ],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/isp_sales_desk_security.xml",
        "security/ir.model.access.csv",
        "security/ir_rule.xml",
        "data/ir_sequence_data.xml",
        "data/isp_sales_loss_reason_data.xml",
        "data/mail_message_subtype_data.xml",
        "data/fsm_order_type_data.xml",
        "data/isp_sales_follow_up_data.xml",
        "wizards/isp_sales_ticket_lost_views.xml",
        "wizards/isp_sales_ticket_create_views.xml",
        "views/isp_sales_tag_views.xml",
        "views/isp_sales_loss_reason_views.xml",
        "views/isp_network_node_views.xml",
        "views/isp_sales_lead_views.xml",
        "views/isp_sales_prospect_views.xml",
        "views/isp_sales_order_views.xml",
        "views/isp_sales_ticket_views.xml",
        "views/product_template_views.xml",
        "views/fsm_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/isp_sales_desk_menus.xml",
        "views/isp_sales_map_views.xml",
    ],
    "demo": [
        "demo/isp_sales_desk_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "isp_sales_desk/static/src/**/*",
        ],
        "web.assets_tests": [
            "isp_sales_desk/static/tests/tours/**/*",
        ],
        "web.assets_unit_tests": [
            "isp_sales_desk/static/tests/**/*",
            ("remove", "isp_sales_desk/static/tests/tours/**/*"),
        ],
    },
    "application": True,
    "installable": True,
}
