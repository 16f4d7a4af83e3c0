"""The public availability page never answers a visitor with a server
error, whatever the form carries, and takes nothing it should not from the
URL. Driven over HTTP, as a visitor (or a bot) does."""

import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

ROSARIO = (-32.9468, -60.6393)


@tagged("post_install", "-at_install")
class TestCoveragePageBoundary(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.isp_coverage_page = True
        cls.env["isp.network.node"].search([]).active = False
        cls.env["ir.config_parameter"].set_param(
            "isp_sales_desk.coverage_submit_limit", 100
        )
        cls.medium = cls.env["utm.medium"].create({"name": "Cartel Vía Pública"})
        cls.campaign = cls.env["utm.campaign"].create({"name": "Otoño Fibra"})

    def setUp(self):
        super().setUp()
        self.env.cr.execute("DELETE FROM isp_coverage_rate_limit")

    def token(self):
        page = self.url_open("/isp/coverage")
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="token" value="([^"]+)"', page.text).group(1)

    def form(self, **fields):
        data = {
            "token": self.token(),
            "name": "Visitante",
            "phone": "+54 9 341 555 8080",
            "latitude": str(ROSARIO[0]),
            "longitude": str(ROSARIO[1]),
        }
        data.update(fields)
        return data

    def counts(self):
        self.env.invalidate_all()
        return tuple(
            self.env[model].with_context(active_test=False).search_count([])
            for model in (
                "isp.sales.lead",
                "isp.sales.ticket",
                "utm.medium",
                "utm.campaign",
            )
        )

    @mute_logger("odoo.http")
    def test_a_file_in_any_field_is_a_friendly_refusal(self):
        before = self.counts()
        for field in (
            "token",
            "utm_medium",
            "utm_campaign",
            "lang",
            "name",
            "latitude",
            "plan_id",
            "note",
            "company_website",
        ):
            with self.subTest(field=field):
                data = self.form()
                data.pop(field, None)
                response = self.url_open(
                    "/isp/coverage",
                    data=data,
                    files={field: ("x.bin", b"\x00\x01 not text", "text/plain")},
                )
                self.assertIn(response.status_code, (400, 422), response.text[:300])
                self.assertIn("reload the page", response.text)
                self.assertIn('class="o_isp_coverage_form"', response.text)
        self.assertEqual(self.counts(), before)
        # the page and the check too
        response = self.url_open(
            "/isp/coverage",
            method="GET",
            files={"utm_campaign": ("x.bin", b"x", "text/plain")},
        )
        self.assertEqual(response.status_code, 400, response.text[:300])
        response = self.url_open(
            "/isp/coverage/check",
            method="GET",
            files={"lang": ("x.bin", b"x", "text/plain")},
        )
        self.assertEqual(response.status_code, 400, response.text[:300])
        self.assertTrue(response.json()["message"])

    def test_utm_values_never_fail_a_visitor_on_localhost(self):
        """Odoo's utm module sets a tracking cookie for the request's host,
        which werkzeug refuses for "localhost": the page sets none."""
        host = {"Host": f"localhost:{self.http_port()}"}
        page = self.url_open(
            "/isp/coverage?utm_medium=cartel&utm_campaign=otono", headers=host
        )
        self.assertEqual(page.status_code, 200, page.text[:300])
        self.assertNotIn("odoo_utm", page.headers.get("Set-Cookie", ""))
        for utm in (
            {"utm_medium": "cartel", "utm_campaign": "otono"},
            {"utm_medium": "", "utm_campaign": ""},
        ):
            with self.subTest(utm=utm):
                response = self.url_open(
                    "/isp/coverage", data=self.form(**utm), headers=host
                )
                self.assertEqual(response.status_code, 200, response.text[:300])
                self.assertIn("Thank you", response.text)
                self.assertNotIn("odoo_utm", response.headers.get("Set-Cookie", ""))

    def test_only_known_mediums_and_campaigns(self):
        before = self.counts()
        response = self.url_open(
            "/isp/coverage",
            data=self.form(
                name="Con campaña",
                phone="341 555 8383",
                utm_medium="cartel vía pública",
                utm_campaign="OTOÑO FIBRA",
            ),
        )
        self.assertEqual(response.status_code, 200)
        lead = self.env["isp.sales.lead"].search([("name", "=", "Con campaña")])
        self.assertEqual(lead.medium_id, self.medium)
        self.assertEqual(lead.campaign_id, self.campaign)
        for name, phone, medium, campaign in (
            ("Inventada", "341 555 8181", "spam-medium-123", "casino-online"),
            ("Comodín", "341 555 8282", "%", "_%"),
        ):
            with self.subTest(medium=medium):
                data = self.form(
                    name=name, phone=phone, utm_medium=medium, utm_campaign=campaign
                )
                response = self.url_open("/isp/coverage", data=data)
                self.assertEqual(response.status_code, 200)
                lead = self.env["isp.sales.lead"].search([("name", "=", name)])
                self.assertTrue(lead)
                self.assertFalse(lead.medium_id)
                self.assertFalse(lead.campaign_id)
        self.assertEqual(self.counts()[2:], before[2:])
