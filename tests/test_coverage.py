from geopy.distance import geodesic

from odoo.tests import tagged
from odoo.tools import SQL

from .common import IspNetworkCase, IspSalesDeskCase

ROSARIO = (-32.9468, -60.6393)


def north_of(point, metres):
    """The point ``metres`` due north on the WGS-84 ellipsoid (geopy), the
    distance the desk shows."""
    destination = geodesic(meters=metres).destination(point, bearing=0)
    return destination.latitude, destination.longitude


@tagged("post_install", "-at_install")
class TestCoverage(IspNetworkCase):
    """Nearest node by SQL and the coverage verdict of prospects."""

    _company_name = "Coverage ISP"

    def _prospect(self, point):
        return self.env["isp.sales.prospect"].create(
            {"lead_id": self.lead.id, "latitude": point[0], "longitude": point[1]}
        )

    def test_no_node_is_unknown_not_an_error(self):
        prospect = self._prospect(ROSARIO)
        self.assertEqual(prospect.coverage, "unknown")
        self.assertFalse(prospect.node_id)

    def test_no_point_is_unknown(self):
        self._node(ROSARIO)
        prospect = self.env["isp.sales.prospect"].create({"lead_id": self.lead.id})
        self.assertEqual(prospect.coverage, "unknown")

    def test_verdicts_around_the_radius(self):
        node = self._node(ROSARIO)
        cases = [(500, "covered"), (1100, "marginal"), (1300, "uncovered")]
        for metres, expected in cases:
            with self.subTest(metres=metres):
                prospect = self._prospect(north_of(ROSARIO, metres))
                self.assertEqual(prospect.coverage, expected)
                self.assertEqual(prospect.node_id, node)
                self.assertAlmostEqual(prospect.node_distance, metres, delta=2)

    def test_full_node_is_marginal(self):
        self._node(ROSARIO, capacity=10, used_capacity=10)
        self.assertEqual(self._prospect(north_of(ROSARIO, 100)).coverage, "marginal")

    def test_nearest_active_node_of_the_company(self):
        near = self._node(north_of(ROSARIO, 300), name="Near")
        self._node(north_of(ROSARIO, 800), name="Farther")
        self._node(north_of(ROSARIO, 50), name="Archived", active=False)
        other_company = self.env["res.company"].create({"name": "Other ISP"})
        self.Node.sudo().create(
            {
                "name": "Other company's",
                "latitude": ROSARIO[0],
                "longitude": ROSARIO[1],
                "company_id": other_company.id,
            }
        )
        prospect = self._prospect(ROSARIO)
        self.assertEqual(prospect.node_id, near)
        self.assertAlmostEqual(prospect.node_distance, 300, delta=2)

    def test_larger_boxes_and_beyond_the_last_one(self):
        node = self._node(north_of(ROSARIO, 30_000), coverage_radius=40_000)
        self.assertEqual(self._prospect(ROSARIO).node_id, node)
        self.assertEqual(self._prospect(ROSARIO).coverage, "covered")
        # more than the largest search radius away: not covered, no node
        far = self._prospect((10.0, 10.0))
        self.assertEqual(far.coverage, "uncovered")
        self.assertFalse(far.node_id)

    def test_antimeridian(self):
        node = self._node((0.0, 179.99), coverage_radius=3000)
        prospect = self._prospect((0.0, -179.99))
        self.assertEqual(prospect.node_id, node)
        self.assertEqual(prospect.coverage, "covered")

    def test_node_changes_recompute_prospects(self):
        prospect = self._prospect(north_of(ROSARIO, 500))
        self.assertEqual(prospect.coverage, "unknown")
        node = self._node(ROSARIO)
        self.assertEqual(prospect.coverage, "covered")
        node.coverage_radius = 100
        self.assertEqual(prospect.coverage, "uncovered")
        node.write({"latitude": north_of(ROSARIO, 450)[0]})
        self.assertEqual(prospect.coverage, "covered")
        node.capacity, node.used_capacity = 5, 5
        self.assertEqual(prospect.coverage, "marginal")
        node.active = False
        self.assertEqual(prospect.coverage, "unknown")
        node.active = True
        self.assertEqual(prospect.coverage, "marginal")
        node.unlink()
        self.assertEqual(prospect.coverage, "unknown")
        self.assertFalse(prospect.node_id)

    def test_margin_setting_recomputes(self):
        self._node(ROSARIO)
        prospect = self._prospect(north_of(ROSARIO, 1100))
        self.assertEqual(prospect.coverage, "marginal")
        settings = self.env["res.config.settings"].create(
            {"isp_coverage_margin_percent": 5}
        )
        settings.execute()
        self.assertEqual(prospect.coverage, "uncovered")

    def test_two_queries_for_many_points(self):
        # one for the nodes that reach the points, one for the nearest node
        # of the points beyond every reach (4.9 km away at most: one box)
        self._node(ROSARIO)
        points = [(*north_of(ROSARIO, 100 * index), self.isp.id) for index in range(50)]
        self.env.flush_all()
        with self.assertQueryCount(2):
            results = self.Node._isp_nearest_nodes(points)
        self.assertTrue(all(results))

    def test_lookup_uses_the_geo_index(self):
        self._node(ROSARIO)
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        query = self.Node._isp_nearest_nodes_sql([(0, *ROSARIO, self.isp.id)], 5000)
        self.env.cr.execute(SQL("EXPLAIN %s", query))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("isp_network_node_geo_idx", plan)


@tagged("post_install", "-at_install")
class TestDemandFollowsTheNetwork(IspSalesDeskCase):
    """A ticket lost for lack of coverage comes back when a node reaches it."""

    def test_new_node_flags_lost_no_coverage_tickets_once(self):
        Node = self.env["isp.network.node"]
        Node.create({"name": "Lejos", "latitude": -31.6, "longitude": -60.7})
        ticket = self._create_ticket(user_id=self.seller.id)  # Córdoba 1234, Rosario
        self.assertEqual(ticket.prospect_id.coverage, "uncovered")
        ticket.action_set_lost(self.reason_no_coverage.id)
        priced_out = self._create_ticket(lead_name="Caro", user_id=self.seller.id)
        priced_out.action_set_lost(self.reason_price.id)
        self.assertFalse(ticket.can_recontact)

        node = Node.create(
            {
                "name": "Torre Centro",
                "latitude": -32.9470,
                "longitude": -60.6390,
                "coverage_radius": 800,
            }
        )
        self.assertEqual(ticket.coverage, "covered")
        self.assertTrue(ticket.can_recontact)
        self.assertFalse(priced_out.can_recontact, "lost for its price, not coverage")
        found = self.env["isp.sales.ticket"].search([("can_recontact", "=", True)])
        self.assertIn(ticket, found)
        self.assertNotIn(priced_out, found)
        activity_type = self.env.ref(
            "isp_sales_desk.mail_activity_type_recontact_covered"
        )
        activity = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(activity.user_id, self.seller)
        self.assertIn("Torre Centro", str(activity.note))
        self.assertFalse(priced_out.activity_ids)
        # moving the node again does not pile up activities
        node.coverage_radius = 900
        self.assertEqual(len(ticket.activity_ids), 1)
        # reopened, the ticket is simply pending again
        ticket.action_reopen()
        self.assertFalse(ticket.can_recontact)
