import logging

import requests

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# a seller waits for the geocoder; past this, the map is quicker
GEOCODER_TIMEOUT = 5  # seconds
NOMINATIM_SEARCH_URL = "https://nominatim.openstreetmap.org/search"
NOMINATIM_REVERSE_URL = "https://nominatim.openstreetmap.org/reverse"
GEOCODER_HEADERS = {"User-Agent": "Odoo isp_sales_desk (base_geolocalize)"}


class GeocoderError(UserError):
    """The geocoder did not answer usefully; ``code`` is ``slow`` or ``down``,
    for the desk's own words, the message is core's (what Contacts shows).

    A UserError, so that ``base.geocoder.geo_find`` passes it on instead of
    turning it into "not found"."""

    def __init__(self, code, message=None):
        super().__init__(message or code)
        self.code = code


class BaseGeocoder(models.AbstractModel):
    """Odoo's geocoder, with a timeout and a clear failure.

    ``base_geolocalize`` calls Nominatim without a timeout, so a slow server
    would hold the seller (and a worker) indefinitely, and it answers a
    failure as "not found". The sales desk keeps Odoo's provider choice and
    address formatting, and adds both. Reverse geocoding (a point into an
    address) is not in ``base_geolocalize`` for the sales desk's use: its
    own helper is disabled under tests and returns a raw answer.
    """

    _inherit = "base.geocoder"

    @api.model
    def _call_openstreetmap(self, addr, **kw):
        if not addr:
            return None
        params = {"format": "jsonv2", "q": addr, "limit": 1}
        if kw.get("force_country"):
            params["countrycodes"] = kw["force_country"].lower()
        result = self._isp_nominatim(NOMINATIM_SEARCH_URL, params)
        try:
            return float(result[0]["lat"]), float(result[0]["lon"])
        except (IndexError, KeyError, TypeError, ValueError):
            return None

    @api.model
    def _isp_reverse_geocode(self, latitude, longitude):
        """Nominatim's address parts at the point, or {} when none."""
        result = self._isp_nominatim(
            NOMINATIM_REVERSE_URL,
            {
                "format": "jsonv2",
                "lat": latitude,
                "lon": longitude,
                "addressdetails": 1,
            },
        )
        return (isinstance(result, dict) and result.get("address")) or {}

    @api.model
    def _isp_timeout(self):
        """Seconds to wait: the seller's default, or less where a caller
        asks (the public availability page answers at once)."""
        asked = self.env.context.get("isp_geocoder_timeout")
        if isinstance(asked, (int, float)) and 0 < asked < GEOCODER_TIMEOUT:
            return asked
        return GEOCODER_TIMEOUT

    @api.model
    def _isp_nominatim(self, url, params):
        try:
            response = requests.get(
                url,
                params=params,
                headers=GEOCODER_HEADERS,
                timeout=self._isp_timeout(),
            )
            response.raise_for_status()
            return response.json()
        except requests.Timeout as error:
            raise self._isp_error("slow", error) from error
        except (requests.RequestException, ValueError) as error:
            _logger.info("Geocoder call failed: %s", error)
            raise self._isp_error("down", error) from error

    @api.model
    def _isp_error(self, code, error):
        """The failure with core's message ("Error with geolocation server:
        ..."), so that outside the desk (Contacts' geo_localize) nothing
        changes but the timeout."""
        try:
            self._raise_query_error(error)
        except UserError as core_error:
            return GeocoderError(code, core_error.args[0])
        return GeocoderError(code)
