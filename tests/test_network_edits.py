import random

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..lib import coverage, geo
from .common import IspNetworkCase

ROSARIO = (-32.9468, -60.6393)
CORDOBA = (-31.4201, -64.1888)  # about 400 km away: "far"
METRES_PER_DEGREE = geo.EARTH_RADIUS_M * 3.141592653589793 / 180


def north_of(point, metres):
    return point[0] + metres / METRES_PER_DEGREE, point[1]


@tagged("post_install", "-at_install")
class TestNetworkEdits(IspNetworkCase):
    """A node edit recomputes the verdicts within reach, right and quietly."""

    _company_name = "Edits ISP"

    def _prospects(self, points):
        return self.Prospect.create(
            [
                {"lead_id": self.lead.id, "latitude": lat, "longitude": lon}
                for lat, lon in points
            ]
        )

    def _brute_force(self, prospect):
        nodes = self.Node.search([("company_id", "=", self.isp.id)])
        return coverage.best_verdict(
            [
                (
                    geo.geodesic_m(
                        prospect.latitude,
                        prospect.longitude,
                        node.latitude,
                        node.longitude,
                    ),
                    node.coverage_radius,
                    node.capacity,
                    node.free_capacity,
                )
                for node in nodes
            ],
            20,
        )

    def test_a_small_node_does_not_take_a_towers_coverage(self):
        tower = self._node(ROSARIO, coverage_radius=3000, name="Torre")
        prospect = self._prospects([north_of(ROSARIO, 2000)])
        self.assertEqual((prospect.coverage, prospect.node_id), ("covered", tower))
        self._node(north_of(ROSARIO, 3500), coverage_radius=300, name="AP")
        self.assertEqual((prospect.coverage, prospect.node_id), ("covered", tower))

    def test_random_edits_match_a_brute_force_computation(self):
        rng = random.Random(11)

        def around(metres):
            return (
                ROSARIO[0] + rng.uniform(-1, 1) * metres / METRES_PER_DEGREE,
                ROSARIO[1] + rng.uniform(-1, 1) * metres / METRES_PER_DEGREE,
            )

        prospects = self._prospects([around(6000) for _i in range(80)])
        nodes = self.Node
        for step in range(40):
            action = rng.random()
            if action < 0.4 or len(nodes) < 3:
                nodes |= self._node(
                    around(5000),
                    coverage_radius=rng.choice([300, 800, 1500, 3000]),
                    capacity=rng.choice([0, 0, 5]),
                    used_capacity=rng.choice([0, 5]),
                )
            elif action < 0.6:
                nodes[rng.randrange(len(nodes))].write(
                    dict(zip(("latitude", "longitude"), around(5000), strict=True))
                )
            elif action < 0.75:
                nodes[rng.randrange(len(nodes))].coverage_radius = rng.choice(
                    [200, 1000, 2500]
                )
            elif action < 0.85:
                node = nodes[rng.randrange(len(nodes))]
                node.active = not node.active
            elif action < 0.92:
                nodes[rng.randrange(len(nodes))].used_capacity = rng.choice([0, 5])
            else:
                node = nodes[rng.randrange(len(nodes))]
                nodes -= node
                node.unlink()
            for prospect in prospects:
                with self.subTest(step=step, prospect=prospect.id):
                    self.assertEqual(prospect.coverage, self._brute_force(prospect))

    def test_first_and_last_node_of_the_company(self):
        prospect = self._prospects([CORDOBA])
        self.assertEqual(prospect.coverage, "unknown")
        node = self._node(ROSARIO)
        self.assertEqual(prospect.coverage, "uncovered")
        node.active = False
        self.assertEqual(prospect.coverage, "unknown")
        node.active = True
        self.assertEqual(prospect.coverage, "uncovered")
        node.unlink()
        self.assertEqual(prospect.coverage, "unknown")

    def test_a_verdict_changed_by_the_network_writes_no_message(self):
        self._node(CORDOBA)
        ticket = self._create_ticket(user_id=self.seller.id)
        ticket.action_set_lost(self.reason_no_coverage.id)
        self.flush_tracking()
        prospect = ticket.prospect_id
        before = (len(prospect.message_ids), len(ticket.message_ids))
        node = self._node(ROSARIO, name="Torre Centro")
        self.flush_tracking()
        self.assertEqual(prospect.coverage, "covered")
        self.assertEqual((len(prospect.message_ids), len(ticket.message_ids)), before)
        # the follow-up is the one thing that happens on the ticket
        self.assertEqual(len(ticket.activity_ids), 1)
        self.assertIn("Torre Centro", str(ticket.activity_ids.note))
        # and the node says what it now covers
        self.assertTrue(
            any(
                "Prospects now covered by this node: 1." in str(message.body)
                for message in node.message_ids
            )
        )

    def test_invalid_coordinates_refused_nothing_recomputed(self):
        node = self._node(ROSARIO)
        prospect = self._prospects([north_of(ROSARIO, 500)])
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        with self.assertRaisesRegex(ValidationError, "out of range"):
            node.write({"latitude": 91.0})
        self.assertEqual(self.env.cr.sql_log_count, before, "nothing searched")
        with self.assertRaisesRegex(ValidationError, "out of range"):
            self._node((0.0, 200.0))
        self.assertEqual(prospect.coverage, "covered")

    def test_move_costs_the_same_with_10_or_1000_far_prospects(self):
        node = self._node(ROSARIO)
        near = self._prospects(
            [north_of(ROSARIO, 100 * index) for index in range(1, 11)]
        )
        self._prospects([north_of(CORDOBA, 10 * index) for index in range(10)])
        self.env.flush_all()

        def move(metres):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            node.write({"latitude": north_of(ROSARIO, metres)[0]})
            self.flush_tracking()  # what the commit does: the node's tracking
            return self.env.cr.sql_log_count - before

        move(50)  # warm-up: caches, config parameters (twice: the first
        move(0)  # change of a node created in the transaction is not tracked)
        move(50)
        with self.assertQueryCount(15):
            with_10 = move(100)
        self._prospects([north_of(CORDOBA, 10 * index) for index in range(990)])
        self.env.flush_all()
        move(50)
        with self.assertQueryCount(15):
            with_1000 = move(100)
        self.assertEqual(with_10, with_1000)
        self.assertLessEqual(set(near.mapped("coverage")), {"covered", "marginal"})
