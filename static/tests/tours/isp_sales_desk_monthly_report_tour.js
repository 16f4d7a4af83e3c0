import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * A manager prints the monthly report: the dialog offers a month, with the
 * year written as a year, and closes once the PDF is made.
 */
registry.category("web_tour.tours").add("isp_sales_desk_monthly_report_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='isp_sales_desk.isp_sales_desk_menu_root']",
            content: "Open the Sales Desk app",
            run: "click",
        },
        {
            trigger: ".o_main_navbar button.dropdown-toggle:contains('Reporting')",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='isp_sales_desk.isp_sales_monthly_report_menu']",
            content: "Reporting > Monthly Report",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=month] input",
            content: "A month is chosen (the last complete one)",
            run() {
                if (!this.anchor.value) {
                    throw new Error("no month is chosen");
                }
            },
        },
        {
            trigger: ".modal .o_field_widget[name=year] input",
            content: "The year reads as a year: 2026, not 2,026",
            run() {
                if (!/^\d{4}$/.test(this.anchor.value)) {
                    throw new Error(`the year shows as "${this.anchor.value}"`);
                }
            },
        },
        {
            trigger: ".modal .modal-footer button[name=action_print]",
            content: "Print",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "The dialog closes once the PDF is downloaded",
        },
    ],
});
