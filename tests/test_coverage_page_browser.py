from odoo.tests import HttpCase, tagged

# what an attacker would put in the map's credit, shown to every visitor
HOSTILE_CREDIT = (
    '<img src=x onerror="window.__ispXss=1">Mapas '
    '<a href="https://tiles.example.com/">Tiles</a> '
    '<a href="javascript:window.__ispXss=2">trampa</a>'
)


@tagged("post_install", "-at_install")
class TestCoveragePageBrowser(HttpCase):
    """The public availability page in headless Chromium: what the server
    sends the map (its credit) is shown, never run."""

    def test_the_map_credit_is_text_and_web_links(self):
        self.env.company.isp_coverage_page = True
        Param = self.env["ir.config_parameter"]
        # tiles served by Odoo itself: they load, so the credit stays shown
        Param.set_param(
            "isp_sales_desk.map_tile_url",
            "/isp_sales_desk/static/description/icon.png?{z}/{x}/{y}",
        )
        Param.set_param("isp_sales_desk.map_attribution", HOSTILE_CREDIT)
        code = """
        (async () => {
            let credit = null;
            for (let i = 0; i < 50 && !credit; i++) {
                credit = document.querySelector(".leaflet-control-attribution");
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            if (!credit) {
                console.error("the map did not load");
                return;
            }
            // time for an inserted image to fail and run its handler
            await new Promise((resolve) => setTimeout(resolve, 500));
            const html = credit.innerHTML;
            if (credit.querySelector("img") || window.__ispXss) {
                console.error("the credit's markup was inserted: " + html);
            } else if (credit.querySelector("a[href^='javascript']")) {
                console.error("the credit kept a script link: " + html);
            } else if (
                !credit.querySelector("a[href='https://tiles.example.com/']") ||
                !credit.textContent.includes("Mapas Tiles trampa")
            ) {
                console.error("the credit lost its text or its link: " + html);
            } else {
                console.log("test successful");
            }
        })();
        """
        self.browser_js("/isp/coverage", code, ready="", timeout=60)
