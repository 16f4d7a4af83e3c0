/* global L */
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { formatCurrency } from "@web/core/currency";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { SearchBar } from "@web/search/search_bar/search_bar";
import { useSearchBarToggler } from "@web/search/search_bar/search_bar_toggler";
import { standardViewProps } from "@web/views/standard_view_props";
import {
    Component,
    onMounted,
    onWillStart,
    onWillUnmount,
    onWillUpdateProps,
    useRef,
    useState,
} from "@odoo/owl";

import { attributionHtml, textElement } from "../map_common/map_html";
import { loadMapSettings, wrapLongitude } from "../map_field/map_field";
import {
    ORDER_STATUS_COLORS,
    orderStatusLabels,
    TICKET_STATUS_COLORS,
    ticketStatusLabels,
} from "../ticket_status/ticket_status";

export const LOAD_COLORS = { free: "#27ae60", nearly_full: "#f2c94c", full: "#eb5757" };
// a candidate node, apart from every status colour
const WHAT_IF_COLOR = "#343a40";

/** The status most represented in a cluster: its colour. */
export function dominantStatus(cluster) {
    return Object.keys(TICKET_STATUS_COLORS).reduce((best, status) =>
        (cluster[status] || 0) > (cluster[best] || 0) ? status : best
    );
}

/**
 * The coverage and demand map: network nodes with their reach coloured by
 * free capacity, tickets by status (clusters far out, points zoomed in, as
 * the server aggregates them for the viewport), and for managers a what-if
 * node. Works without a tile server: a plain background, a note.
 */
export class IspMapController extends Component {
    static template = "isp_sales_desk.IspMapView";
    static components = { Layout, SearchBar };
    static props = { ...standardViewProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.mapRef = useRef("map");
        this.searchBarToggler = useSearchBarToggler();
        // the same map shows a technician's orders (isp.sales.order)
        this.isOrder = this.props.resModel === "isp.sales.order";
        this.labels = this.isOrder ? orderStatusLabels() : ticketStatusLabels();
        this.colors = this.isOrder ? ORDER_STATUS_COLORS : TICKET_STATUS_COLORS;
        this.fitted = !this.isOrder;
        this.state = useState({
            data: null,
            tilesDown: false,
            selected: null,
            whatIf: null, // {lat, lon, radius, technology, capacity, name, result, error}
            placing: false,
        });
        this.loadId = 0;
        this.whatIfId = 0;
        onWillStart(async () => {
            [this.settings, this.isManager] = await Promise.all([
                loadMapSettings(this.env.services.orm),
                user.hasGroup("isp_sales_desk.group_isp_sales_manager"),
            ]);
        });
        onMounted(() => this.createMap());
        onWillUpdateProps((nextProps) => {
            if (JSON.stringify(nextProps.domain) !== JSON.stringify(this.props.domain)) {
                this.load(nextProps.domain);
            }
        });
        onWillUnmount(() => {
            this.resizeObserver?.disconnect();
            this.map?.remove();
            this.map = null;
        });
    }

    get statuses() {
        return Object.keys(this.colors);
    }

    get canWhatIf() {
        return this.isManager && !this.isOrder;
    }

    get totals() {
        return this.state.data?.totals || {};
    }

    formatAmount(amount) {
        const currencyId = this.state.data?.currency_id;
        return currencyId ? formatCurrency(amount || 0, currencyId) : String(amount || 0);
    }

    createMap() {
        this.map = L.map(this.mapRef.el, {
            center: this.settings.default_center,
            zoom: Math.min(this.settings.default_zoom, 12),
            worldCopyJump: true,
        });
        if (this.settings.tile_url) {
            const attribution = attributionHtml(this.settings.attribution);
            const tiles = L.tileLayer(this.settings.tile_url, { attribution, maxZoom: 19 });
            // no credit for a base map that does not show (tiles that come
            // back later bring their attribution back)
            tiles.on("tileerror", () => {
                if (!this.state.tilesDown) {
                    this.state.tilesDown = true;
                    this.map?.attributionControl?.removeAttribution(attribution);
                }
            });
            tiles.on("tileload", () => {
                if (this.state.tilesDown) {
                    this.state.tilesDown = false;
                    this.map?.attributionControl?.addAttribution(attribution);
                }
            });
            tiles.addTo(this.map);
        } else {
            this.state.tilesDown = true;
        }
        this.nodeLayer = L.layerGroup().addTo(this.map);
        this.ticketLayer = L.layerGroup().addTo(this.map);
        this.whatIfLayer = L.layerGroup().addTo(this.map);
        this.map.on("moveend", () => this.load());
        this.map.on("click", (ev) => this.onMapClick(ev.latlng));
        this.resizeObserver = new ResizeObserver(() => this.map?.invalidateSize());
        this.resizeObserver.observe(this.mapRef.el);
        this.load();
    }

    async load(domain = this.props.domain) {
        if (!this.map) {
            return;
        }
        const bounds = this.map.getBounds();
        // a technician's map first asks for all their orders, to fit them
        const bbox = this.fitted
            ? [bounds.getSouth(), bounds.getWest(), bounds.getNorth(), bounds.getEast()]
            : null;
        const loadId = ++this.loadId;
        const data = await this.orm.call(this.props.resModel, "get_isp_map_data", [
            domain,
            bbox,
            this.map.getZoom(),
        ]);
        if (loadId !== this.loadId || !this.map) {
            return; // a later move already asked again
        }
        this.state.data = data;
        this.draw(data);
        if (!this.fitted) {
            this.fitted = true;
            if (data.points.length) {
                const points = data.points.map((point) => [point.lat, point.lon]);
                this.map.fitBounds(points, { padding: [40, 40], maxZoom: 16 });
            }
        }
    }

    draw(data) {
        this.nodeLayer.clearLayers();
        this.ticketLayer.clearLayers();
        for (const node of data.nodes) {
            const color = LOAD_COLORS[node.load];
            L.circle([node.lat, node.lon], {
                radius: node.radius,
                color,
                weight: 1,
                fillOpacity: 0.12,
                interactive: false,
                className: `o_isp_map_node_reach o_isp_map_node_${node.load}`,
            }).addTo(this.nodeLayer);
            L.circleMarker([node.lat, node.lon], {
                radius: 6,
                color: "#333",
                weight: 2,
                fillColor: color,
                fillOpacity: 1,
                className: "o_isp_map_node",
            })
                .bindTooltip(textElement(node.name))
                .addTo(this.nodeLayer);
        }
        for (const cluster of data.clusters) {
            const status = dominantStatus(cluster);
            const size = 26 + Math.min(24, Math.round(Math.log10(cluster.count + 1) * 10));
            const badge = document.createElement("div");
            badge.className = "o_isp_map_cluster";
            badge.textContent = String(cluster.count);
            Object.assign(badge.style, {
                background: TICKET_STATUS_COLORS[status],
                width: `${size}px`,
                height: `${size}px`,
                lineHeight: `${size}px`,
            });
            const marker = L.marker([cluster.lat, cluster.lon], {
                icon: L.divIcon({
                    className: "o_isp_map_cluster_icon",
                    html: badge,
                    iconSize: [size, size],
                }),
                keyboard: false,
            });
            marker.on("click", () =>
                this.map.setView([cluster.lat, cluster.lon], this.map.getZoom() + 2)
            );
            marker.addTo(this.ticketLayer);
        }
        for (const point of data.points) {
            const marker = L.circleMarker([point.lat, point.lon], {
                // a technician taps their orders on a phone: 32 px pins
                radius: this.isOrder ? 16 : 7,
                color: "#fff",
                weight: 1.5,
                fillColor: this.colors[point.status],
                fillOpacity: 0.95,
                className: `o_isp_map_point o_isp_map_point_${point.status}`,
            });
            marker.on("click", (ev) => {
                L.DomEvent.stopPropagation(ev);
                this.state.selected = point;
            });
            marker.addTo(this.ticketLayer);
        }
    }

    openTicket(point) {
        this.props.selectRecord(point.id);
    }

    // ------------------------------------------------------------------
    // what-if node (managers)
    // ------------------------------------------------------------------

    startWhatIf() {
        this.state.placing = true;
        this.state.selected = null;
        if (!this.state.whatIf) {
            this.state.whatIf = {
                lat: null,
                lon: null,
                radius: 1000,
                technology: "wireless",
                capacity: 0,
                name: _t("New node"),
                result: null,
                error: null,
            };
        }
    }

    closeWhatIf() {
        this.state.placing = false;
        this.state.whatIf = null;
        this.whatIfLayer.clearLayers();
    }

    onMapClick(latlng) {
        if (this.state.placing && this.state.whatIf) {
            this.state.whatIf.lat = Math.round(latlng.lat * 1e7) / 1e7;
            this.state.whatIf.lon = Math.round(wrapLongitude(latlng.lng) * 1e7) / 1e7;
            this.updateWhatIf();
        } else {
            this.state.selected = null;
        }
    }

    onWhatIfInput(name, ev) {
        const value = ev.target.value;
        this.state.whatIf[name] =
            name === "radius" || name === "capacity" ? Number(value) : value;
        if (name !== "name") {
            this.updateWhatIf();
        }
    }

    async updateWhatIf() {
        const whatIf = this.state.whatIf;
        this.whatIfLayer.clearLayers();
        if (whatIf.lat === null) {
            return;
        }
        if (whatIf.radius > 0) {
            L.circle([whatIf.lat, whatIf.lon], {
                radius: whatIf.radius,
                color: WHAT_IF_COLOR,
                dashArray: "6 4",
                weight: 2,
                fillOpacity: 0.08,
                interactive: false,
                className: "o_isp_map_what_if_reach",
            }).addTo(this.whatIfLayer);
        }
        const askId = ++this.whatIfId;
        let result = null;
        let error = null;
        try {
            result = await this.orm.call("isp.sales.ticket", "get_isp_what_if", [
                whatIf.lat,
                whatIf.lon,
                whatIf.radius,
                whatIf.technology,
                whatIf.capacity,
            ]);
        } catch (rpcError) {
            error = rpcError.data?.message || String(rpcError);
        }
        if (askId === this.whatIfId && this.state.whatIf === whatIf) {
            // only the answer to the last question counts (typing is fast)
            whatIf.result = result;
            whatIf.error = error;
        }
    }

    async createNode() {
        const whatIf = this.state.whatIf;
        const [nodeId] = await this.orm.create("isp.network.node", [
            {
                name: whatIf.name || _t("New node"),
                latitude: whatIf.lat,
                longitude: whatIf.lon,
                coverage_radius: Math.round(whatIf.radius),
                technology: whatIf.technology,
                capacity: Math.max(0, Math.round(whatIf.capacity || 0)),
            },
        ]);
        this.notification.add(_t("Node %(name)s created.", { name: whatIf.name }), {
            type: "success",
        });
        this.closeWhatIf();
        await this.load();
        return nodeId;
    }
}

export const ispMapView = {
    type: "isp_map",
    display_name: _t("Map"),
    icon: "fa fa-map-o",
    multiRecord: true,
    Controller: IspMapController,
    searchMenuTypes: ["filter", "groupBy", "favorite"],
    props: (genericProps) => genericProps,
};

registry.category("views").add("isp_map", ispMapView);
