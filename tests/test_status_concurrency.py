import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import ConcurrencyError
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from ..lib import slots
from ..models.isp_sales_status_page import SlotRefused
from .status_common import TZ


@tagged("post_install", "-at_install")
class TestSlotConcurrency(BaseCase):
    """Two customers choose the same last slot at once, on real separate
    transactions: one gets it, the other is offered the next one.

    The data is committed (the other transaction must see it) and removed at
    the end."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            calendar = env["resource.calendar"].create(
                {
                    "name": "Carrera",
                    "tz": TZ,
                    "attendance_ids": [Command.clear()]
                    + [
                        Command.create(
                            {
                                "name": f"{day}",
                                "dayofweek": str(day),
                                "hour_from": 9,
                                "hour_to": 13,
                                "day_period": "morning",
                            }
                        )
                        for day in range(7)
                    ],
                }
            )
            # the first team: field service gives it the new orders; no
            # worker, so one crew: each window has one seat
            team = env["fsm.team"].create(
                {"name": "Carrera", "sequence": -1000, "isp_calendar_id": calendar.id}
            )
            plan = env["product.product"].create(
                {"name": "Plan carrera", "type": "service", "service_kind": "plan"}
            )
            tickets = env["isp.sales.ticket"]
            for name in ("Cliente Uno", "Cliente Dos"):
                lead = env["isp.sales.lead"].create({"name": name})
                prospect = env["isp.sales.prospect"].create(
                    {
                        "lead_id": lead.id,
                        "latitude": -32.95,
                        "longitude": -60.64,
                        "line_ids": [Command.create({"product_id": plan.id})],
                    }
                )
                ticket = env["isp.sales.ticket"].create({"prospect_id": prospect.id})
                order = ticket.action_create_order("installation")
                assert order.fsm_order_id.team_id == team
                tickets |= ticket
            self.ids = {
                "calendar": calendar.id,
                "team": team.id,
                "plan": plan.id,
                "tickets": tickets.ids,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["isp.sales.ticket"].browse(self.ids["tickets"])
            prospects = tickets.prospect_id
            leads = tickets.lead_id
            locations = prospects.fsm_location_id
            partners = leads.partner_id | locations.partner_id
            cr.execute("DELETE FROM fsm_order WHERE team_id = %s", [self.ids["team"]])
            cr.execute(
                "DELETE FROM isp_sales_order WHERE ticket_id = ANY(%s)", [tickets.ids]
            )
            cr.execute(
                "UPDATE isp_sales_prospect SET fsm_location_id = NULL"
                " WHERE id = ANY(%s)",
                [prospects.ids],
            )
            cr.execute("DELETE FROM fsm_location WHERE id = ANY(%s)", [locations.ids])
            env.invalidate_all()
            tickets.unlink()
            prospects.unlink()
            leads.unlink()
            partners.exists().unlink()
            env["fsm.team"].browse(self.ids["team"]).unlink()
            env["resource.calendar"].browse(self.ids["calendar"]).unlink()
            env["product.product"].browse(self.ids["plan"]).unlink()

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def test_two_customers_race_for_the_last_seat(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            order = env["isp.sales.ticket"].browse(self.ids["tickets"][0]).order_ids
            offered = env["isp.sales.status.page"]._free_slots(order)
            last_seat, next_slot = offered[0].start, offered[1].start
        value = slots.format_start(last_seat)
        barrier = threading.Barrier(2, timeout=30)
        results = {}
        conflicts = []

        def choose(ticket_id):
            try:
                with self.registry.cursor() as cr:
                    env = self._env(cr)
                    Page = env["isp.sales.status.page"]
                    ticket = env["isp.sales.ticket"].browse(ticket_id)
                    order = Page._slot_order(ticket)
                    # both find the window free...
                    start, end = Page._check_choice(order, value)
                    barrier.wait()
                    # ...and take its one seat at once
                    try:
                        Page._claim(order, start, end)
                        cr.commit()  # pylint: disable=invalid-commit
                        results[ticket_id] = "chosen"
                        return
                    except ConcurrencyError:
                        conflicts.append(ticket_id)
                        cr.rollback()
                # Odoo runs the request again, in a new transaction
                with self.registry.cursor() as cr:
                    env = self._env(cr)
                    Page = env["isp.sales.status.page"]
                    ticket = env["isp.sales.ticket"].browse(ticket_id)
                    try:
                        Page._choose_slot(ticket, value)
                        results[ticket_id] = "chosen on retry"
                    except SlotRefused as error:
                        offered = Page._free_slots(Page._slot_order(ticket))
                        results[ticket_id] = (error.code, offered[0].start)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                results[ticket_id] = repr(error)

        threads = [
            threading.Thread(target=choose, args=(ticket_id,))
            for ticket_id in self.ids["tickets"]
        ]
        # the test runner holds the registry lock, which every new Environment
        # takes: release it the way HttpCase does for its server threads
        with patch.object(Registry, "_lock", DummyRLock()):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertEqual(
            sorted(map(str, results.values())),
            sorted(["chosen", str(("slot_taken", next_slot))]),
            results,
        )
        # the database refused the second seat (no check-then-write)
        self.assertEqual(len(conflicts), 1, conflicts)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            orders = env["isp.sales.ticket"].browse(self.ids["tickets"]).order_ids
            self.assertEqual(
                sorted(orders.mapped("scheduled_date"), key=bool), [False, last_seat]
            )
            self.assertEqual(
                orders.fsm_order_id.filtered("scheduled_date_start").mapped(
                    "scheduled_date_start"
                ),
                [last_seat],
            )
