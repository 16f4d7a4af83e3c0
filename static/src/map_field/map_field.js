/* global L */
import { hasTouch } from "@web/core/browser/feature_detection";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import {
    Component,
    onMounted,
    onPatched,
    onWillStart,
    onWillUnmount,
    useRef,
    useState,
} from "@odoo/owl";

import { attributionHtml, textElement } from "../map_common/map_html";

// one RPC per page for every map: the settings rarely change. It is shared by
// all maps, so it goes through the bare service (env.services.orm): a call made
// with useService("orm") never settles once its component is destroyed, and
// would leave every later map waiting.
let settingsPromise = null;

export function loadMapSettings(orm) {
    if (!settingsPromise) {
        settingsPromise = orm.call("isp.sales.prospect", "get_isp_map_settings", []);
        settingsPromise.catch(() => (settingsPromise = null));
    }
    return settingsPromise;
}

export function resetMapSettings() {
    settingsPromise = null;
}

function round7(value) {
    return Math.round(value * 1e7) / 1e7;
}

/** A longitude back in [-180, 180], whatever copy of the world was clicked. */
export function wrapLongitude(longitude) {
    return ((((longitude + 180) % 360) + 360) % 360) - 180;
}

/**
 * A point on a Leaflet map, bound to a latitude field (the widget's field) and
 * a longitude field. Clicking or dragging the marker sets both. The map works
 * without tiles: marker, coordinates and coverage do not depend on them.
 */
export class IspMapField extends Component {
    static template = "isp_sales_desk.MapField";
    static props = {
        ...standardFieldProps,
        longitudeField: { type: String, optional: true },
        zoom: { type: Number, optional: true },
    };
    static defaultProps = {
        longitudeField: "longitude",
        zoom: 16,
    };

    setup() {
        this.mapRef = useRef("map");
        this.map = null;
        this.marker = null;
        // no tile server set, or none reachable: say so plainly
        this.state = useState({ baseMapMissing: false, locating: false });
        onWillStart(async () => {
            this.settings = await loadMapSettings(this.env.services.orm);
        });
        onMounted(() => this.createMap());
        onPatched(() => this.syncMarker());
        onWillUnmount(() => {
            this.resizeObserver?.disconnect();
            this.map?.remove();
            this.map = null;
        });
    }

    get latitude() {
        return this.props.record.data[this.props.name];
    }

    get longitude() {
        return this.props.record.data[this.props.longitudeField];
    }

    /** [lat, lon], or null while no point is placed ((0, 0) is "no point"). */
    get point() {
        const latitude = this.latitude;
        const longitude = this.longitude;
        if (typeof latitude !== "number" || typeof longitude !== "number") {
            return null;
        }
        return latitude || longitude ? [latitude, longitude] : null;
    }

    get editable() {
        return !this.props.readonly;
    }

    get pointLabel() {
        const point = this.point;
        return point ? `${point[0].toFixed(6)}, ${point[1].toFixed(6)}` : "";
    }

    get noBaseMapLabel() {
        return _t("Base map not available: the network and the point are drawn without it.");
    }

    get locateLabel() {
        return _t("Use my location");
    }

    get hint() {
        return this.editable
            ? _t("Click on the map, or drag the marker, to place the point.")
            : _t("No point yet.");
    }

    createMap() {
        const point = this.point;
        this.map = L.map(this.mapRef.el, {
            center: point || this.settings.default_center,
            zoom: point ? this.props.zoom : this.settings.default_zoom,
            worldCopyJump: true,
            // a map that only shows a point does not take the page's scroll:
            // the wheel scrolls the form, one finger the phone's page (two
            // fingers still zoom the map)
            scrollWheelZoom: this.editable,
            dragging: this.editable || !hasTouch(),
        });
        if (this.settings.tile_url) {
            const tiles = L.tileLayer(this.settings.tile_url, {
                attribution: attributionHtml(this.settings.attribution),
                maxZoom: 19,
            }).addTo(this.map);
            tiles.once("tileerror", () => {
                // no credit for a base map that is not there
                tiles.remove();
                this.state.baseMapMissing = true;
            });
        } else {
            this.state.baseMapMissing = true;
        }
        this.drawNodes();
        if (this.editable) {
            this.map.on("click", (ev) => this.setPoint(ev.latlng));
        }
        // a map created in a dialog that is still opening has no size yet
        this.resizeObserver = new ResizeObserver(() => this.map?.invalidateSize());
        this.resizeObserver.observe(this.mapRef.el);
        this.syncMarker();
    }

    /** The network near the point: each node and its coverage circle, so the
     * map helps even without a base map. */
    drawNodes() {
        for (const node of this.settings.nodes || []) {
            L.circle([node.latitude, node.longitude], {
                radius: node.coverage_radius,
                className: "o_isp_sales_desk_map_coverage",
                color: node.full ? "#dc3545" : "#198754",
                weight: 1,
                fillOpacity: 0.08,
                interactive: false,
            }).addTo(this.map);
            // hovered, it shows its name (as text: a name is no HTML); a
            // click on it places the point there, as anywhere on the map
            const marker = L.circleMarker([node.latitude, node.longitude], {
                radius: 5,
                className: "o_isp_sales_desk_map_node",
                color: "#0d6efd",
                fillOpacity: 0.9,
            })
                .bindTooltip(textElement(node.name), { permanent: false })
                .addTo(this.map);
            if (this.editable) {
                marker.on("click", (ev) =>
                    this.setPoint(this.map.mouseEventToLatLng(ev.originalEvent))
                );
            }
        }
    }

    get canLocate() {
        return this.editable && Boolean(navigator.geolocation);
    }

    /** The phone's own position (the browser asks for permission). */
    useMyLocation() {
        this.state.locating = true;
        navigator.geolocation.getCurrentPosition(
            (position) => {
                this.state.locating = false;
                const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
                this.setPoint(latlng);
                this.map?.setView(latlng, this.props.zoom);
            },
            () => {
                this.state.locating = false;
                this.env.services.notification.add(
                    _t("Your location is not available: place the point on the map."),
                    { type: "warning" }
                );
            },
            { enableHighAccuracy: true, timeout: 10000 }
        );
    }

    syncMarker() {
        if (!this.map) {
            return;
        }
        const point = this.point;
        if (!point) {
            this.marker?.remove();
            this.marker = null;
            return;
        }
        if (this.marker) {
            this.marker.setLatLng(point);
        } else {
            this.marker = L.marker(point, {
                draggable: this.editable,
                keyboard: false,
                // no image to load: a font icon, so a bundled CSS cannot break it
                icon: L.divIcon({
                    className: "o_isp_sales_desk_map_marker",
                    html: '<i class="fa fa-map-marker" role="img" aria-label="Point"></i>',
                    iconSize: [30, 40],
                    iconAnchor: [15, 38],
                }),
            }).addTo(this.map);
            this.marker.on("dragend", () => this.setPoint(this.marker.getLatLng()));
        }
        if (!this.map.getBounds().contains(point)) {
            this.map.panTo(point);
        }
    }

    async setPoint(latlng) {
        if (!this.editable) {
            return;
        }
        await this.props.record.update({
            [this.props.name]: round7(latlng.lat),
            [this.props.longitudeField]: round7(wrapLongitude(latlng.lng)),
        });
    }
}

export const ispMapField = {
    component: IspMapField,
    displayName: _t("Map"),
    supportedTypes: ["float"],
    supportedOptions: [
        {
            label: _t("Longitude field"),
            name: "longitude_field",
            type: "field",
            availableTypes: ["float"],
        },
        {
            label: _t("Zoom"),
            name: "zoom",
            type: "number",
        },
    ],
    extractProps: ({ options }) => ({
        longitudeField: options.longitude_field,
        zoom: options.zoom,
    }),
};

registry.category("fields").add("isp_map", ispMapField);
