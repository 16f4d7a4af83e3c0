/*
 * What the maps show of the data, made safe for Leaflet, whose tooltips,
 * popups, icons and attribution take HTML strings: a name typed by a user
 * must stay text. No import: the public availability page, which loads no
 * Odoo bundle, imports this file as it is (a native module).
 */

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A text ready to be put in HTML: shown as it is, never run. */
export function escapeHtml(text) {
    return String(text ?? "").replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** An element that shows ``text`` as it is, for a tooltip, a popup or an icon. */
export function textElement(text, className = "") {
    const element = document.createElement("span");
    element.textContent = String(text ?? "");
    if (className) {
        element.className = className;
    }
    return element;
}

// elements whose content is no text to show
const SKIPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IFRAME", "OBJECT"]);

/**
 * The base map's credit, as Leaflet shows it (HTML): the setting's text and
 * its links to web addresses, nothing else of its markup. The setting is HTML
 * by design (OpenStreetMap's credit is a link); it is read in a detached
 * document, where no script runs and no image loads.
 */
export function attributionHtml(source) {
    const body = new DOMParser().parseFromString(String(source || ""), "text/html").body;
    const parts = [];
    const walk = (parent) => {
        for (const node of parent.childNodes) {
            if (node.nodeType === Node.TEXT_NODE) {
                parts.push(escapeHtml(node.textContent));
            } else if (node.nodeType === Node.ELEMENT_NODE && !SKIPPED.has(node.tagName)) {
                const href = node.tagName === "A" ? node.getAttribute("href") || "" : "";
                if (/^https?:\/\//i.test(href.trim())) {
                    parts.push(
                        `<a href="${escapeHtml(href.trim())}" target="_blank" rel="noopener noreferrer">${escapeHtml(node.textContent)}</a>`
                    );
                } else {
                    walk(node);
                }
            }
        }
    };
    walk(body);
    return parts.join("");
}
