import { registry } from "@web/core/registry";
import { GraphRenderer } from "@web/views/graph/graph_renderer";
import { graphView } from "@web/views/graph/graph_view";

import { TICKET_STATUS_COLORS } from "../ticket_status/ticket_status";

/**
 * The ticket status of a dataset, when the chart is split by status. A
 * dataset's identifier is the JSON of its group's values, one ``{spec: value}``
 * per group-by (``[{"create_date:month": ...}, {"state": "won"}]``).
 */
export function datasetState(dataset, groupBy) {
    const index = groupBy.findIndex((gb) => gb.fieldName === "state");
    if (index < 1 || !dataset.identifiers?.size) {
        return null; // not split by status (or the status is the x axis)
    }
    const [identifier] = dataset.identifiers;
    const group = JSON.parse(identifier)[index];
    return group?.[groupBy[index].spec || "state"] ?? null;
}

// colours that mean something (won green, lost red), whatever the palette
export class IspTicketGraphRenderer extends GraphRenderer {
    colorByState(data) {
        for (const dataset of data.datasets) {
            const color = TICKET_STATUS_COLORS[datasetState(dataset, this.model.metaData.groupBy)];
            if (color) {
                dataset.backgroundColor = color;
                dataset.borderColor = color;
                dataset.hoverBackgroundColor = color;
                dataset.pointBackgroundColor = color;
            }
        }
        return data;
    }

    getBarChartData() {
        return this.colorByState(super.getBarChartData());
    }

    getLineChartData() {
        return this.colorByState(super.getLineChartData());
    }
}

registry.category("views").add("isp_ticket_graph", {
    ...graphView,
    Renderer: IspTicketGraphRenderer,
});
