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
