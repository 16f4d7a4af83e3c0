/* The availability page's map: a click places the home and shows the verdict.
 * A native module (the page loads no Odoo bundle). Without Leaflet or tiles (no
 * internet), the map hides or stays grey and the typed address still works. */
import { attributionHtml } from "/isp_sales_desk/static/src/map_common/map_html.js";

(function () {
    const form = document.querySelector(".o_isp_coverage_form");
    const mapEl = document.getElementById("o_isp_coverage_map");
    if (!form || !mapEl) {
        return;
    }
    if (typeof window.L === "undefined") {
        mapEl.hidden = true;
        return;
    }
    const latitude = form.querySelector("input[name=latitude]");
    const longitude = form.querySelector("input[name=longitude]");
    const live = document.getElementById("o_isp_coverage_live");
    const lang = form.querySelector("input[name=lang]").value;
    const center = mapEl.dataset.center.split(",").map(Number);
    const map = window.L.map(mapEl, {
        center,
        zoom: Number(mapEl.dataset.zoom) || 2,
        worldCopyJump: true,
    });
    if (mapEl.dataset.tileUrl) {
        window.L.tileLayer(mapEl.dataset.tileUrl, {
            attribution: attributionHtml(mapEl.dataset.attribution),
            maxZoom: 19,
        }).addTo(map);
    }
    let marker = null;
    const round = (value) => Math.round(value * 1e7) / 1e7;

    async function check(lat, lng) {
        const params = new URLSearchParams({ latitude: lat, longitude: lng, lang });
        try {
            const response = await fetch(`/isp/coverage/check?${params}`);
            const body = await response.json();
            live.className = "o_isp_coverage_answer";
            if (response.ok) {
                const classes = {
                    yes: "o_isp_coverage_yes",
                    check: "o_isp_coverage_check",
                    not_yet: "o_isp_coverage_not_yet",
                };
                live.classList.add(classes[body.answer]);
            }
            live.textContent = body.message || "";
        } catch {
            live.textContent = "";
        }
    }

    function place(latlng) {
        let lng = latlng.lng;
        while (lng > 180) {
            lng -= 360;
        }
        while (lng < -180) {
            lng += 360;
        }
        latitude.value = round(latlng.lat);
        longitude.value = round(lng);
        if (marker) {
            marker.setLatLng(latlng);
        } else {
            marker = window.L.marker(latlng, {
                draggable: true,
                keyboard: false,
                icon: window.L.divIcon({
                    className: "o_isp_coverage_marker",
                    html: "&#x2691;",
                    iconSize: [30, 30],
                    iconAnchor: [8, 28],
                }),
            }).addTo(map);
            marker.on("dragend", () => place(marker.getLatLng()));
        }
        check(latitude.value, longitude.value);
    }

    map.on("click", (ev) => place(ev.latlng));
    if (latitude.value && longitude.value) {
        place(window.L.latLng(Number(latitude.value), Number(longitude.value)));
        map.setView(marker.getLatLng(), 16);
    }
})();
