import re
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

ROSARIO = (-32.9468, -60.6393)
CORDOBA = (-31.4201, -64.1888)


@tagged("post_install", "-at_install")
class TestCoveragePage(HttpCase):
    """The public availability page, driven over HTTP as a visitor would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ar")
        cls.env.company.isp_coverage_page = True
        # the page's map opens on the ISP's own address
        cls.env.company.partner_id.write(
            {"partner_latitude": ROSARIO[0], "partner_longitude": ROSARIO[1]}
        )
        cls.env["isp.network.node"].search([]).active = False
        cls.env["isp.network.node"].create(
            {
                "name": "Torre Secreta",
                "latitude": ROSARIO[0],
                "longitude": ROSARIO[1],
                "coverage_radius": 2000,
            }
        )
        cls.plan = cls.env["product.product"].create(
            {
                "name": "Plan Hogar 100",
                "type": "service",
                "service_kind": "plan",
                "isp_published": True,
                "list_price": 90,
            }
        )
        cls.hidden_plan = cls.env["product.product"].create(
            {"name": "Plan Interno", "type": "service", "service_kind": "plan"}
        )
        Param = cls.env["ir.config_parameter"]
        Param.set_param("isp_sales_desk.coverage_submit_limit", 10)
        Param.set_param("isp_sales_desk.coverage_check_limit", 60)

    def setUp(self):
        super().setUp()
        # every test is a new visitor (the counters are rolled back with it)
        self.env.cr.execute("DELETE FROM isp_coverage_rate_limit")

    def counts(self):
        return tuple(
            self.env[model].with_context(active_test=False).search_count([])
            for model in ("isp.sales.lead", "isp.sales.prospect", "isp.sales.ticket")
        )

    def get_page(self, query="", headers=None):
        response = self.url_open(f"/isp/coverage{query}", headers=headers)
        self.assertEqual(response.status_code, 200)
        return response

    def token(self, query=""):
        found = re.search(r'name="token" value="([^"]+)"', self.get_page(query).text)
        self.assertTrue(found)
        return found.group(1)

    def submit(self, token=True, **fields):
        data = {
            "name": "Ana Visitante",
            "phone": "+54 9 341 555 9001",
            "latitude": str(ROSARIO[0]),
            "longitude": str(ROSARIO[1]),
        }
        data.update(fields)
        if token is True:
            token = self.token()
        if token:
            data["token"] = token
        return self.url_open("/isp/coverage", data=data)

    def test_page_is_public_and_embeddable(self):
        response = self.get_page()
        self.assertIn("frame-ancestors *", response.headers["Content-Security-Policy"])
        self.assertNotIn("X-Frame-Options", response.headers)
        self.assertIn("/web_leaflet_lib/static/lib/leaflet/leaflet.js", response.text)
        # only the published plans are offered
        self.assertIn("Plan Hogar 100", response.text)
        self.assertNotIn("Plan Interno", response.text)

    def test_submit_with_a_real_token_lands_in_the_desk(self):
        # the ISP's own medium and campaign: a URL names them, never creates
        self.env["utm.medium"].create({"name": "cartel-test"})
        self.env["utm.campaign"].create({"name": "otono"})
        token = self.token("?utm_medium=cartel-test&utm_campaign=otono")
        response = self.submit(
            token=token,
            utm_medium="cartel-test",
            utm_campaign="otono",
            plan_id=str(self.plan.id),
            email="ana.visitante@example.com",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("We have coverage", response.text)
        lead = self.env["isp.sales.lead"].search(
            [("email", "=", "ana.visitante@example.com")]
        )
        self.assertEqual(lead.source_id.name, "Sitio web")
        self.assertEqual(lead.medium_id.name, "cartel-test")
        self.assertEqual(lead.campaign_id.name, "otono")
        ticket = lead.ticket_ids
        self.assertEqual(ticket.state, "pending")
        self.assertEqual(ticket.plan_product_id, self.plan)
        self.assertEqual(ticket.coverage, "covered")
        # the node, its distance, and nothing of the desk is shown
        self.assertNotIn("Torre Secreta", response.text)
        self.assertNotIn(ticket.name, response.text)

    def test_post_without_a_valid_token_is_refused(self):
        before = self.counts()
        for token in (None, "123.forged", "9999999999.abc"):
            with self.subTest(token=token):
                response = self.submit(token=token)
                self.assertEqual(response.status_code, 400)
                self.assertIn("reload the page", response.text)
        self.assertEqual(self.counts(), before)

    def test_honeypot_drops_bots_silently(self):
        before = self.counts()
        response = self.submit(company_website="http://spam.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        self.assertEqual(self.counts(), before)

    def test_bad_input_gets_a_friendly_message(self):
        before = self.counts()
        cases = [
            ({"latitude": "95", "longitude": "0"}, "out of range"),
            ({"latitude": "norte", "longitude": "-60"}, "must be a number"),
            ({"name": "x" * 129}, "at most 128 characters"),
            ({"plan_id": str(self.hidden_plan.id)}, "Choose one of the plans"),
            ({"phone": "", "email": ""}, "Leave a phone or an e-mail"),
        ]
        for fields, message in cases:
            with self.subTest(fields=str(fields)[:40]):
                response = self.submit(**fields)
                self.assertEqual(response.status_code, 422)
                self.assertIn(message, response.text)
                self.assertIn('class="o_isp_coverage_form"', response.text)
        self.assertEqual(self.counts(), before)

    def test_markup_in_the_name_is_shown_as_text(self):
        before = self.env["isp.sales.lead"].search_count(
            [("name", "=", "<script>alert(1)</script>")]
        )
        response = self.submit(name="<script>alert(1)</script>", phone="341 555 9003")
        self.assertEqual(response.status_code, 200)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", response.text)
        self.assertNotIn("<script>alert(1)", response.text)
        after = self.env["isp.sales.lead"].search_count(
            [("name", "=", "<script>alert(1)</script>")]
        )
        self.assertEqual(after, before + 1)

    def test_uncovered_joins_the_waiting_list(self):
        response = self.submit(latitude=str(CORDOBA[0]), longitude=str(CORDOBA[1]))
        self.assertIn("We are not there yet", response.text)
        ticket = self.env["isp.sales.ticket"].search(
            [("lead_id.name", "=", "Ana Visitante")]
        )
        self.assertEqual(ticket.state, "lost")
        self.assertEqual(
            ticket.lost_reason_id,
            self.env.ref("isp_sales_desk.loss_reason_no_coverage"),
        )
        self.assertIn(
            self.env.ref("isp_sales_desk.isp_sales_tag_waiting_list"), ticket.tag_ids
        )

    def test_typed_address_is_geocoded_when_the_geocoder_answers(self):
        class Answer:
            status_code = 200

            def raise_for_status(self):
                pass

            def json(self):
                return [{"lat": str(ROSARIO[0]), "lon": str(ROSARIO[1])}]

        path = "odoo.addons.isp_sales_desk.models.base_geocoder.requests.get"
        with patch(path, return_value=Answer()) as geocoder:
            response = self.submit(
                latitude="", longitude="", street="Córdoba", city="Rosario"
            )
        self.assertTrue(geocoder.called)
        self.assertEqual(geocoder.call_args.kwargs["timeout"], 2)
        self.assertIn("We have coverage", response.text)

    def test_hundred_identical_submissions_one_lead_then_429(self):
        token = self.token()
        statuses = [self.submit(token=token).status_code for _i in range(100)]
        self.assertEqual(statuses[:10], [200] * 10)
        self.assertEqual(set(statuses[10:]), {429})
        leads = self.env["isp.sales.lead"].search([("name", "=", "Ana Visitante")])
        self.assertEqual(len(leads), 1)
        self.assertEqual(len(leads.ticket_ids), 10)

    def test_check_answers_at_once_and_is_rate_limited(self):
        self.env["ir.config_parameter"].set_param(
            "isp_sales_desk.coverage_check_limit", 3
        )
        url = "/isp/coverage/check?latitude=%s&longitude=%s"
        body = self.url_open(url % ROSARIO).json()
        self.assertEqual(body, {"answer": "yes", "message": "We have coverage"})
        body = self.url_open(url % CORDOBA).json()
        self.assertEqual(body["answer"], "not_yet")
        response = self.url_open(url % ("abc", "1"))
        self.assertEqual(response.status_code, 422)
        response = self.url_open(url % ROSARIO)
        self.assertEqual(response.status_code, 429)

    def test_page_can_be_turned_off(self):
        self.env.company.isp_coverage_page = False
        self.assertEqual(self.url_open("/isp/coverage").status_code, 404)

    def test_spanish_for_spanish_visitors(self):
        self.env["res.lang"]._activate_lang("es_AR")
        self.env["ir.module.module"].search(
            [("name", "=", "isp_sales_desk")]
        )._update_translations(["es_AR"], overwrite=True)
        response = self.get_page(headers={"Accept-Language": "es-AR,es;q=0.9"})
        self.assertIn("¿Llega nuestro servicio a tu casa?", response.text)
        token = re.search(r'name="token" value="([^"]+)"', response.text).group(1)
        response = self.url_open(
            "/isp/coverage",
            data={
                "token": token,
                "name": "Ana",
                "phone": "341 555 9002",
                "latitude": str(ROSARIO[0]),
                "longitude": str(ROSARIO[1]),
            },
            headers={"Accept-Language": "es-AR,es;q=0.9"},
        )
        self.assertIn("Hay cobertura", response.text)

    def test_visitor_clicks_the_map_in_a_browser(self):
        """Headless Chromium, in Spanish: the map loads (Leaflet served by
        web_leaflet_lib, no tile server needed) and a click on the home gives
        the verdict at once."""
        self.env["res.lang"]._activate_lang("es_AR")
        self.env["ir.module.module"].search(
            [("name", "=", "isp_sales_desk")]
        )._update_translations(["es_AR"], overwrite=True)
        code = """
        (async () => {
            const mapEl = document.getElementById("o_isp_coverage_map");
            if (!mapEl.classList.contains("leaflet-container")) {
                console.error("the map did not load");
                return;
            }
            const rect = mapEl.getBoundingClientRect();
            const options = {
                clientX: rect.left + rect.width / 2,
                clientY: rect.top + rect.height / 2,
                bubbles: true,
            };
            for (const type of ["mousedown", "mouseup", "click"]) {
                mapEl.dispatchEvent(new MouseEvent(type, options));
            }
            const live = document.getElementById("o_isp_coverage_live");
            for (let i = 0; i < 100; i++) {
                if (live.textContent) {
                    const latitude = document.querySelector("input[name=latitude]");
                    if (live.textContent === "Hay cobertura" && latitude.value) {
                        console.log("test successful");
                    } else {
                        console.error("unexpected answer: " + live.textContent);
                    }
                    return;
                }
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            console.error("no answer");
        })();
        """
        self.browser_js("/isp/coverage?lang=es_AR", code, ready="", timeout=60)

    def test_the_page_does_not_reveal_where_the_nodes_are(self):
        """The page's map opens on the ISP's address; nothing on the page
        locates the network (once, it opened on the nodes' centroid)."""
        self.env["isp.network.node"].create(
            {
                "name": "Torre Lejana",
                "latitude": -31.4167,
                "longitude": -64.1833,
                "coverage_radius": 1000,
            }
        )
        page = self.url_open("/isp/coverage").text
        self.assertIn('data-center="%s,%s"' % ROSARIO, page)
        self.assertNotIn("-31.4", page)
        self.assertNotIn("Torre", page)
