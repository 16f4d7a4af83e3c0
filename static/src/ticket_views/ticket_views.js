import { registry } from "@web/core/registry";
import { FormController } from "@web/views/form/form_controller";
import { formView } from "@web/views/form/form_view";
import { ListController } from "@web/views/list/list_controller";
import { ListRenderer } from "@web/views/list/list_renderer";
import { listView } from "@web/views/list/list_view";

import { ticketsNoContentHelp } from "../ticket_board/ticket_board";

// a ticket needs a lead, a prospect with its point and its services: "New"
// opens the creation wizard rather than a bare ticket form
const CREATE_TICKET_ACTION = "isp_sales_desk.isp_sales_ticket_create_action";

export class IspTicketFormController extends FormController {
    async create() {
        const record = this.model.root;
        if ((await record.isDirty()) && !(await record.save())) {
            return;
        }
        await this.actionService.doAction(CREATE_TICKET_ACTION);
    }
}

export class IspTicketListController extends ListController {
    async createRecord() {
        await this.actionService.doAction(CREATE_TICKET_ACTION, {
            onClose: () => this.model.load(),
        });
    }
}

export class IspTicketListRenderer extends ListRenderer {
    static template = "isp_sales_desk.TicketListRenderer";

    get noContentHelp() {
        return ticketsNoContentHelp(this.env, this.props);
    }
}

registry.category("views").add("isp_ticket_form", {
    ...formView,
    Controller: IspTicketFormController,
});
registry.category("views").add("isp_ticket_list", {
    ...listView,
    Controller: IspTicketListController,
    Renderer: IspTicketListRenderer,
});
