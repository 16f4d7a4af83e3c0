import random
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged, users

from ..lib import geo, map_grid
from .common import IspSalesDeskCase

# Mendoza: far from the demo data's Rosario, so that the suite passes on a
# database with demo data too
AREA = ((-32.95, -32.85), (-68.90, -68.80))
WHOLE = [-32.95, -68.90, -32.85, -68.80]
CENTER = (-32.9, -68.85)
STATES = ("pending", "in_progress", "won", "lost_price", "demand")


@tagged("post_install", "-at_install")
class TestMap(IspSalesDeskCase):
    """The map's data: aggregated in SQL, bounded, under the record rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # orders need the field service stages of the main company
        cls.isp = cls.env.company
        cls.node = cls.env["isp.network.node"].create(
            {
                "name": "Torre Mapa",
                "latitude": CENTER[0],
                "longitude": CENTER[1],
                "coverage_radius": 1500,
                "capacity": 10,
                "used_capacity": 9,
                "company_id": cls.isp.id,
            }
        )
        cls.rng = random.Random(7)
        cls.plans = [cls.plan, cls.plan_big]
        cls.tickets = cls._tickets(60)

    @classmethod
    def _tickets(cls, count, area=AREA, company=None):
        company = company or cls.isp
        (lat0, lat1), (lon0, lon1) = area
        leads = cls.env["isp.sales.lead"].create(
            [{"name": f"Mapa {i}", "company_id": company.id} for i in range(count)]
        )
        prospects = cls.env["isp.sales.prospect"].create(
            [
                {
                    "lead_id": lead.id,
                    "latitude": cls.rng.uniform(lat0, lat1),
                    "longitude": cls.rng.uniform(lon0, lon1),
                    "line_ids": [
                        (
                            0,
                            0,
                            {"product_id": cls.rng.choice([cls.plan, cls.plan_big]).id},
                        )
                    ],
                }
                for lead in leads
            ]
        )
        tickets = cls.env["isp.sales.ticket"].create(
            [{"prospect_id": p.id, "user_id": cls.seller.id} for p in prospects]
        )
        for index, ticket in enumerate(tickets):
            kind = STATES[index % len(STATES)]
            if kind == "in_progress":
                ticket.action_create_order("installation")
            elif kind == "won":
                ticket.action_create_order("installation").action_done()
            elif kind == "lost_price":
                ticket.action_set_lost(cls.reason_price.id)
            elif kind == "demand":
                ticket.action_set_lost(cls.reason_no_coverage.id)
        return tickets

    @staticmethod
    def _status(ticket, no_coverage):
        if ticket.state == "lost" and ticket.lost_reason_id == no_coverage:
            return "demand"
        return ticket.state

    @patch.object(map_grid, "POINTS_BELOW", 0)
    def test_clusters_sum_to_the_totals_cell_by_cell(self):
        data = self.env["isp.sales.ticket"].get_isp_map_data(
            [("id", "in", self.tickets.ids)], WHOLE, 14
        )
        self.assertFalse(data["points"], "60 tickets: clusters below zoom 15")
        view = map_grid.viewport(WHOLE, 14)
        size = map_grid.cell_size(view)
        expected = {}
        for ticket in self.tickets:
            cell = expected.setdefault(
                map_grid.cell_of(view, size, ticket.latitude, ticket.longitude),
                {"count": 0, "amount": 0.0},
            )
            cell["count"] += 1
            cell["amount"] += ticket.amount_total
            status = self._status(ticket, self.reason_no_coverage)
            cell[status] = cell.get(status, 0) + 1
        got = {(c["row"], c["col"]): c for c in data["clusters"]}
        self.assertEqual(set(got), set(expected))
        for key, cell in expected.items():
            for name, value in cell.items():
                self.assertAlmostEqual(got[key][name], value, places=2, msg=key)
        totals = data["totals"]
        self.assertEqual(totals["count"], 60)
        self.assertEqual(totals["demand"], 12)
        self.assertAlmostEqual(
            totals["amount"], sum(self.tickets.mapped("amount_total"))
        )
        self.assertEqual(
            sum(totals[s] for s in ("pending", "in_progress", "won", "lost", "demand")),
            60,
        )

    def test_points_zoomed_in_and_the_search_domain(self):
        Ticket = self.env["isp.sales.ticket"]
        data = Ticket.get_isp_map_data([("state", "=", "lost")], WHOLE, 16)
        lost = self.tickets.filtered(lambda t: t.state == "lost")
        self.assertEqual({p["id"] for p in data["points"]}, set(lost.ids))
        point = next(p for p in data["points"] if p["id"] == lost[0].id)
        self.assertEqual(point["name"], lost[0].name)
        self.assertIn(point["status"], ("lost", "demand"))
        self.assertFalse(data["clusters"])
        (node,) = data["nodes"]
        self.assertEqual((node["id"], node["load"]), (self.node.id, "nearly_full"))

    def test_absurd_boxes_and_zooms_are_clamped(self):
        Ticket = self.env["isp.sales.ticket"]
        for bbox, zoom in (
            ([-100, -400, 100, 400], 99),
            ([10, 170, 20, -170], 5),
            (None, None),
            (["a", None, {}, []], "z"),
            ([-33.0, -60.7, -32.9, -60.6], -3),
        ):
            with self.subTest(bbox=bbox, zoom=zoom):
                data = Ticket.get_isp_map_data([], bbox, zoom)
                self.assertLessEqual(len(data["clusters"]), map_grid.MAX_CELLS**2)
        mine = [("id", "in", self.tickets.ids)]
        world = Ticket.get_isp_map_data(mine, [-100, -400, 100, 400], 0)
        self.assertEqual(world["totals"]["count"], 60)

    def test_what_if_matches_a_plain_python_computation(self):
        Ticket = self.env["isp.sales.ticket"].with_user(self.manager)
        center = (CENTER[0] - 0.01, CENTER[1] - 0.01)
        # the geodesic (geopy) is the oracle, independent of the SQL's
        # spherical formula: they differ by less than 0.6%, so the radius is
        # one that no ticket lies that close to
        distances = [
            geo.geodesic_m(*center, ticket.latitude, ticket.longitude)
            for ticket in self.tickets
        ]
        radius = next(
            radius
            for radius in range(2500, 4000, 50)
            if all(abs(distance - radius) > radius * 0.006 for distance in distances)
        )
        result = Ticket.get_isp_what_if(*center, radius, "fiber", 7)
        expected = {
            "demand": [0, 0.0],
            "pending_uncovered": [0, 0.0],
            "marginal": [0, 0.0],
        }
        for ticket, distance in zip(self.tickets, distances, strict=True):
            if distance > radius:
                continue
            status = self._status(ticket, self.reason_no_coverage)
            open_ = status in ("pending", "in_progress")
            kind = None
            if status == "demand" and ticket.coverage != "covered":
                kind = "demand"
            elif open_ and ticket.coverage in ("uncovered", "unknown"):
                kind = "pending_uncovered"
            elif open_ and ticket.coverage == "marginal":
                kind = "marginal"
            if kind:
                expected[kind][0] += 1
                expected[kind][1] += ticket.amount_total
        reached = sum(count for count, _amount in expected.values())
        self.assertTrue(reached, "the data must exercise the what-if")
        for kind, (count, amount) in expected.items():
            self.assertEqual(result[kind]["count"], count, kind)
            self.assertAlmostEqual(result[kind]["amount"], amount, places=2)
        self.assertEqual(result["reached"], reached)
        self.assertEqual(result["fit"], min(reached, 7))

    def test_what_if_bad_input_and_access(self):
        Ticket = self.env["isp.sales.ticket"].with_user(self.manager)
        with self.assertRaisesRegex(UserError, "more than 0"):
            Ticket.get_isp_what_if(*CENTER, 0)
        with self.assertRaisesRegex(UserError, "more than 0"):
            Ticket.get_isp_what_if(*CENTER, -10)
        with self.assertRaisesRegex(ValidationError, "out of range"):
            Ticket.get_isp_what_if(-95, -60.65, 1000)
        with self.assertRaisesRegex(ValidationError, "must be a number"):
            Ticket.get_isp_what_if("x", -60.65, 1000)
        with self.assertRaisesRegex(UserError, "Unknown technology"):
            Ticket.get_isp_what_if(*CENTER, 1000, "laser")
        with self.assertRaisesRegex(UserError, "capacity"):
            Ticket.get_isp_what_if(*CENTER, 1000, "fiber", -2)
        with self.assertRaisesRegex(UserError, "capacity"):
            Ticket.get_isp_what_if(*CENTER, 1000, "fiber", float("inf"))
        # JSON's integers have no bound: a huge radius is the largest one
        huge = Ticket.get_isp_what_if(*CENTER, 10**400)
        self.assertEqual(huge, Ticket.get_isp_what_if(*CENTER, 100_000))
        with self.assertRaises(AccessError):
            Ticket.with_user(self.seller).get_isp_what_if(*CENTER, 1000)

    def test_a_seller_of_another_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "Other Map ISP"})
        seller_b = new_test_user(
            self.env,
            login="map_seller_b",
            groups="isp_sales_desk.group_isp_sales_user",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        data = (
            self.env["isp.sales.ticket"]
            .with_user(seller_b)
            .with_context(allowed_company_ids=other.ids)
            .get_isp_map_data([], WHOLE, 16)
        )
        self.assertEqual(data["totals"]["count"], 0)
        self.assertFalse(data["points"] or data["clusters"] or data["nodes"])

    def test_a_technician_sees_only_the_tickets_of_their_orders(self):
        mine = self.tickets.filtered(lambda t: t.state == "in_progress")[:2]
        mine.order_ids.technician_id = self.technician
        data = (
            self.env["isp.sales.ticket"]
            .with_user(self.technician)
            .get_isp_map_data([], WHOLE, 16)
        )
        self.assertEqual({p["id"] for p in data["points"]}, set(mine.ids))
        self.assertFalse(data["show_amounts"])
        self.assertFalse(any(p["amount"] for p in data["points"]))

    @users("isp_seller")
    def test_query_count_is_the_same_at_two_sizes(self):
        # the clusters, the points, the nodes; each call is measured right
        # after a first one, as in a running server whose caches are warm
        Ticket = self.env["isp.sales.ticket"]
        manager = Ticket.with_user(self.manager)

        def measure():
            Ticket.get_isp_map_data([], WHOLE, 11)
            manager.get_isp_what_if(*CENTER, 1000)
            self.env.invalidate_all()
            with self.assertQueryCount(isp_seller=3):
                data = Ticket.get_isp_map_data([], WHOLE, 11)
            with self.assertQueryCount(isp_seller=1):
                manager.get_isp_what_if(*CENTER, 1000)
            return data

        small = measure()
        self._tickets(140)
        large = measure()
        self.assertEqual(large["totals"]["count"], small["totals"]["count"] + 140)

    def test_technician_map_of_the_day_with_navigation(self):
        mine = self.tickets.filtered(lambda t: t.state == "in_progress")[:2].order_ids
        mine.technician_id = self.technician
        others = self.tickets.filtered(lambda t: t.state == "in_progress")[2:4]
        others.order_ids.technician_id = self.other_technician
        Order = self.env["isp.sales.order"].with_user(self.technician)
        data = Order.get_isp_map_data([], None, None)  # the whole world: fit
        self.assertEqual({p["id"] for p in data["points"]}, set(mine.ids))
        for point in data["points"]:
            self.assertIn("google.com/maps/dir", point["navigation_url"])
            self.assertIn(f"{point['lat']:.7f}", point["navigation_url"])
        # a box elsewhere: nothing
        far = Order.get_isp_map_data([], [10, 10, 11, 11], 14)
        self.assertFalse(far["points"])
