import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

ROSARIO = (-32.9468, -60.6393)


@tagged("post_install", "-at_install")
class TestIntakeJson2(HttpCase):
    """An ISP website calls the intake over JSON-2 with an API key per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ar")
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
                "name": "Plan 50 Mb",
                "type": "service",
                "service_kind": "plan",
                "default_code": "WEB50",
                "list_price": 70,
            }
        )
        cls.bot = new_test_user(
            cls.env,
            login="json2_bot",
            groups="base.group_user,isp_sales_desk.group_isp_sales_intake",
        )
        cls.seller = new_test_user(
            cls.env, login="json2_seller", groups="isp_sales_desk.group_isp_sales_user"
        )
        cls.technician = new_test_user(
            cls.env,
            login="json2_technician",
            groups="isp_sales_desk.group_isp_sales_technician",
        )
        cls.env.company.isp_intake_user_ids = cls.seller
        cls.keys = {
            user: user.with_user(user)
            .env["res.users.apikeys"]
            ._generate(
                scope="rpc",
                name="intake test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
            for user in (cls.bot, cls.seller, cls.technician)
        }

    @mute_logger("odoo.http")
    def call(self, model, method, user=None, **params):
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(params),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"bearer {self.keys[user or self.bot]}",
            },
        )
        return response.status_code, response.json()

    def intake(self, user=None, **params):
        return self.call(
            "isp.sales.lead", "intake", user, **dict({"name": "Ana Web"}, **params)
        )

    def counts(self):
        return tuple(
            self.env[model].with_context(active_test=False).search_count([])
            for model in ("isp.sales.lead", "isp.sales.prospect", "isp.sales.ticket")
        )

    def test_bot_creates_and_a_seller_sees_it(self):
        status, result = self.intake(
            phone="+54 9 341 555 7001",
            email="ana.web@example.com",
            street="Oroño",
            street_number="500",
            city="Rosario",
            latitude=ROSARIO[0],
            longitude=ROSARIO[1],
            plan_code="WEB50",
            source="Sitio web",
            medium="cpc",
            campaign="verano",
        )
        self.assertEqual(status, 200, result)
        self.assertTrue(result["created"])
        self.assertFalse(result["duplicate"])
        self.assertEqual(result["coverage"], "covered")
        status, tickets = self.call(
            "isp.sales.ticket",
            "read",
            self.seller,
            ids=[result["ticket_id"]],
            fields=["name", "state", "user_id", "source_id", "plan_product_id"],
        )
        self.assertEqual(status, 200, tickets)
        ticket = tickets[0]
        self.assertEqual(ticket["name"], result["ticket_name"])
        self.assertEqual(ticket["state"], "pending")
        self.assertEqual(ticket["user_id"][0], self.seller.id)
        self.assertEqual(ticket["plan_product_id"][0], self.plan.id)
        status, leads = self.call(
            "isp.sales.lead",
            "read",
            self.seller,
            ids=[result["lead_id"]],
            fields=["source_id", "medium_id", "campaign_id"],
        )
        self.assertEqual(leads[0]["source_id"][1], "Sitio web")
        self.assertEqual(leads[0]["medium_id"][1], "cpc")
        self.assertEqual(leads[0]["campaign_id"][1], "verano")

    def test_bot_cannot_read_the_desk(self):
        status, result = self.intake(phone="341 555 7002")
        self.assertEqual(status, 200, result)
        for model, record_id in (
            ("isp.sales.lead", result["lead_id"]),
            ("isp.sales.ticket", result["ticket_id"]),
            ("isp.sales.prospect", result["prospect_id"]),
        ):
            with self.subTest(model=model):
                status, body = self.call(
                    model, "read", ids=[record_id], fields=["name"]
                )
                self.assertEqual(status, 403, body)
                status, body = self.call(model, "search_read", domain=[])
                self.assertEqual(status, 403, body)
        status, body = self.call(
            "isp.sales.ticket",
            "action_set_lost",
            ids=[result["ticket_id"]],
            lost_reason_id=self.env.ref("isp_sales_desk.loss_reason_price").id,
        )
        self.assertEqual(status, 403, body)
        ticket = self.env["isp.sales.ticket"].browse(result["ticket_id"])
        self.assertEqual(ticket.state, "pending")

    def test_technician_cannot_send(self):
        status, body = self.intake(user=self.technician)
        self.assertEqual(status, 403, body)

    def test_bad_input_is_422_and_creates_nothing(self):
        before = self.counts()
        cases = [
            {"latitude": 123.0, "longitude": -60.6},
            {"latitude": -32.9, "longitude": -300},
            {"latitude": "abc", "longitude": -60.6},
            {"latitude": -32.9, "longitude": [1, 2]},
            {"plan_code": "NO-SUCH-PLAN"},
            {"name": "x" * 129},
            {"note": "x" * 2001},
            {"name": ""},
            {"email": {"a": 1}},
            {"colour": "red"},
        ]
        for params in cases:
            with self.subTest(params=str(params)[:50]):
                status, body = self.intake(**dict({"phone": "341 555 7003"}, **params))
                self.assertEqual(status, 422, body)
                self.assertTrue(body["message"])
        self.assertEqual(self.counts(), before)

    def test_retry_with_external_ref(self):
        params = {"phone": "341 555 7004", "external_ref": "form-42"}
        status, first = self.intake(**params)
        self.assertEqual(status, 200, first)
        before = self.counts()
        status, again = self.intake(**params)
        self.assertEqual(status, 200, again)
        self.assertFalse(again["created"])
        self.assertEqual(dict(first, created=False), again)
        self.assertEqual(self.counts(), before)

    def test_duplicate_phone_in_another_format(self):
        status, first = self.intake(phone="+54 9 341 555-7005")
        self.assertEqual(status, 200, first)
        status, second = self.intake(name="Ana W.", phone="0341 15 555 7005")
        self.assertEqual(status, 200, second)
        self.assertTrue(second["duplicate"])
        self.assertEqual(first["lead_id"], second["lead_id"])
        self.assertNotEqual(first["ticket_id"], second["ticket_id"])

    def test_markup_in_the_name_reaches_the_desk_as_text(self):
        status, result = self.intake(name="<script>alert('x')</script>")
        self.assertEqual(status, 200, result)
        lead = self.env["isp.sales.lead"].browse(result["lead_id"])
        self.assertEqual(lead.name, "<script>alert('x')</script>")
