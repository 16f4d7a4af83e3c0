import json
from pathlib import Path

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .reports_common import ReportsCase

FILES = Path(__file__).resolve().parent.parent / "data" / "files"


@tagged("post_install", "-at_install")
class TestDashboard(ReportsCase):
    def test_managers_only(self):
        dashboard = self.env.ref("isp_sales_desk.spreadsheet_dashboard_isp_sales_desk")
        self.assertEqual(
            dashboard.group_ids, self.env.ref("isp_sales_desk.group_isp_sales_manager")
        )
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(dashboard, Dashboard.with_user(self.manager).search([]))
        self.assertNotIn(dashboard, Dashboard.with_user(self.seller).search([]))

    def test_every_pivot_and_chart_reads(self):
        """The dashboard's data calls, as the spreadsheet makes them, work
        for a manager (fields, measures and domains exist)."""
        self._win(self._create_ticket(user_id=self.seller.id))
        self._lose(self._create_ticket(lead_name="Perdido"), self.reason_no_coverage)
        spreadsheet = json.loads((FILES / "isp_sales_dashboard.json").read_text())
        calls = [
            (
                p["model"],
                p["domain"],
                [r["fieldName"] for r in p["rows"]],
                [m["fieldName"] for m in p["measures"]],
            )
            for p in spreadsheet["pivots"].values()
        ]
        for figure in spreadsheet["sheets"][0]["figures"]:
            meta = figure["data"].get("metaData")
            if meta:
                calls.append(
                    (
                        meta["resModel"],
                        figure["data"]["searchParams"]["domain"],
                        meta["groupBy"],
                        [meta["measure"]],
                    )
                )
        self.assertGreaterEqual(len(calls), 11)
        for model, domain, groupby, measures in calls:
            Model = self.env[model].with_user(self.manager)
            specs = [
                m if m == "__count" else f"{m}:{Model._fields[m].aggregator}"
                for m in measures
            ]
            groups = Model.formatted_read_group(domain, groupby, specs)
            self.assertTrue(groups, (model, groupby, measures))
        rate = self.env["isp.sales.ticket.report"].with_user(self.manager)
        [[win_rate]] = rate._read_group(
            [("ticket_id.lead_id.name", "in", ["Ana Pérez", "Perdido"])],
            [],
            ["win_rate:avg"],
        )
        self.assertEqual(win_rate, 50.0)
        [[count, amount]] = rate._read_group(
            [("is_no_coverage_loss", "=", True), ("state", "=", "lost")],
            [],
            ["__count", "amount_total:sum"],
        )
        self.assertEqual((count, amount), (1, 100.0))

    def test_sample_dashboard_is_valid_json(self):
        sample = json.loads((FILES / "isp_sales_sample_dashboard.json").read_text())
        self.assertFalse(sample["pivots"])
        self.assertTrue(sample["sheets"][0]["figures"])


@tagged("post_install", "-at_install")
class TestOneDefinition(ReportsCase):
    """The dashboard and the monthly report count a period's won, lost, win
    rate and days to win the same way: the tickets won or lost in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        spreadsheet = json.loads((FILES / "isp_sales_dashboard.json").read_text())
        cls.pivots = {p["name"]: p for p in spreadsheet["pivots"].values()}
        cls.spreadsheet = spreadsheet
        # (opened, closed, outcome); November: A and B won, C lost
        story = {
            "A": ("2026-10-20 10:00:00", "2026-11-05 10:00:00", "won"),
            "B": ("2026-11-02 10:00:00", "2026-11-20 10:00:00", "won"),
            "C": ("2026-11-03 10:00:00", "2026-11-10 10:00:00", "lost"),
            "D": ("2026-11-04 10:00:00", None, "open"),
            "E": ("2026-11-06 10:00:00", "2026-12-02 10:00:00", "lost"),
            "F": ("2026-10-01 10:00:00", "2026-10-10 10:00:00", "lost"),
            "G": ("2026-11-07 10:00:00", "2026-11-12 10:00:00", "reopened"),
        }
        for name, (opened, closed, outcome) in story.items():
            with cls.moment(opened):
                ticket = cls._create_ticket(lead_name=f"Story {name}")
                cls.env.flush_all()
            if closed:
                with cls.moment(closed):
                    if outcome == "won":
                        cls._win(ticket)
                    else:
                        cls._lose(ticket)
                        if outcome == "reopened":
                            ticket.action_reopen()
                    cls.env.flush_all()

    def _pivot(self, name, start, end):
        """The pivot of the dashboard for a period, as the spreadsheet reads
        it: its domain and its date filter on the field it matches."""
        definition = self.pivots[name]
        date_field = definition["fieldMatching"]["isp-period"]["chain"]
        domain = definition["domain"] + [
            [date_field, ">=", start],
            [date_field, "<=", end],
        ]
        Model = self.env[definition["model"]].with_user(self.manager)
        measures = [m["fieldName"] for m in definition["measures"]]
        specs = [
            m if m == "__count" else f"{m}:{Model._fields[m].aggregator}"
            for m in measures
        ]
        [row] = Model._read_group(domain, [], specs)
        return dict(zip(measures, row, strict=True))

    def test_dashboard_and_monthly_report_agree(self):
        closed = self._pivot(
            "Tickets closed - current", "2026-11-01 00:00:00", "2026-11-30 23:59:59"
        )
        opened = self._pivot(
            "Tickets opened - current", "2026-11-01 00:00:00", "2026-11-30 23:59:59"
        )
        monthly = (
            self.env["report.isp_sales_desk.report_monthly"]
            .with_user(self.manager)
            ._get_report_values([], {"year": 2026, "month": 11})
        )
        self.assertEqual((monthly["won"], monthly["lost"]), (2, 1))
        self.assertEqual((closed["won_count"], closed["lost_count"]), (2, 1))
        self.assertAlmostEqual(monthly["win_rate"], 200.0 / 3)
        self.assertAlmostEqual(closed["win_rate"], monthly["win_rate"])
        self.assertAlmostEqual(closed["days_to_win"], monthly["avg_days_to_win"])
        self.assertEqual(opened["__count"], monthly["opened"])
        self.assertEqual(monthly["opened"], 5)  # B, C, D, E, G

    def test_every_rate_counts_the_tickets_closed_in_the_period(self):
        for pivot in self.pivots.values():
            measures = {m["fieldName"] for m in pivot["measures"]}
            if measures & {"won_count", "lost_count", "win_rate", "days_to_win"}:
                chain = pivot["fieldMatching"]["isp-period"]["chain"]
                self.assertEqual(chain, "date_closed", pivot["name"])
        for figure in self.spreadsheet["sheets"][0]["figures"]:
            meta = figure["data"].get("metaData") or {}
            if meta.get("measure") == "win_rate":
                chain = figure["data"]["fieldMatching"]["isp-period"]["chain"]
                self.assertEqual(chain, "date_closed", figure["id"])

    def test_statuses_in_the_board_order(self):
        groups = self.env["isp.sales.ticket.report"].formatted_read_group(
            [("ticket_id.lead_id.name", "=like", "Story %")], ["state"], ["__count"]
        )
        self.assertEqual([g["state"] for g in groups], ["pending", "won", "lost"])

    def test_both_say_it(self):
        cells = self.spreadsheet["sheets"][0]["cells"]
        self.assertIn("whenever they were opened", cells["A1"])
        self.assertIn("won / (won + lost)", cells["A1"])
        arch = self.env.ref("isp_sales_desk.report_monthly_document").arch
        self.assertIn("whenever they were", arch)
        self.assertIn("Win rate = won / (won + lost)", arch)


@tagged("post_install", "-at_install")
class TestDashboardUi(HttpCase, ReportsCase):
    def test_manager_opens_the_dashboard(self):
        self._win(self._create_ticket(user_id=self.seller.id))
        self._lose(self._create_ticket(lead_name="Perdido"), self.reason_no_coverage)
        self.start_tour("/odoo", "isp_sales_desk_dashboard_tour", login="isp_manager")


@tagged("post_install", "-at_install")
class TestReportsMultiCompany(ReportsCase):
    def test_reports_stay_in_their_company(self):
        north = self.env["res.company"].create({"name": "ISP Norte"})
        manager_north = new_test_user(
            self.env,
            login="isp_manager_north",
            groups="isp_sales_desk.group_isp_sales_manager",
            company_id=north.id,
            company_ids=[Command.set(north.ids)],
        )
        north_ticket = self._create_ticket(
            env=self.env(user=manager_north), lead_name="Cliente Norte"
        )
        self._lose(north_ticket)
        here = self._create_ticket(lead_name="Cliente Sur")
        self._win(here)
        self.env.flush_all()
        for model, field in (
            ("isp.sales.ticket.report", "ticket_id"),
            ("isp.sales.funnel.report", "ticket_id"),
            ("isp.sales.ticket.state.log", "ticket_id"),
        ):
            seen_north = self.env[model].with_user(manager_north).search([])
            seen_here = self.env[model].with_user(self.manager).search([])
            self.assertEqual(seen_north.mapped(field), north_ticket, model)
            self.assertNotIn(north_ticket, seen_here.mapped(field), model)
        [[rate]] = (
            self.env["isp.sales.ticket.report"]
            .with_user(manager_north)
            ._read_group([], [], ["win_rate:avg"])
        )
        self.assertEqual(rate, 0.0)
