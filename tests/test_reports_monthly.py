import re

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .reports_common import ReportsPdfCase, pdf_text

MONTHLY = "isp_sales_desk.isp_sales_monthly_report"


@tagged("post_install", "-at_install")
class TestMonthlyReport(ReportsPdfCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source_radio = cls.env["utm.source"].create({"name": "Radio (test)"})
        cls.referrer = cls.env["res.partner"].create({"name": "Rosa Referente"})

    def _ticket(self, name, created, source=None, user=None):
        with self.moment(created):
            ticket = self._create_ticket(
                lead_name=name, user_id=(user or self.seller).id
            )
            if source:
                ticket.lead_id.source_id = source
            self.env.flush_all()
        return ticket

    def _march_2026(self):
        """A known month: 5 opened, 2 won, 2 lost, 1 stale from February."""
        won_fb = self._ticket("Won FB", "2026-03-02 09:00:00")
        won_fb.lead_id.referred_by_partner_id = self.referrer
        with self.moment("2026-03-07 09:00:00"):
            self._win(won_fb)
            self.env.flush_all()
        lost_fb = self._ticket("Lost FB", "2026-03-03 09:00:00")
        with self.moment("2026-03-10 09:00:00"):
            self._lose(lost_fb, self.reason_price)
            self.env.flush_all()
        lost_radio = self._ticket(
            "Lost Radio", "2026-03-04 09:00:00", self.source_radio, self.manager
        )
        with self.moment("2026-03-12 09:00:00"):
            self._lose(lost_radio, self.reason_no_coverage)
            self.env.flush_all()
        won_radio = self._ticket(
            "Won Radio", "2026-03-05 09:00:00", self.source_radio, self.manager
        )
        with self.moment("2026-03-20 09:00:00"):
            self._win(won_radio)
            self.env.flush_all()
        self._ticket("Stale Feb", "2026-02-10 09:00:00")
        self._ticket("Fresh", "2026-03-29 09:00:00")

    def _print(self, year, month, user=None):
        wizard = (
            self.env["isp.sales.monthly.report.wizard"]
            .with_user(user or self.manager)
            .create({"year": year, "month": str(month)})
        )
        action = wizard.action_print()
        pdf = self.render_pdf(
            MONTHLY, wizard.ids, data=action["data"], user=user or self.manager
        )
        return re.sub(r"[ \t]+", " ", pdf_text(pdf))

    def test_known_month(self):
        self._march_2026()
        values = (
            self.env["report.isp_sales_desk.report_monthly"]
            .with_user(self.manager)
            ._get_report_values([], {"year": 2026, "month": 3})
        )
        self.assertEqual((values["opened"], values["won"], values["lost"]), (5, 2, 2))
        self.assertEqual(values["win_rate"], 50.0)
        self.assertAlmostEqual(values["avg_days_to_win"], 10.0)
        self.assertAlmostEqual(values["median_days_to_win"], 10.0)
        self.assertEqual(
            (values["no_coverage_count"], values["no_coverage_amount"]), (1, 100.0)
        )
        self.assertEqual(values["stale_count"], 1)
        self.assertEqual(values["referrals"], [{"name": "Rosa Referente", "won": 1}])

        text = self._print(2026, 3)
        for line in (
            "Sales Desk Monthly Report: March 2026",
            "Tickets opened 5",
            "Tickets won 2",
            "Tickets lost 2",
            "Win rate 50.0 %",
            "Average days to win 10.0",
            "Facebook (test) 3 1 1 50.0 %",
            "Radio (test) 2 1 1 50.0 %",
            "Sergio Seller 3 1 1 50.0 %",
            "Marta Manager 2 1 1 50.0 %",
            "No coverage 1 50.0 %",
            "Price 1 100.0 %",
            "Tickets lost for no coverage: 1",
            "$ 100.00",
            "Tickets pending for more than 7 days: 1",
            "Stale Feb - Córdoba 1234",
            "Rosa Referente 1",
        ):
            self.assertIn(line, text)

    def test_future_and_empty_months(self):
        self.assertIn("has not started yet", self._print(2999, 1))
        self.assertIn("No ticket was opened, won or lost", self._print(2001, 1))

    def test_managers_only(self):
        with self.assertRaises(AccessError):
            self.env["isp.sales.monthly.report.wizard"].with_user(self.seller).create(
                {"year": 2026, "month": "3"}
            )
        with self.assertRaises(AccessError):
            self.env["report.isp_sales_desk.report_monthly"].with_user(
                self.seller
            )._get_report_values([], {"year": 2026, "month": 3})

    def test_referral_origin_shipped(self):
        # Odoo's own referral, not a copy of it ("Referido [2]" on the cards)
        source = self.env.ref("utm.utm_source_referral")
        self.assertTrue(source.isp_desk_origin)
        self.assertFalse(
            self.env.ref("isp_sales_desk.utm_source_referral", raise_if_not_found=False)
        )
        lead = self._create_ticket(lead_name="Referida").lead_id
        lead.write({"source_id": source.id, "referred_by_partner_id": self.referrer.id})
        report = self.env["isp.sales.ticket.report"].search([("lead_id", "=", lead.id)])
        self.assertEqual(report.referred_by_partner_id, self.referrer)
