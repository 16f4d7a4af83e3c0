"""What must hold under concurrency, on real separate transactions (each a
request of its own, committed), as tests/test_concurrency.py does it."""

import threading
from functools import partial
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger


def run_at_once(registry, work, count):
    """Run ``work(env)`` in ``count`` threads, each on its own cursor,
    started together; the results (or errors' class names), in any order."""
    barrier = threading.Barrier(count, timeout=30)
    results = []

    def request():
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["res.users"].browse(SUPERUSER_ID).name  # noqa: B018 - snapshot taken
                barrier.wait()
                try:
                    result = work(env)
                    cr.commit()  # pylint: disable=invalid-commit
                except Exception as error:  # noqa: BLE001 - counted by the caller
                    cr.rollback()
                    result = type(error).__name__
                results.append(result)
        except Exception as error:  # noqa: BLE001 - counted by the caller
            results.append(repr(error))

    threads = [threading.Thread(target=request) for _i in range(count)]
    # the test runner holds the registry lock, which every new Environment
    # takes: release it the way HttpCase does for its server threads
    with patch.object(Registry, "_lock", DummyRLock()):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    return results


@tagged("post_install", "-at_install")
class TestOneOpenOrderUnderConcurrency(BaseCase):
    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lead = env["isp.sales.lead"].create({"name": "Dos a la vez"})
            prospect = env["isp.sales.prospect"].create({"lead_id": lead.id})
            ticket = env["isp.sales.ticket"].create({"prospect_id": prospect.id})
            self.ids = (lead.id, prospect.id, ticket.id)
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            lead_id, prospect_id, ticket_id = self.ids
            cr.execute("DELETE FROM isp_sales_order WHERE ticket_id = %s", [ticket_id])
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["isp.sales.ticket"].browse(ticket_id).unlink()
            env["isp.sales.prospect"].browse(prospect_id).unlink()
            env["isp.sales.lead"].browse(lead_id).unlink()

    def orders(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT order_type FROM isp_sales_order WHERE ticket_id = %s",
                [self.ids[2]],
            )
            return [row[0] for row in cr.fetchall()]

    def test_two_buttons_at_once_make_one_installation(self):
        def press(env):
            return (
                env["isp.sales.ticket"]
                .browse(self.ids[2])
                .action_create_order("installation")
                .id
            )

        results = run_at_once(self.registry, press, 2)
        self.assertEqual(sum(isinstance(r, int) for r in results), 1, results)
        self.assertEqual(self.orders(), ["installation"])

    @mute_logger("odoo.sql_db")  # the refused insert is logged as a bad query
    def test_two_creates_at_once_make_one_installation(self):
        """The same without the button's lock: two integrations calling
        create at the same moment."""

        def create(env):
            return (
                env["isp.sales.order"]
                .create({"ticket_id": self.ids[2], "order_type": "installation"})
                .id
            )

        results = run_at_once(self.registry, create, 2)
        self.assertEqual(sum(isinstance(r, int) for r in results), 1, results)
        self.assertEqual(self.orders(), ["installation"])


@tagged("post_install", "-at_install")
class TestIntakeDuplicatesUnderConcurrency(BaseCase):
    """Ten requests of one person at once (a form sent ten times, ten
    workers), without an external reference: one lead, ten tickets."""

    PHONE = "+54 9 341 555 6161"

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.addCleanup(self._cleanup)

    def _leads(self, env):
        return (
            env["isp.sales.lead"]
            .with_context(active_test=False)
            # the phone as the lead stores it (phone_validation's format)
            .search(
                [("phone", "=", env["isp.sales.lead"]._isp_format_phone(self.PHONE))]
            )
        )

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            leads = self._leads(env)
            tickets = leads.with_context(active_test=False).ticket_ids
            prospects = leads.with_context(active_test=False).prospect_ids
            tickets.unlink()
            prospects.unlink()
            leads.unlink()

    @mute_logger("odoo.service.model")  # the retried transactions
    def test_ten_requests_at_once_make_one_lead(self):
        def intake(env):
            return retrying(
                partial(
                    env["isp.sales.lead"].intake,
                    name="Cliente Insistente",
                    phone=self.PHONE,
                ),
                env,
            )

        results = run_at_once(self.registry, intake, 10)
        self.assertTrue(all(isinstance(r, dict) for r in results), results)
        self.assertEqual(len({r["lead_id"] for r in results}), 1, results)
        self.assertEqual(len({r["ticket_id"] for r in results}), 10, results)
        self.assertEqual(sorted(r["duplicate"] for r in results), [False] + [True] * 9)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(len(self._leads(env)), 1)
