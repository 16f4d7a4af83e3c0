import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..lib import slots
from .common import IspSalesDeskCase
from .status_common import add_status_fixtures

SLOT_BUTTON = re.compile(r'<button[^>]*name="slot"[^>]*value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestStatusPage(HttpCase):
    """The customer's page over HTTP, as the customer's phone opens it: no
    login, the link's token; a plain 404 for any other token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        add_status_fixtures(cls)
        cls.env["isp.network.node"].search([]).active = False
        cls.env["isp.network.node"].create(
            {
                "name": "Torre Centro",
                "latitude": -32.9468,
                "longitude": -60.6393,
                "coverage_radius": 2000,
            }
        )
        Product = cls.env["product.product"]
        cls.plan = Product.create(
            {"name": "Plan Hogar 300", "type": "service", "service_kind": "plan",
             "list_price": 21000.0}
        )  # fmt: skip
        cls.seller = new_test_user(
            cls.env, login="status_seller", groups="isp_sales_desk.group_isp_sales_user"
        )
        cls.ticket = cls._ticket("Ana Pérez", "ana@example.com")
        cls.other = cls._ticket("Bruno Otro", "bruno@example.com")

    @classmethod
    def _ticket(cls, name, email):
        lead = cls.env["isp.sales.lead"].create(
            {"name": name, "email": email, "phone": "+54 9 341 555 0101"}
        )
        prospect = cls.env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "street": "Córdoba",
                "street_number": "1234",
                "city": "Rosario",
                "latitude": -32.9468,
                "longitude": -60.6393,
                "line_ids": [(0, 0, {"product_id": cls.plan.id})],
            }
        )
        ticket = cls.env["isp.sales.ticket"].create(
            {"prospect_id": prospect.id, "user_id": cls.seller.id}
        )
        ticket.action_create_order("installation")
        return ticket

    def _url(self, ticket=None):
        return (ticket or self.ticket).with_user(self.seller).get_portal_url()

    def test_the_page_tells_the_customer_where_the_request_stands(self):
        response = self.url_open(self._url())
        self.assertEqual(response.status_code, 200)
        page = response.text
        for text in (
            "Hello Ana, this is your request",
            "Plan Hogar 300",
            "21,000.00",
            "Córdoba 1234, Rosario",
            "The address is within the coverage of our network.",
            "Request received",
            "Installation scheduled",
            "Installed",
            "Before the visit",
            'href="tel:+54 341 400-1000"',
            "https://wa.me/5493414001000",
        ):
            self.assertIn(text, page)
        self.assertNotIn("Bruno", page)
        # private: never indexed, cached or leaked by a referrer
        self.assertIn('<meta name="robots" content="noindex, nofollow"', page)
        self.assertEqual(response.headers["X-Robots-Tag"], "noindex, nofollow")
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        self.assertEqual(response.headers["Referrer-Policy"], "no-referrer")
        # the free slots: buttons in a form posting to the page's URL + /slot
        values = SLOT_BUTTON.findall(page)
        self.assertTrue(values)
        earliest = fields.Datetime.now() + timedelta(hours=24)
        for value in values:
            self.assertRegex(value, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertGreaterEqual(slots.parse_start(value), earliest)
        self.assertIn(f'action="/isp/status/{self.ticket.id}/slot"', page)
        self.assertIn('name="csrf_token"', page)
        self.assertIn(
            f'name="access_token" value="{self.ticket.sudo().access_token}"', page
        )

    @mute_logger("odoo.http")
    def test_a_wrong_revoked_or_expired_token_is_a_plain_404(self):
        url = self._url()
        token = url.split("access_token=")[1]
        other_token = self._url(self.other).split("access_token=")[1]
        missing = self.url_open(f"/isp/status/999999999?access_token={token}")
        self.assertEqual(missing.status_code, 404)
        bad_urls = [
            f"/isp/status/{self.ticket.id}",
            f"/isp/status/{self.ticket.id}?access_token=",
            f"/isp/status/{self.ticket.id}?access_token={token[:-1]}x",
            f"/isp/status/{self.ticket.id}?access_token={other_token}",
            f"/isp/status/{self.ticket.id}?access_token=ñ{token}",
            f"/isp/status/{self.other.id}?access_token={token}",
        ]
        for bad in bad_urls:
            with self.subTest(url=bad):
                response = self.url_open(bad)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Ana", response.text)
                self.assertNotIn("Bruno", response.text)
                self.assertNotIn("Córdoba", response.text)
        # revoked: the link sent so far stops working, a new one works
        self.ticket.with_user(self.seller).action_isp_status_revoke()
        self.assertEqual(self.url_open(url).status_code, 404)
        self.assertEqual(self.url_open(self._url()).status_code, 200)
        self.assertIn("revoked", self.ticket.message_ids[0].body)
        # expired: 30 days after the ticket was closed
        url = self._url()
        self.ticket.order_ids.with_user(self.seller).action_done()
        self.assertEqual(self.url_open(url).status_code, 200)
        self.env.cr.execute(
            "UPDATE isp_sales_ticket SET date_won = now() - interval '31 days'"
            " WHERE id = %s",
            [self.ticket.id],
        )
        self.ticket.invalidate_recordset(["date_won"])
        self.assertEqual(self.url_open(url).status_code, 404)

    @mute_logger("odoo.http")
    def test_the_page_is_rate_limited(self):
        self.env["ir.config_parameter"].set_param("isp_sales_desk.status_page_limit", 3)
        url = self._url()
        statuses = [self.url_open(url).status_code for _i in range(3)]
        # a guess of a token counts as much as a view
        statuses.append(self.url_open(url + "x").status_code)
        statuses.append(self.url_open(url).status_code)
        self.assertEqual(statuses, [200, 200, 200, 429, 429])

    def _choose(self, value, url=None, csrf=True, **extra):
        url = url or self._url()
        page = self.url_open(url).text
        token = url.split("access_token=")[1]
        data = {"access_token": token, "slot": value, **extra}
        if csrf:
            data["csrf_token"] = re.search(
                r'name="csrf_token" value="([^"]+)"', page
            ).group(1)
        return self.url_open(f"/isp/status/{self.ticket.id}/slot", data=data)

    def test_the_customer_chooses_the_installation_slot(self):
        page = self.url_open(self._url()).text
        first, second = SLOT_BUTTON.findall(page)[:2]
        response = self._choose(first)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Done: your installation is scheduled", response.text)
        order = self.ticket.order_ids
        planning = order.fsm_order_id
        self.assertEqual(planning.scheduled_date_start, slots.parse_start(first))
        self.assertEqual(order.scheduled_date, slots.parse_start(first))
        self.assertEqual(order.state, "scheduled")
        self.assertTrue(
            self.ticket.message_ids.filtered(
                lambda message: "chose the installation slot" in message.body
            )
        )
        # the customer is told by e-mail, with the page's link
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.ticket.lead_id.partner_id.ids)],
            order="id desc",
            limit=1,
        )
        self.assertIn("your visit is scheduled", mail.subject)
        self.assertIn(f"/isp/status/{self.ticket.id}?access_token=", mail.body_html)
        # the page shows it, and the customer can still move it
        response = self._choose(second)
        self.assertEqual(order.scheduled_date, slots.parse_start(second))
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.ticket.lead_id.partner_id.ids)],
            order="id desc",
            limit=1,
        )
        self.assertIn("your visit has a new date", mail.subject)

    @mute_logger("odoo.http")
    def test_bad_choices_are_refused_and_nothing_changes(self):
        page = self.url_open(self._url()).text
        first = SLOT_BUTTON.findall(page)[0]
        past = slots.format_start(fields.Datetime.now() - timedelta(days=1))
        soon = slots.format_start(fields.Datetime.now() + timedelta(hours=1))
        for value, status, message in (
            (past, 422, "already passed"),
            (soon, 422, "less than 24 hours away cannot be chosen"),
            ("2099-01-01T12:00:00Z", 422, "not one of those offered"),
            ("<script>alert(1)</script>", 422, "Choose one of the times offered"),
        ):
            with self.subTest(value=value):
                response = self._choose(value)
                self.assertEqual(response.status_code, status)
                self.assertIn(message, response.text)
                self.assertNotIn("<script>alert(1)</script>", response.text)
        # without Odoo's CSRF token, or with another ticket's token
        self.assertEqual(self._choose(first, csrf=False).status_code, 400)
        other = self._url(self.other)
        response = self._choose(first, access_token=other.split("access_token=")[1])
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.ticket.order_ids.scheduled_date)
        self.assertFalse(self.other.order_ids.scheduled_date)

    def test_spanish_for_a_spanish_speaking_customer(self):
        self.env["res.lang"]._activate_lang("es_AR")
        self.env["ir.module.module"].search(
            [("name", "=", "isp_sales_desk")]
        )._update_translations(["es_AR"], overwrite=True)
        partner = self.ticket.lead_id.sudo()._isp_get_or_create_partner()
        partner.lang = "es_AR"
        page = self.url_open(self._url()).text
        self.assertIn("Hola Ana, esta es tu solicitud", page)
        self.assertIn("Solicitud recibida", page)
        self.assertIn("Antes de la visita", page)
        self.assertIn('lang="es-AR"', page)
        # the slots' days in Spanish too
        self.assertRegex(
            page, r"(Lunes|Martes|Miércoles|Jueves|Viernes|Sábado|Domingo), \d+ de "
        )


@tagged("post_install", "-at_install")
class TestStatusLinkSending(IspSalesDeskCase):
    """The seller sends the link: an e-mail from a template, or WhatsApp's
    click-to-chat; each send is logged in the chatter."""

    def setUp(self):
        super().setUp()
        self.ticket = self._create_ticket().with_user(self.seller)

    def test_by_email_with_the_template(self):
        action = self.ticket.action_isp_status_send()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.seller)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn("follow your installation", composer.subject)
        self.assertIn(self.ticket.get_portal_url(), composer.body)
        composer._action_send_mail()
        message = self.ticket.message_ids[0]
        self.assertEqual(message.partner_ids, self.ticket.lead_id.partner_id)
        self.assertIn("access_token=", message.body)

    def test_by_whatsapp_click_to_chat(self):
        action = self.ticket.action_isp_status_whatsapp()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(action["url"].startswith("https://wa.me/5493415551234?text="))
        self.assertIn("access_token%3D", action["url"])
        self.assertIn("sent by WhatsApp", self.ticket.message_ids[0].body)
        self.ticket.lead_id.sudo().write({"phone": False, "mobile": False})
        with self.assertRefused(UserError, "no phone number WhatsApp can reach"):
            self.ticket.action_isp_status_whatsapp()

    def test_only_the_desk_reads_the_link(self):
        order = self.ticket.sudo().action_create_order("installation")
        order.technician_id = self.technician
        technician_ticket = self.ticket.with_user(self.technician)
        technician_ticket.check_access("read")
        for call in (
            technician_ticket.get_portal_url,
            lambda: technician_ticket.read(["access_token"]),
            technician_ticket.action_isp_status_revoke,
        ):
            with self.assertRefused(AccessError, "."):
                call()
