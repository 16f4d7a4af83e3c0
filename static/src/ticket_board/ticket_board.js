import { markup } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { escape } from "@web/core/utils/strings";
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

/**
 * What an empty board or list says: the action's help ("create the first
 * ticket") when the desk has none, but "no ticket matches" when a search or a
 * filter left nothing, with how to search.
 */
export function ticketsNoContentHelp(env, props) {
    const searching = (env.searchModel?.facets || []).some((facet) => facet.type !== "groupBy");
    if (!searching || props.list.model.useSampleModel) {
        return props.noContentHelp;
    }
    return markup(
        `<p class="o_view_nocontent_empty_folder o_isp_sales_desk_no_match">${escape(
            _t("No ticket matches this search")
        )}</p><p>${escape(
            _t(
                "Search a lead by its name, its phone (even its last digits) or its ID document, or a ticket by its reference; or remove a filter."
            )
        )}</p>`
    );
}

export class IspBoardHeader extends KanbanHeader {
    static template = "isp_sales_desk.BoardHeader";

    get columnTitle() {
        const group = this.props.group;
        const title = group.groupByField?.name === "state" && COLUMN_TITLES[group.value];
        return title ? String(title) : group.displayName;
    }
}

export class IspBoardRenderer extends KanbanRenderer {
    static template = "isp_sales_desk.BoardRenderer";
    static components = { ...KanbanRenderer.components, KanbanHeader: IspBoardHeader };

    get noContentHelp() {
        return ticketsNoContentHelp(this.env, this.props);
    }
}

registry.category("views").add("isp_ticket_board", {
    ...kanbanView,
    Renderer: IspBoardRenderer,
});
