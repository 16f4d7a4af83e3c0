from odoo import models
from odoo.http import request

# the public availability page's routes (controllers/coverage_page.py)
COVERAGE_PATHS = ("/isp/coverage", "/isp/coverage/check")


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _set_utm(cls, response):
        """The public availability page sets no tracking cookie: it carries
        its utm values in its own form, it is embedded in other sites, and
        werkzeug refuses a cookie for the host "localhost" (a bare Internal
        Server Error for the visitor)."""
        if request.httprequest.path in COVERAGE_PATHS:
            return
        super()._set_utm(response)
