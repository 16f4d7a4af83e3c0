import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

import requests

from odoo.tests import common as test_common
from odoo.tests import tagged

from .common import IspSalesDeskCase

REQUESTS_GET = "odoo.addons.isp_sales_desk.models.base_geocoder.requests.get"

# shaped like the real answers of nominatim.openstreetmap.org (format=jsonv2)
NOMINATIM_SEARCH = [
    {
        "place_id": 307437396,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
        "osm_type": "node",
        "osm_id": 4580195791,
        "lat": "-32.9468300",
        "lon": "-60.6393200",
        "category": "place",
        "type": "house",
        "place_rank": 30,
        "importance": 0.00000999999999995449,
        "addresstype": "place",
        "name": "",
        "display_name": "1234, Córdoba, Rosario, Santa Fe, S2000, Argentina",
        "boundingbox": ["-32.9468800", "-32.9467800", "-60.6393700", "-60.6392700"],
    }
]
NOMINATIM_REVERSE = {
    "place_id": 307437396,
    "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
    "osm_type": "node",
    "osm_id": 4580195791,
    "lat": "-32.9468300",
    "lon": "-60.6393200",
    "category": "place",
    "type": "house",
    "place_rank": 30,
    "addresstype": "place",
    "display_name": "1234, Córdoba, Rosario, Santa Fe, S2000, Argentina",
    "address": {
        "house_number": "1234",
        "road": "Córdoba",
        "suburb": "Centro",
        "city": "Rosario",
        "state_district": "Departamento Rosario",
        "state": "Santa Fe",
        "ISO3166-2-lvl4": "AR-S",
        "postcode": "S2000",
        "country": "Argentina",
        "country_code": "ar",
    },
    "boundingbox": ["-32.9468800", "-32.9467800", "-60.6393700", "-60.6392700"],
}
NOMINATIM_REVERSE_NOTHING = {"error": "Unable to geocode"}


class SlowNominatim(BaseHTTPRequestHandler):
    """A geocoder that takes longer than any timeout to answer: a real socket
    on localhost, so the timeout is the one requests applies."""

    delay = 3.0

    def do_GET(self):
        time.sleep(self.delay)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"[]")
        except OSError:
            pass  # the client gave up long ago

    def log_message(self, *args):
        pass


class FakeResponse:
    def __init__(self, payload, status_code=200):
        self.payload = payload
        self.status_code = status_code

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code} Server Error")

    def json(self):
        return self.payload


@tagged("post_install", "-at_install")
class TestGeocoder(IspSalesDeskCase):
    """Locate and reverse geocode, with Nominatim faked at its HTTP boundary."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        osm = cls.env["base.geo_provider"].search(
            [("tech_name", "=", "openstreetmap")], limit=1
        )
        cls.env["ir.config_parameter"].set_param(
            "base_geolocalize.geo_provider", osm.id
        )
        cls.argentina = cls.env.ref("base.ar")
        cls.santa_fe = cls.env["res.country.state"].search(
            [("country_id", "=", cls.argentina.id), ("name", "=ilike", "Santa Fe")],
            limit=1,
        )

    def _wizard(self, **values):
        return (
            self.env["isp.sales.ticket.create"]
            .with_user(self.seller)
            .create(
                dict(
                    {
                        "new_lead_name": "Geo",
                        "street": "Córdoba",
                        "street_number": "1234",
                        "city": "Rosario",
                        "country_id": self.argentina.id,
                    },
                    **values,
                )
            )
        )

    def test_locate(self):
        wizard = self._wizard()
        with patch(REQUESTS_GET, return_value=FakeResponse(NOMINATIM_SEARCH)) as get:
            action = wizard.action_geocode()
        self.assertEqual(action["res_id"], wizard.id)  # the wizard stays open
        self.assertAlmostEqual(wizard.latitude, -32.94683)
        self.assertAlmostEqual(wizard.longitude, -60.63932)
        self.assertFalse(wizard.geo_message)
        args, kwargs = get.call_args
        self.assertEqual(args[0], "https://nominatim.openstreetmap.org/search")
        self.assertIn("Córdoba 1234", kwargs["params"]["q"])
        self.assertIn("Rosario", kwargs["params"]["q"])
        self.assertLessEqual(kwargs["timeout"], 5)

    def test_locate_finds_nothing(self):
        wizard = self._wizard()
        with patch(REQUESTS_GET, return_value=FakeResponse([])):
            wizard.action_geocode()
        self.assertIn("found no place", wizard.geo_message)
        self.assertFalse(wizard.latitude)

    def test_locate_needs_an_address(self):
        wizard = self._wizard(street=False, street_number=False, city=False)
        with patch(REQUESTS_GET) as get:
            wizard.action_geocode()
        get.assert_not_called()
        self.assertIn("street and a city", wizard.geo_message)

    def test_geocoder_slow_or_down_leaves_the_map_usable(self):
        failures = {
            "did not answer within 5 seconds": requests.Timeout("read timeout"),
            "not available": requests.ConnectionError("no route to host"),
        }
        for message, failure in failures.items():
            with self.subTest(message=message):
                wizard = self._wizard()
                with patch(REQUESTS_GET, side_effect=failure):
                    wizard.action_geocode()
                self.assertIn(message, wizard.geo_message)
                self.assertIn("clicking on the map", wizard.geo_message)
                # the point placed on the map is all that is needed
                wizard.write({"latitude": -32.95, "longitude": -60.64})
                action = wizard.action_create()
                prospect = (
                    self.env["isp.sales.ticket"].browse(action["res_id"]).prospect_id
                )
                self.assertAlmostEqual(prospect.latitude, -32.95)
                self.assertAlmostEqual(prospect.longitude, -60.64)
        wizard = self._wizard()
        with patch(REQUESTS_GET, return_value=FakeResponse({}, status_code=503)):
            wizard.action_geocode()
        self.assertIn("not available", wizard.geo_message)
        with patch(REQUESTS_GET, return_value=FakeResponse("<html>oops")):
            wizard.action_geocode()
        self.assertIn("found no place", wizard.geo_message)

    def test_slow_geocoder_holds_the_worker_no_longer_than_its_timeout(self):
        server = ThreadingHTTPServer(("127.0.0.1", 0), SlowNominatim)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        url = f"http://127.0.0.1:{server.server_port}/search"
        wizard = self._wizard().with_context(isp_geocoder_timeout=0.5)
        with (
            patch(
                "odoo.addons.isp_sales_desk.models.base_geocoder.NOMINATIM_SEARCH_URL",
                url,
            ),
            # Odoo's test harness raises any timeout under 10 s to 10 s; the
            # plain send measures the addon's own (the server is local)
            patch.object(requests.Session, "send", test_common._super_send),
        ):
            start = time.monotonic()
            wizard.action_geocode()
            elapsed = time.monotonic() - start
        self.assertIn("did not answer", wizard.geo_message)
        # the server would answer after 3 s: the call gave up at its timeout
        self.assertLess(elapsed, SlowNominatim.delay - 1)

    def test_reverse_geocode(self):
        wizard = self._wizard(
            street=False,
            street_number=False,
            city=False,
            country_id=False,
            latitude=-32.94683,
            longitude=-60.63932,
        )
        with patch(REQUESTS_GET, return_value=FakeResponse(NOMINATIM_REVERSE)) as get:
            wizard.action_reverse_geocode()
        args, kwargs = get.call_args
        self.assertEqual(args[0], "https://nominatim.openstreetmap.org/reverse")
        self.assertEqual(kwargs["params"]["lat"], -32.94683)
        self.assertLessEqual(kwargs["timeout"], 5)
        self.assertEqual(wizard.street, "Córdoba")
        self.assertEqual(wizard.street_number, "1234")
        self.assertEqual(wizard.city, "Rosario")
        self.assertEqual(wizard.zip, "S2000")
        self.assertEqual(wizard.country_id, self.argentina)
        self.assertEqual(wizard.state_id, self.santa_fe)
        self.assertFalse(wizard.geo_message)

    def test_reverse_geocode_nothing_or_down(self):
        wizard = self._wizard(latitude=-32.9, longitude=-60.6)
        with patch(REQUESTS_GET, return_value=FakeResponse(NOMINATIM_REVERSE_NOTHING)):
            wizard.action_reverse_geocode()
        self.assertIn("no address at this point", wizard.geo_message)
        self.assertEqual(wizard.street, "Córdoba")  # what was typed stays
        with patch(REQUESTS_GET, side_effect=requests.Timeout()):
            wizard.action_reverse_geocode()
        self.assertIn("did not answer", wizard.geo_message)
        wizard = self._wizard()
        with patch(REQUESTS_GET) as get:
            wizard.action_reverse_geocode()
        get.assert_not_called()
        self.assertIn("Place the point on the map first", wizard.geo_message)
