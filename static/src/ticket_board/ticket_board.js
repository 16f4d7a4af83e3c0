import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { KanbanHeader } from "@web/views/kanban/kanban_header";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { kanbanView } from "@web/views/kanban/kanban_view";

// a column holds many tickets: its title is plural ("Pendientes"), while a
// ticket's own status reads in the singular ("Pendiente")
const COLUMN_TITLES = {
    pending: _t("Pending tickets"),
    in_progress: _t("Orders in progress"),
    won: _t("Won tickets"),
    lost: _t("Lost tickets"),
};

export class IspBoardHeader extends KanbanHeader {
    static template = "isp_sales_desk.BoardHeader";

    get columnTitle() {
        const group = this.props.group;
        const title = group.groupByField?.name === "state" && COLUMN_TITLES[group.value];
        return title ? String(title) : group.displayName;
    }
}

export class IspBoardRenderer extends KanbanRenderer {
    static components = { ...KanbanRenderer.components, KanbanHeader: IspBoardHeader };
}

registry.category("views").add("isp_ticket_board", {
    ...kanbanView,
    Renderer: IspBoardRenderer,
});
