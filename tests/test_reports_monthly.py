import json
import re
from urllib.parse import quote, unquote

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .reports_common import ReportsPdfCase, load_spanish, pdf_text

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

    def test_month_of_the_reader_time_zone(self):
        """Printed for November in Argentina (UTC-3), the report says
        November, not October, and counts November's own days: a ticket won
        on the evening of November 30th is November's."""
        self.manager.tz = "America/Argentina/Buenos_Aires"
        ticket = self._ticket("Noche", "2026-11-20 12:00:00")
        with self.moment("2026-12-01 01:00:00"):  # 30/11 22:00 in Rosario
            self._win(ticket)
            self.env.flush_all()
        Report = self.env["report.isp_sales_desk.report_monthly"].with_user(
            self.manager
        )
        for month, won in ((11, 1), (12, 0)):
            values = Report._get_report_values([], {"year": 2026, "month": month})
            self.assertEqual(values["won"], won, month)
        self.assertEqual(
            Report._get_report_values([], {"year": 2026, "month": 11})["month_label"],
            "November 2026",
        )
        text = self._print(2026, 11)
        self.assertIn("Sales Desk Monthly Report: November 2026", text)
        self.assertIn("Tickets won 1", text)
        load_spanish(self.env)
        values = Report.with_context(lang="es_AR")._get_report_values(
            [], {"year": 2026, "month": 11}
        )
        self.assertEqual(values["month_label"], "noviembre de 2026")

    def test_wizard_prints_the_last_complete_month_and_names_the_file(self):
        Wizard = self.env["isp.sales.monthly.report.wizard"].with_user(self.manager)
        for today, month, year in (
            ("2026-12-01 12:00:00", "11", 2026),
            ("2027-01-15 12:00:00", "12", 2026),
        ):
            with self.moment(today):
                wizard = Wizard.create({})
            self.assertEqual((wizard.month, wizard.year), (month, year), today)
        action = wizard.action_print()
        # the dialog closes after the download; the PDF is the wizard's
        self.assertTrue(action["close_on_report_download"])
        self.assertFalse(action["data"])
        self.assertEqual(action["context"]["active_ids"], wizard.ids)
        report = self.env.ref(MONTHLY)
        self.assertEqual(
            safe_eval(report.print_report_name, {"object": wizard}),
            "Sales Desk Monthly Report - December 2026",
        )
        # as the browser downloads it
        self.authenticate("isp_manager", "isp_manager")
        url = f"/report/pdf/isp_sales_desk.report_monthly/{wizard.id}"
        response = self.url_open(
            "/report/download?data="
            + quote(json.dumps([url, "qweb-pdf"]))
            + "&context="
            + quote(json.dumps({"lang": "en_US", "force_report_rendering": True}))
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "Sales Desk Monthly Report - December 2026.pdf",
            unquote(response.headers["Content-Disposition"]),
        )
        self.assertIn("December 2026", pdf_text(response.content))

    def test_no_heading_alone_at_the_foot_of_a_page(self):
        """Whatever the length of the tables before it, a section's heading
        starts a page's last lines with what it heads, never alone."""
        headings = (
            "By origin",
            "By seller",
            "Loss reasons",
            "Demand lost for no coverage",
            "Stale tickets at the end of the month",
            "Referrals won",
        )
        sources = self.env["utm.source"].create(
            [{"name": f"Origen {n:02d} (test)"} for n in range(24)]
        )
        made = 0
        # lengths that left a heading alone before sections were kept whole
        for size in (4, 10, 12, 14, 18, 24):
            while made < size:
                self._ticket(f"T{made}", "2026-03-05 09:00:00", sources[made])
                made += 1
            pages = self._print(2026, 3).split("\f")
            for number, page in enumerate(pages, start=1):
                lines = [line.strip() for line in page.splitlines() if line.strip()]
                if lines:
                    self.assertNotIn(lines[-1], headings, f"{size} rows, page {number}")

    def test_print_from_the_dialog(self):
        self.start_tour(
            "/odoo", "isp_sales_desk_monthly_report_tour", login="isp_manager"
        )
