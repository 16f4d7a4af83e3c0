"""Smaller boundaries, over JSON-2: the page's visitors' addresses are
nobody's reading, and the desk's geocoder leaves Contacts its own message."""

from unittest.mock import patch

import requests

from odoo.tests import tagged

from .common import IspJson2Case

REQUESTS_GET = "odoo.addons.isp_sales_desk.models.base_geocoder.requests.get"


@tagged("post_install", "-at_install")
class TestSmallerBoundaries(IspJson2Case):
    def test_visitors_addresses_are_read_by_no_desk_user(self):
        self.env["isp.coverage.rate.limit"]._isp_hit("submit", "203.0.113.9", 10, 3600)
        for role in ("manager", "seller", "technician", "portal"):
            with self.subTest(role=role):
                self.assertRefusedOverJson2(
                    self.json2(
                        role,
                        "isp.coverage.rate.limit",
                        "search_read",
                        domain=[],
                        fields=["ip"],
                    ),
                    403,
                )
        # the database's administrator may look (and the page counts)
        status, rows = self.json2(
            "admin", "isp.coverage.rate.limit", "search_read", domain=[], fields=["ip"]
        )
        self.assertEqual(status, 200, rows)
        self.assertIn("203.0.113.9", [row["ip"] for row in rows])

    def test_contacts_keep_cores_geolocation_error(self):
        partner = self.env["res.partner"].create(
            {"name": "Contacto", "street": "Córdoba 1234", "city": "Rosario"}
        )
        down = requests.ConnectionError("no route to host")
        with patch(REQUESTS_GET, side_effect=down):
            self.assertRefusedOverJson2(
                self.json2(
                    "admin",
                    "res.partner",
                    "geo_localize",
                    ids=partner.ids,
                    context={"force_geo_localize": True},
                ),
                422,
                r"^Error with geolocation server: no route to host",
            )
        # the desk's wizard still tells its sellers what to do
        wizard = (
            self.env["isp.sales.ticket.create"]
            .with_user(self.users["seller"])
            .create({"street": "Córdoba", "street_number": "1234", "city": "Rosario"})
        )
        with patch(REQUESTS_GET, side_effect=down):
            wizard.action_geocode()
        self.assertIn("not available right now", wizard.geo_message)
