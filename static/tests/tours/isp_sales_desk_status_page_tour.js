import { registry } from "@web/core/registry";

/**
 * A customer opens the status page's link on a phone (390 x 844), in Spanish:
 * reads the plan, the total and the steps, chooses the first free slot and sees
 * the installation scheduled.
 */
function checkFitsThePhone() {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
        throw new Error(`the page is wider than the phone (${width}px)`);
    }
    for (const button of document.querySelectorAll(".o_isp_status_slot")) {
        const box = button.getBoundingClientRect();
        if (box.right > width || box.height < 44) {
            throw new Error(`slot button off the screen or too small to tap: ${box.width}x${box.height}`);
        }
    }
}

registry.category("web_tour.tours").add("isp_sales_desk_status_page_tour", {
    steps: () => [
        {
            trigger: ".o_isp_status_header h1:contains('Hola Ana')",
            content: "The page greets the customer in Spanish",
        },
        {
            trigger: ".o_isp_status_plan:contains('Plan Hogar 300')",
            content: "The plan",
        },
        {
            trigger: ".o_isp_status_total:contains('21')",
            content: "The monthly total",
        },
        {
            trigger: ".o_isp_status_steps .o_isp_status_step_done:contains('Solicitud recibida')",
            content: "The request was received",
        },
        {
            trigger: ".o_isp_status_slots h2:contains('Elegí el horario')",
            content: "The free slots, big enough to tap, within the screen",
            run: checkFitsThePhone,
        },
        {
            trigger: "button.o_isp_status_slot:first",
            content: "Choose the first free slot",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_isp_status_chosen",
            content: "The installation is scheduled",
        },
        {
            trigger: ".o_isp_status_steps .o_isp_status_step_done:contains('Instalación programada')",
            content: "The step shows the day and time window",
            run: checkFitsThePhone,
        },
    ],
});
