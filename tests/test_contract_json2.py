import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestContractJson2(HttpCase):
    """What an outside client does over JSON-2, with an API key per role: a
    technician completes the installation, the desk reads the contract,
    billing makes the first invoice; every refusal is a 4xx."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]

        def service(name, kind, price, **values):
            return Product.create(
                dict(
                    name=name,
                    type="service",
                    service_kind=kind,
                    list_price=price,
                    **values,
                )
            )

        cls.plan = service("Plan Fibra 300", "plan", 18990.0)
        cls.tv = service("Flow Full", "tv_package", 7499.99)
        cls.discount = service(
            "Nuevo cliente", "discount", 15.0, isp_discount_type="percent"
        )
        cls.fee = service("Instalación", "one_time", 25000.0)
        users = {
            "technician": "isp_sales_desk.group_isp_sales_technician",
            "seller": "isp_sales_desk.group_isp_sales_user",
            "manager": "isp_sales_desk.group_isp_sales_manager",
            "billing": "base.group_user,account.group_account_manager",
        }
        cls.users = {
            role: new_test_user(cls.env, login=f"json2_{role}", groups=groups)
            for role, groups in users.items()
        }
        cls.keys = {
            role: user.with_user(user)
            .env["res.users.apikeys"]
            ._generate(
                scope="rpc",
                name="contract test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
            for role, user in cls.users.items()
        }
        lead = cls.env["isp.sales.lead"].create(
            {"name": "Carla Cliente", "email": "carla@example.com"}
        )
        prospect = cls.env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "latitude": -32.95,
                "longitude": -60.64,
                "line_ids": [
                    (0, 0, {"product_id": product.id})
                    for product in (cls.plan, cls.tv, cls.discount, cls.fee)
                ],
            }
        )
        cls.ticket = cls.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        cls.order = cls.ticket.action_create_order("installation")
        cls.order.technician_id = cls.users["technician"]

    @mute_logger("odoo.http")
    def call(self, role, model, method, **params):
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(params),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"bearer {self.keys[role]}",
            },
        )
        return response.status_code, response.json()

    def complete(self):
        return self.call(
            "technician", "isp.sales.order", "action_done", ids=[self.order.id]
        )

    def test_an_installation_completed_over_json2_is_billed_to_the_cent(self):
        self.assertEqual(self.complete(), (200, True))
        status, [ticket] = self.call(
            "seller",
            "isp.sales.ticket",
            "read",
            ids=[self.ticket.id],
            fields=["state", "contract_id", "amount_total", "amount_one_time"],
        )
        self.assertEqual(status, 200)
        self.assertEqual(ticket["state"], "won")
        # (18990 + 7499.99) less 15% = 22516.49
        self.assertEqual(ticket["amount_total"], 22516.49)
        self.assertEqual(ticket["amount_one_time"], 25000.0)
        contract_id, _name = ticket["contract_id"]
        status, lines = self.call(
            "seller",
            "contract.line",
            "search_read",
            domain=[("contract_id", "=", contract_id)],
            fields=["product_id", "quantity", "price_unit", "isp_service_kind"],
        )
        self.assertEqual(status, 200)
        self.assertEqual(
            [(line["product_id"][0], line["price_unit"]) for line in lines],
            [
                (self.plan.id, 18990.0),
                (self.tv.id, 7499.99),
                (self.discount.id, -3973.5),
                (self.fee.id, 25000.0),
            ],
        )
        status, invoice_ids = self.call(
            "billing",
            "contract.contract",
            "recurring_create_invoice",
            ids=[contract_id],
        )
        self.assertEqual(status, 200)
        status, [invoice] = self.call(
            "billing",
            "account.move",
            "read",
            ids=invoice_ids,
            fields=["amount_total", "partner_id", "currency_id", "move_type"],
        )
        self.assertEqual(invoice["move_type"], "out_invoice")
        # the estimate plus the fee, to the cent
        self.assertEqual(invoice["amount_total"], 47516.49)
        self.assertEqual(invoice["partner_id"][0], self.ticket.lead_id.partner_id.id)
        # completing again: refused, and still one contract
        status, error = self.complete()
        self.assertEqual(status, 422)
        self.assertIn("already closed", error["message"])
        self.assertEqual(
            self.env["contract.contract"].search_count(
                [("isp_ticket_id", "=", self.ticket.id)]
            ),
            1,
        )

    def test_refusals_are_4xx_never_500(self):
        status, error = self.call(
            "manager",
            "contract.contract",
            "create",
            vals_list=[
                {
                    "name": "A mano",
                    "partner_id": self.env.user.partner_id.id,
                    "isp_ticket_id": self.ticket.id,
                }
            ],
        )
        self.assertEqual(status, 422)
        self.assertIn("only a won ticket has a contract", error["message"])
        self.assertEqual(self.complete()[0], 200)
        contract = self.ticket.contract_id
        line = contract.contract_line_ids[0]
        for role, values, expected in (
            ("seller", {"price_unit": 1.0}, 403),
            ("technician", {"price_unit": 1.0}, 403),
            ("billing", {"price_unit": 1.0}, 422),
            ("billing", {"quantity": 2}, 422),
        ):
            with self.subTest(role=role, values=values):
                status, _error = self.call(
                    role, "contract.line", "write", ids=[line.id], vals=values
                )
                self.assertEqual(status, expected)
        self.assertEqual(line.price_unit, 18990.0)
        status, _error = self.call(
            "technician",
            "contract.contract",
            "read",
            ids=[contract.id],
            fields=["name"],
        )
        self.assertEqual(status, 403)
        # a second contract for the ticket: the database refuses it
        with mute_logger("odoo.sql_db"):
            status, error = self.call(
                "manager",
                "contract.contract",
                "create",
                vals_list=[
                    {
                        "name": "Otro",
                        "partner_id": self.ticket.lead_id.partner_id.id,
                        "isp_ticket_id": self.ticket.id,
                    }
                ],
            )
        self.assertEqual(status, 422)
        self.assertIn("already has its contract", error["message"])
        # the manager's agreed change goes through
        status, _result = self.call(
            "manager",
            "contract.line",
            "write",
            ids=[line.id],
            vals={"price_unit": 17000.0},
        )
        self.assertEqual(status, 200)

    def test_the_status_link_is_the_desks(self):
        status, url = self.call(
            "seller", "isp.sales.ticket", "get_portal_url", ids=[self.ticket.id]
        )
        self.assertEqual(status, 200)
        self.assertRegex(url, rf"^/isp/status/{self.ticket.id}\?access_token=[\w-]+$")
        self.assertEqual(self.url_open(url).status_code, 200)
        for method in ("get_portal_url", "action_isp_status_revoke"):
            with self.subTest(method=method):
                status, _error = self.call(
                    "technician", "isp.sales.ticket", method, ids=[self.ticket.id]
                )
                self.assertEqual(status, 403)
        status, _error = self.call(
            "technician",
            "isp.sales.ticket",
            "read",
            ids=[self.ticket.id],
            fields=["access_token"],
        )
        self.assertEqual(status, 403)
        self.assertEqual(
            self.call(
                "seller",
                "isp.sales.ticket",
                "action_isp_status_revoke",
                ids=[self.ticket.id],
            ),
            (200, True),
        )
        self.assertEqual(self.url_open(url).status_code, 404)
