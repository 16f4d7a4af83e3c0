import { registry } from "@web/core/registry";
import { GraphRenderer } from "@web/views/graph/graph_renderer";
import { graphView } from "@web/views/graph/graph_view";

// colours that mean something: won green, lost red, whatever the palette
export const STATE_COLORS = {
    pending: "#3c8dbc",
    in_progress: "#f0ad4e",
    won: "#28a745",
    lost: "#dc3545",
};

/** The ticket status of a dataset, when the chart is split by status. */
export function datasetState(dataset, groupBy) {
    const index = groupBy.findIndex((gb) => gb.fieldName === "state");
    if (index < 1 || !dataset.identifiers?.size) {
        return null; // not split by status (or the status is the x axis)
    }
    const [identifier] = dataset.identifiers;
    return JSON.parse(identifier)[index] ?? null;
}

export class IspTicketGraphRenderer extends GraphRenderer {
    colorByState(data) {
        for (const dataset of data.datasets) {
            const color = STATE_COLORS[datasetState(dataset, this.model.metaData.groupBy)];
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
