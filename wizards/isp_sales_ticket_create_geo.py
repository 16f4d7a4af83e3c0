from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.base_geocoder import GEOCODER_TIMEOUT, GeocoderError


class IspSalesTicketCreate(models.TransientModel):
    """Step 3 of the creation wizard: an address into a point, and a point
    into an address, through Odoo's ``base.geocoder``. A geocoder that is
    down or slow only leaves a message: the map still takes a click."""

    _inherit = "isp.sales.ticket.create"

    geo_message = fields.Char(string="Geocoder Message", readonly=True)

    @api.onchange("latitude", "longitude")
    def _onchange_point(self):
        self.geo_message = False

    def action_geocode(self):
        """Address typed in step 2 -> point on the map."""
        self.ensure_one()
        street = " ".join(filter(None, [self.street, self.street_number]))
        if not (street or self.city):
            return self._isp_geo_done(
                self.env._("Type at least a street and a city to locate the address.")
            )
        Geocoder = self.env["base.geocoder"]
        address = Geocoder.geo_query_address(
            street=street or None,
            zip=self.zip or None,
            city=self.city or None,
            state=self.state_id.name or None,
            country=self.country_id.name or None,
        )
        try:
            point = Geocoder.geo_find(address, force_country=self.country_id.code)
        except UserError as error:
            return self._isp_geo_done(self._isp_geocoder_error_message(error))
        if not point:
            return self._isp_geo_done(
                self.env._(
                    "The geocoder found no place for %(address)s. "
                    "Check the address, or click on the map.",
                    address=address,
                )
            )
        self.write({"latitude": point[0], "longitude": point[1]})
        return self._isp_geo_done(False)

    def action_reverse_geocode(self):
        """Point on the map -> address of step 2."""
        self.ensure_one()
        if not (self.latitude or self.longitude):
            return self._isp_geo_done(self.env._("Place the point on the map first."))
        try:
            address = self.env["base.geocoder"]._isp_reverse_geocode(
                self.latitude, self.longitude
            )
        except UserError as error:
            return self._isp_geo_done(self._isp_geocoder_error_message(error))
        if not address:
            return self._isp_geo_done(
                self.env._("The geocoder found no address at this point; type it in.")
            )
        self.write(self._isp_address_values(address))
        return self._isp_geo_done(False)

    def _isp_geo_done(self, message):
        self.geo_message = message
        return self._isp_reopen()

    def _isp_geocoder_error_message(self, error):
        if getattr(error, "code", None) == "slow":
            return self.env._(
                "The geocoder did not answer within %(seconds)s seconds. "
                "Place the point by clicking on the map.",
                seconds=GEOCODER_TIMEOUT,
            )
        if isinstance(error, GeocoderError):
            return self.env._(
                "The geocoder is not available right now. "
                "Place the point by clicking on the map."
            )
        return error.args[0]

    def _isp_address_values(self, address):
        """Nominatim's address parts as the wizard's address fields."""
        values = {
            "street": address.get("road") or address.get("pedestrian") or False,
            "street_number": address.get("house_number") or False,
            "city": address.get("city")
            or address.get("town")
            or address.get("village")
            or address.get("municipality")
            or False,
            "zip": address.get("postcode") or False,
        }
        country = self.env["res.country"]
        if address.get("country_code"):
            country = country.search(
                [("code", "=ilike", address["country_code"])], limit=1
            )
        if country:
            values["country_id"] = country.id
        if address.get("state"):
            values["state_id"] = (
                self.env["res.country.state"]
                .search(
                    [
                        ("name", "=ilike", address["state"]),
                        ("country_id", "=", (country or self.country_id).id),
                    ],
                    limit=1,
                )
                .id
            )
        return values
