from datetime import timedelta

from markupsafe import Markup

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import IspSalesDeskCase

# what the web client asks for the board's progress bar (views: sum_field)
BOARD_AGGREGATES = [
    "amount_total:sum",
    "currency_id:array_agg_distinct",
    "amount_total:sum_currency",
]
BOARD_BAR_COLORS = {"planned": "success", "today": "warning", "overdue": "danger"}


@tagged("post_install", "-at_install")
class TestTicketFlow(IspSalesDeskCase):
    def test_prospect_amounts_come_from_the_pricing_rules(self):
        ticket = self._create_ticket(
            lines=[self.plan, self.tv, self.public_ip, self.discount_new]
        )
        prospect = ticket.prospect_id
        self.assertEqual(prospect.amount_plan, 100.0)
        self.assertEqual(prospect.amount_tv, 30.0)
        self.assertEqual(prospect.amount_items, 20.0)
        self.assertEqual(prospect.amount_subtotal, 150.0)
        self.assertEqual(prospect.amount_discount, 15.0)
        self.assertEqual(prospect.amount_total, 135.0)
        self.assertEqual(ticket.amount_total, 135.0)
        self.assertEqual(ticket.plan_product_id, self.plan)
        self.assertEqual(
            prospect.line_ids.mapped("price_subtotal"), [100.0, 30.0, 20.0, -15.0]
        )
        # changing a price re-prices every line and the ticket
        prospect.line_ids.filtered(
            lambda line: line.product_id == self.plan
        ).price_unit = 200.0
        self.assertEqual(prospect.amount_total, 225.0)
        self.assertEqual(ticket.amount_total, 225.0)

    def test_removing_the_plan_removes_its_discounts(self):
        ticket = self._create_ticket(
            lines=[self.plan, self.public_ip, self.discount_new]
        )
        prospect = ticket.prospect_id
        prospect.line_ids.filtered(lambda line: line.product_id == self.plan).unlink()
        self.assertEqual(prospect.line_ids.product_id, self.public_ip)
        self.assertEqual(prospect.amount_total, 20.0)

    def test_ticket_takes_name_lead_and_origin(self):
        ticket = self._create_ticket()
        self.assertTrue(ticket.name.startswith("MV/"))
        self.assertEqual(ticket.state, "pending")
        self.assertEqual(ticket.lead_id, ticket.prospect_id.lead_id)
        self.assertEqual(ticket.source_id, self.source_facebook)
        self.assertEqual(ticket.prospect_name, "Ana Pérez - Córdoba 1234, Rosario")
        self.assertEqual(ticket.order_count, 0)
        self.assertTrue(ticket.date_state_changed)

    def test_installation_flow_wins_the_ticket(self):
        ticket = self._create_ticket()
        self.flush_tracking()  # as if each step were its own request
        order = ticket.action_create_order("installation")
        self.flush_tracking()
        self.assertEqual(order.order_type, "installation")
        self.assertTrue(order.name.startswith("OMV/"))
        self.assertEqual(ticket.state, "in_progress")
        self.assertEqual(ticket.order_count, 1)
        order.write(
            {
                "scheduled_date": "2030-01-15 13:00:00",
                "technician_id": self.technician.id,
            }
        )
        self.assertEqual(order.state, "scheduled")
        self.assertEqual(str(ticket.scheduled_date), "2030-01-15 13:00:00")
        order.action_start()
        self.assertEqual(order.state, "in_progress")
        self.flush_tracking()
        order.action_done()
        self.assertEqual(order.state, "done")
        self.assertEqual(ticket.state, "won")
        self.assertTrue(ticket.date_won)
        self.assertFalse(ticket.scheduled_date, "no open order left to schedule")
        partner = ticket.lead_id.partner_id
        self.assertEqual(partner.name, "Ana Pérez")
        self.assertEqual(partner.email, "ana@example.com")
        self.assertTrue(partner.isp_customer_date)
        # the chatter tells the story
        self.flush_tracking()
        bodies = ticket.message_ids.mapped("body")
        self.assertTrue(any("completed" in body for body in bodies))
        tracked = ticket.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "state"
        )
        self.assertEqual(
            sorted(tracked.mapped("new_value_char")), ["Order in progress", "Won"]
        )

    def test_winning_closes_the_other_open_orders(self):
        """A won ticket has no work left: its open feasibility order (and its
        planning) is cancelled, as marking the ticket lost does; once, it was
        left stranded, neither completable nor reschedulable."""
        ticket = self._create_ticket()
        feasibility = ticket.action_create_order("feasibility")
        installation = ticket.action_create_order("installation")
        installation.action_done()
        self.assertEqual(ticket.state, "won")
        self.assertEqual(feasibility.state, "cancelled")
        self.assertEqual(
            feasibility.fsm_order_id.stage_id,
            self.env.ref("fieldservice.fsm_stage_cancelled"),
        )
        self.assertEqual(installation.state, "done")
        self.assertIn(
            feasibility.name,
            " ".join(ticket.message_ids.mapped("body")),
            "the cancellation is said in the ticket's chatter",
        )

    def test_feasibility_done_leaves_ticket_pending_and_cancelled_orders_too(self):
        ticket = self._create_ticket()
        feasibility = ticket.action_create_order("feasibility")
        self.assertEqual(ticket.state, "in_progress")
        feasibility.feasibility_result = "feasible"
        feasibility.action_done()
        self.assertEqual(
            ticket.state, "pending", "a feasible site still needs its installation"
        )
        installation = ticket.action_create_order("installation")
        self.assertEqual(ticket.state, "in_progress")
        installation.action_cancel()
        self.assertEqual(installation.state, "cancelled")
        self.assertEqual(ticket.state, "pending")
        self.assertEqual(ticket.order_count, 2, "cancelled orders are kept")

    def test_lost_wizard_requires_reason_cancels_orders_and_logs_feedback(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("installation")
        lost_before = self.reason_no_coverage.ticket_count
        action = ticket.action_open_lost_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create(
                {
                    "lost_reason_id": self.reason_no_coverage.id,
                    "lost_feedback": "<p>Vive fuera del radio</p>",
                }
            )
        )
        wizard.action_lost_reason_apply()
        self.assertEqual(ticket.state, "lost")
        self.assertEqual(ticket.lost_reason_id, self.reason_no_coverage)
        self.assertTrue(ticket.date_lost)
        self.assertEqual(order.state, "cancelled")
        self.assertTrue(order.exists(), "nothing is deleted")
        self.assertTrue(
            any(
                "Vive fuera del radio" in body
                for body in ticket.message_ids.mapped("body")
            )
        )
        self.reason_no_coverage.invalidate_recordset(["ticket_count"])
        self.assertEqual(self.reason_no_coverage.ticket_count, lost_before + 1)

    def test_reopen_lost_ticket(self):
        ticket = self._create_ticket()
        ticket.action_set_lost(self.reason_price.id, Markup("<p>Muy caro</p>"))
        self.assertEqual(ticket.state, "lost")
        ticket.action_reopen()
        self.assertEqual(ticket.state, "pending")
        self.assertFalse(ticket.lost_reason_id)
        self.assertFalse(ticket.date_lost)
        ticket.action_create_order("installation")
        self.assertEqual(ticket.state, "in_progress")

    def test_kanban_shows_all_four_columns(self):
        ticket = self._create_ticket()
        # the kanban view asks for the empty columns too: with one pending
        # ticket in the domain, the three others still come, empty
        groups = (
            self.env["isp.sales.ticket"]
            .with_context(read_group_expand=True)
            .web_read_group([("id", "=", ticket.id)], ["state"], ["__count"])["groups"]
        )
        self.assertEqual(
            [(g["state"], g["__count"]) for g in groups],
            [("pending", 1), ("in_progress", 0), ("won", 0), ("lost", 0)],
        )

    def test_kanban_column_sums_in_the_company_currency(self):
        """The column headers sum the estimated monthly totals, with the
        aggregates the web client asks for the progress bar's sum_field."""
        pending = self._create_ticket(lead_name="Suma 1")
        pending |= self._create_ticket(lead_name="Suma 2", lines=[self.plan, self.tv])
        won = self._create_ticket(lead_name="Suma 3")
        won.action_create_order("installation").action_done()
        tickets = pending | won
        currency = self.company.currency_id
        Rate = self.env["res.currency.rate"]
        Rate.search([("currency_id", "=", currency.id)]).unlink()

        def columns():
            groups = (
                self.env["isp.sales.ticket"]
                .with_context(read_group_expand=True)
                .web_read_group(
                    [("id", "in", tickets.ids)], ["state"], BOARD_AGGREGATES
                )["groups"]
            )
            return {
                group["state"]: tuple(group[spec] for spec in BOARD_AGGREGATES)
                for group in groups
                if group["__count"]
            }

        self.assertEqual(
            columns(),
            {
                "pending": (230.0, [currency.id], 230.0),
                "won": (100.0, [currency.id], 100.0),
            },
        )
        # a rate for the company's currency: the sum in the company's currency
        # is Odoo's conversion, each amount divided by the rate
        Rate.create({"currency_id": currency.id, "name": "2020-01-01", "rate": 2.0})
        self.assertEqual(columns()["pending"], (230.0, [currency.id], 115.0))

    def test_kanban_progress_bar_counts_the_tickets_with_an_activity(self):
        today = fields.Date.context_today(self.env["isp.sales.ticket"])
        late, planned, idle = (
            self._create_ticket(lead_name=f"Barra {index}", user_id=self.seller.id)
            for index in range(3)
        )
        lost = self._create_ticket(lead_name="Barra perdida", user_id=self.seller.id)
        lost.action_set_lost(self.reason_price.id)
        for ticket, days in ((late, -3), (planned, 5), (lost, 0)):
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today + timedelta(days=days),
                user_id=self.seller.id,
            )
        result = self.env["isp.sales.ticket"].read_progress_bar(
            [("id", "in", (late | planned | idle | lost).ids)],
            "state",
            {"field": "activity_state", "colors": BOARD_BAR_COLORS},
        )
        self.assertEqual(
            result,
            {
                "pending": {"planned": 1, "today": 0, "overdue": 1},
                "lost": {"planned": 0, "today": 1, "overdue": 0},
            },
        )

    def test_lead_smart_buttons_and_counts(self):
        ticket = self._create_ticket()
        lead = ticket.lead_id
        self.assertEqual(lead.ticket_count, 1)
        self.assertEqual(lead.prospect_count, 1)
        self.assertEqual(
            lead.action_view_tickets()["domain"], [("lead_id", "=", lead.id)]
        )
        self.assertEqual(
            ticket.action_view_orders()["domain"], [("ticket_id", "=", ticket.id)]
        )
        second = self.env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "street": "San Martín",
                "line_ids": [Command.create({"product_id": self.plan_big.id})],
            }
        )
        lead.invalidate_recordset(["prospect_count"])
        self.assertEqual(lead.prospect_count, 2, "a lead can have several prospects")
        self.assertEqual(second.amount_total, 150.0)

    def test_order_state_machine(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("installation")
        order.action_done()
        with self.assertRaises(UserError):
            order.action_cancel()
        with self.assertRaises(UserError):
            order.action_done()

    def test_name_search_by_reference_lead_or_address(self):
        ticket = self._create_ticket(lead_name="Rocío Ibáñez")
        other = self._create_ticket(lead_name="Pedro Gómez")
        Ticket = self.env["isp.sales.ticket"]
        for term in ("rocío ibá", ticket.name, ticket.name[-5:], "Córdoba 1234"):
            found = Ticket.name_search(term, limit=20)
            self.assertIn(ticket.id, [row[0] for row in found], term)
        self.assertNotIn(other.id, [row[0] for row in Ticket.name_search("Rocío")])
        self.assertIn(other, Ticket.search([("display_name", "not ilike", "Rocío")]))

    def _age(self, ticket, days):
        """Pretend the ticket's status last changed ``days`` ago."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE isp_sales_ticket SET date_state_changed = now() at time zone 'UTC'"
            " - make_interval(days => %s) WHERE id = %s",
            [days, ticket.id],
        )
        ticket.invalidate_recordset(["date_state_changed", "is_stale"])

    def test_stale_tickets_are_flagged_and_followed_up_once(self):
        Ticket = self.env["isp.sales.ticket"]
        stale = self._create_ticket(lead_name="Olvidado", user_id=self.seller.id)
        fresh = self._create_ticket(lead_name="Reciente", user_id=self.seller.id)
        busy = self._create_ticket(lead_name="Con orden", user_id=self.seller.id)
        busy.action_create_order("installation")
        nobody = self._create_ticket(lead_name="Sin asignar", user_id=False)
        for ticket in (stale, busy, nobody):
            self._age(ticket, 10)
        self.assertTrue(stale.is_stale)
        self.assertFalse(fresh.is_stale)
        self.assertFalse(busy.is_stale, "an order is in progress: not stale")
        mine = Ticket.search(
            [("is_stale", "=", True), ("id", "in", (stale | fresh | busy | nobody).ids)]
        )
        self.assertEqual(mine, stale | nobody)
        not_stale = Ticket.search(
            [("is_stale", "=", False), ("id", "in", (stale | fresh | busy).ids)]
        )
        self.assertEqual(not_stale, fresh | busy)

        Ticket._isp_flag_stale()
        activity_type = self.env.ref("isp_sales_desk.mail_activity_type_stale_ticket")
        follow_up = stale.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.user_id, self.seller)
        self.assertFalse(nobody.activity_ids, "no employee to follow it up")
        Ticket._isp_flag_stale()
        self.assertEqual(len(stale.activity_ids), 1, "one follow-up, not one a day")

        # the limit comes from Settings
        self.env["res.config.settings"].create({"isp_stale_days": 30}).execute()
        stale.invalidate_recordset(["is_stale"])
        self.assertFalse(stale.is_stale)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"isp_stale_days": 0})

    def test_reports_list_the_statuses_in_the_boards_order(self):
        won = self._create_ticket(lead_name="Ganado")
        won.action_create_order("installation").action_done()
        lost = self._create_ticket(lead_name="Perdido")
        lost.action_set_lost(self.reason_price.id)
        self._create_ticket(lead_name="Pendiente")
        domain = [
            (
                "id",
                "in",
                (won | lost).ids
                + self.env["isp.sales.ticket"]
                .search([("prospect_name", "=like", "Pendiente%")])
                .ids,
            )
        ]
        groups = self.env["isp.sales.ticket"].formatted_read_group(
            domain, ["state"], ["__count"]
        )
        self.assertEqual([g["state"] for g in groups], ["pending", "won", "lost"])
