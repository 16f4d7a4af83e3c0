import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .reports_common import ReportsCase


@tagged("post_install", "-at_install")
class TestReportsJson2(HttpCase, ReportsCase):
    """An outside client reads the win rate and asks for quotes over Odoo 19's
    JSON-2 API; refusals are 4xx, never 500."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.won = cls._create_ticket(lead_name="Ganado", user_id=cls.seller.id)
        cls._win(cls.won)
        cls._lose(cls._create_ticket(lead_name="Perdido 1", user_id=cls.seller.id))
        cls._lose(cls._create_ticket(lead_name="Perdido 2", user_id=cls.seller.id))
        cls.no_plan = cls._create_ticket(lead_name="Sin plan", lines=[cls.public_ip])

    def _key(self, user):
        return (
            user.with_user(user)
            .env["res.users.apikeys"]
            ._generate(
                scope="rpc",
                name="test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
        )

    @mute_logger("odoo.http")
    def call(self, user, model, method, **params):
        return self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(params),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self._key(user)}",
            },
        )

    def test_win_rate_over_json2(self):
        response = self.call(
            self.manager,
            "isp.sales.ticket.report",
            "formatted_read_group",
            domain=[["user_id", "=", self.seller.id]],
            groupby=["user_id"],
            aggregates=["win_rate:avg", "won_count:sum", "lost_count:sum"],
        )
        self.assertEqual(response.status_code, 200, response.text)
        [group] = response.json()
        self.assertAlmostEqual(group["win_rate:avg"], 100.0 / 3)
        self.assertEqual((group["won_count:sum"], group["lost_count:sum"]), (1, 2))

    def test_refusals_are_4xx(self):
        response = self.call(
            self.seller,
            "isp.sales.ticket.report",
            "formatted_read_group",
            domain=[],
            groupby=[],
            aggregates=["win_rate:avg"],
        )
        self.assertEqual(response.status_code, 403, response.text)
        response = self.call(
            self.seller, "isp.sales.ticket", "action_quote_send", ids=self.no_plan.ids
        )
        self.assertEqual(response.status_code, 422, response.text)
        self.assertIn("has no internet plan", response.json()["message"])
        response = self.call(
            self.technician, "isp.sales.ticket", "action_print_quote", ids=self.won.ids
        )
        self.assertEqual(response.status_code, 403, response.text)
