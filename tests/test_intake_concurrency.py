import threading
from functools import partial
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

REF = "concurrent-intake-1"


@tagged("post_install", "-at_install")
class TestIntakeConcurrency(BaseCase):
    """The same request sent twice at once (a website retrying on a timeout),
    on real separate cursors and transactions, as two HTTP requests would."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = (
                env["isp.sales.ticket"]
                .with_context(active_test=False)
                .search([("external_ref", "=", REF)])
            )
            prospects, leads = tickets.prospect_id, tickets.lead_id
            tickets.unlink()
            prospects.unlink()
            leads.unlink()

    @mute_logger("odoo.service.model")
    def test_two_requests_at_once_make_one_ticket(self):
        barrier = threading.Barrier(2, timeout=30)
        results = []

        def request():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["res.users"].browse(SUPERUSER_ID).name  # noqa: B018 - snapshot taken
                    barrier.wait()
                    results.append(
                        retrying(
                            partial(
                                env["isp.sales.lead"].intake,
                                name="Cliente simultáneo",
                                phone="341 555 8888",
                                external_ref=REF,
                            ),
                            env,
                        )
                    )
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                results.append(repr(error))

        threads = [threading.Thread(target=request) for _i in range(2)]
        with patch.object(Registry, "_lock", DummyRLock()):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=90)
        self.assertEqual(len(results), 2, results)
        self.assertTrue(all(isinstance(r, dict) for r in results), results)
        self.assertEqual(sorted(r["created"] for r in results), [False, True])
        self.assertEqual(results[0]["ticket_id"], results[1]["ticket_id"])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(
                env["isp.sales.ticket"].search_count([("external_ref", "=", REF)]), 1
            )


@tagged("post_install", "-at_install")
class TestRateLimitAcrossWorkers(BaseCase):
    """The availability page's limits hold across the server's worker
    processes: each worker has its own cursor, the counters are in PostgreSQL."""

    IP = "203.0.113.77"  # TEST-NET-3: no real visitor

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM isp_coverage_rate_limit WHERE ip = %s", [self.IP])

    def hit(self):
        # one request of one worker: its own cursor and transaction, committed
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["isp.coverage.rate.limit"]._isp_hit("submit", self.IP, 3, 3600)

    def test_counters_are_shared(self):
        self.assertEqual([self.hit() for _i in range(5)], [True] * 3 + [False] * 2)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT sum(hits) FROM isp_coverage_rate_limit WHERE ip = %s", [self.IP]
            )
            self.assertEqual(cr.fetchone()[0], 5)
