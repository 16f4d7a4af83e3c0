import threading
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name


@tagged("post_install", "-at_install")
class TestConcurrency(BaseCase):
    """Two users pressing the same button at once, on real separate cursors.

    The data is committed (other transactions must see it) and removed again
    at the end of each test.
    """

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            plan = env["product.product"].create(
                {"name": "Plan concurrencia", "type": "service", "service_kind": "plan"}
            )
            lead = env["isp.sales.lead"].create({"name": "Cliente concurrente"})
            prospect = env["isp.sales.prospect"].create(
                {
                    "lead_id": lead.id,
                    "line_ids": [Command.create({"product_id": plan.id})],
                }
            )
            ticket = env["isp.sales.ticket"].create({"prospect_id": prospect.id})
            self.ids = {
                "plan": plan.id,
                "lead": lead.id,
                "prospect": prospect.id,
                "ticket": ticket.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["isp.sales.ticket"].browse(self.ids["ticket"])
            cr.execute("DELETE FROM isp_sales_order WHERE ticket_id = %s", [ticket.id])
            env.invalidate_all()
            ticket.unlink()
            env["isp.sales.prospect"].browse(self.ids["prospect"]).unlink()
            env["isp.sales.lead"].browse(self.ids["lead"]).unlink()
            env["product.product"].browse(self.ids["plan"]).unlink()

    def _ticket(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})["isp.sales.ticket"].browse(
            self.ids["ticket"]
        )

    def test_second_user_waiting_on_the_lock_gets_a_clear_error(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            order = self._ticket(cr1).action_create_order("installation")
            self.assertTrue(order)
            # cr1 has not committed yet: it holds the ticket
            with self.assertRaisesRegex(
                UserError, "Another user is changing this ticket"
            ):
                self._ticket(cr2).action_create_order("installation")
            cr1.commit()
            cr2.rollback()
            # once the first order is visible, the rule refuses a second one
            with self.assertRaisesRegex(
                UserError, "already has an open Installation order"
            ):
                self._ticket(cr2).action_create_order("installation")
        with self.registry.cursor() as cr:
            self.assertEqual(len(self._ticket(cr).order_ids), 1)

    def test_two_threads_at_once_create_one_order(self):
        barrier = threading.Barrier(2, timeout=30)
        results = []

        def press_button():
            try:
                with self.registry.cursor() as cr:
                    ticket = self._ticket(cr)
                    self.assertFalse(ticket.order_ids)  # both see no order yet
                    barrier.wait()
                    try:
                        ticket.action_create_order("feasibility")
                        # each thread is a user's request: it commits
                        cr.commit()  # pylint: disable=invalid-commit
                        results.append("created")
                    except (UserError, SerializationFailure) as error:
                        cr.rollback()
                        results.append(type(error).__name__)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                results.append(repr(error))

        threads = [threading.Thread(target=press_button) for _i in range(2)]
        # the test runner holds the registry lock, which every new Environment
        # takes: release it the way HttpCase does for its server threads
        with patch.object(Registry, "_lock", DummyRLock()):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertEqual(sorted(results), ["UserError", "created"], results)
        with self.registry.cursor() as cr:
            self.assertEqual(len(self._ticket(cr).order_ids), 1)
            self.assertEqual(self._ticket(cr).state, "in_progress")

    def test_two_completions_of_one_installation_win_once(self):
        with self.registry.cursor() as cr:
            self._ticket(cr).action_create_order("installation")
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            self._ticket(cr1).order_ids.action_done()
            with self.assertRaisesRegex(
                UserError, "Another user is changing this ticket"
            ):
                self._ticket(cr2).order_ids.action_done()
            cr1.commit()
            cr2.rollback()
            with self.assertRaisesRegex(UserError, "already closed"):
                self._ticket(cr2).order_ids.action_done()
        with self.registry.cursor() as cr:
            ticket = self._ticket(cr)
            self.assertEqual(ticket.state, "won")
            completed = ticket.message_ids.filtered(
                lambda m: "completed" in (m.body or "")
            )
            self.assertEqual(len(completed), 1)
            partners = api.Environment(cr, SUPERUSER_ID, {})["res.partner"].search(
                [("name", "=", "Cliente concurrente")]
            )
            self.assertEqual(len(partners), 1)
            # one win, one contract
            self.assertEqual(len(ticket.contract_ids), 1)
            # leave nothing behind
            ticket.contract_ids.unlink()
            ticket.lead_id.partner_id = False
            partners.unlink()
