from lxml import html

from odoo.tests import HttpCase, tagged

from .test_coverage_page import ROSARIO


@tagged("post_install", "-at_install")
class TestCoveragePageHost(HttpCase):
    """The public page reached by a name without a dot (``localhost``), as on
    a small ISP's own machine: the visitor fills in the form a browser shows
    and sends it, with every field the page puts in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.isp_coverage_page = True
        cls.env["isp.network.node"].search([]).active = False
        cls.env["isp.network.node"].create(
            {
                "name": "Nodo Localhost",
                "latitude": ROSARIO[0],
                "longitude": ROSARIO[1],
                "coverage_radius": 2000,
            }
        )

    def setUp(self):
        super().setUp()
        self.env.cr.execute("DELETE FROM isp_coverage_rate_limit")
        self.page_url = f"http://localhost:{self.http_port()}/isp/coverage"

    def form_values(self, page):
        """What a browser sends for the page's form: each named field with its
        value, the hidden ones included, as ``form.submit()`` would."""
        (form,) = html.fromstring(page).find_class("o_isp_coverage_form")
        return dict(form.form_values())

    def test_visitor_sends_the_form_at_localhost(self):
        response = self.url_open(self.page_url)
        self.assertEqual(response.status_code, 200)
        values = self.form_values(response.text)
        values.update(
            name="Vecino Local",
            phone="+54 9 341 555 9010",
            latitude=str(ROSARIO[0]),
            longitude=str(ROSARIO[1]),
        )
        response = self.url_open(self.page_url, data=values)
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertIn("Thank you, Vecino Local", response.text)
        self.assertIn("We have coverage", response.text)
        lead = self.env["isp.sales.lead"].search([("name", "=", "Vecino Local")])
        self.assertEqual(len(lead.ticket_ids), 1)
        self.assertFalse(lead.medium_id)
        self.assertFalse(lead.campaign_id)

    def test_campaign_of_the_link_is_kept(self):
        """Without empty fields the page still carries a campaign that came
        in the link (127.0.0.1: a host for which Odoo's utm can set cookies).
        The page only takes mediums and campaigns that exist (it never creates
        one from a visitor's URL)."""
        self.env["utm.medium"].create({"name": "volante"})
        self.env["utm.campaign"].create({"name": "primavera"})
        response = self.url_open(
            "/isp/coverage?utm_medium=volante&utm_campaign=primavera"
        )
        values = self.form_values(response.text)
        self.assertEqual(values["utm_medium"], "volante")
        self.assertEqual(values["utm_campaign"], "primavera")
        values.update(name="Vecina Volante", phone="+54 9 341 555 9011")
        response = self.url_open("/isp/coverage", data=values)
        self.assertEqual(response.status_code, 200)
        lead = self.env["isp.sales.lead"].search([("name", "=", "Vecina Volante")])
        self.assertEqual(lead.medium_id.name, "volante")
        self.assertEqual(lead.campaign_id.name, "primavera")
