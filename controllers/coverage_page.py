"""The public availability page: /isp/coverage.

No login, no dependency on the website app, embeddable in the ISP's own site
(an iframe). It tells a visitor whether the service reaches a place (the
verdict only) and lands the request in the desk through the intake.
"""

import hmac
import logging
import time

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools.misc import hmac as odoo_hmac

from ..lib import intake
from ..models.res_config_settings import DEFAULT_CHECK_LIMIT, DEFAULT_SUBMIT_LIMIT
from ..models.rule_messages import rule_message

_logger = logging.getLogger(__name__)

TOKEN_SCOPE = "isp_sales_desk.coverage_page"
TOKEN_MAX_AGE = 4 * 3600  # seconds a page may stay open before sending
# a visitor waits at most this for a typed address to be located
PAGE_GEOCODER_TIMEOUT = 2  # seconds
FORM_FIELDS = ("name", "phone", "email", "street", "street_number", "city", "zip")
HONEYPOT = "company_website"


class IspCoveragePage(http.Controller):
    # ------------------------------------------------------------
    # ROUTES
    # ------------------------------------------------------------

    # it only reads: served by the read replica when there is one
    @http.route(
        "/isp/coverage", type="http", auth="public", methods=["GET"], readonly=True
    )
    def coverage_page(self, **params):
        self._check_enabled()
        if not self._all_text(params):
            return self._unreadable()
        return self._render(
            {
                "values": {},
                "utm_medium": self._utm(params, "utm_medium"),
                "utm_campaign": self._utm(params, "utm_campaign"),
            }
        )

    @http.route(
        "/isp/coverage/check",
        type="http",
        auth="public",
        methods=["GET"],
        readonly=False,
    )
    def coverage_check(self, latitude=None, longitude=None, **_params):
        """The verdict at a point, as JSON: ``{answer, message}``."""
        self._check_enabled()
        env = self._env()
        if not self._all_text(request.params):
            return request.make_json_response(
                {"message": self._unreadable_message(env)}, status=400
            )
        if not self._allowed("check"):
            return request.make_json_response(
                {"message": env._("Too many checks; wait a minute and try again.")},
                status=429,
            )
        try:
            values = intake.clean(name="-", latitude=latitude, longitude=longitude)
        except intake.IntakeError as error:
            return request.make_json_response(
                {"message": rule_message(env, error)}, status=422
            )
        answer = self._answer(env, values["latitude"], values["longitude"])
        return request.make_json_response(
            {"answer": answer, "message": self._answer_message(env, answer)}
        )

    @http.route(
        "/isp/coverage", type="http", auth="public", methods=["POST"], csrf=False
    )
    def coverage_submit(self, **params):
        """Odoo's own CSRF check needs the session cookie, which a browser does
        not send to a page embedded in another site; the form carries a signed,
        time-limited token of its own instead."""
        self._check_enabled()
        env = self._env()
        if not self._all_text(params):
            return self._unreadable()
        if not self._token_valid(params.get("token")):
            return self._render(
                {
                    "error": env._(
                        "This form has expired: reload the page and send it again."
                    )
                },
                status=400,
            )
        values = {field: params.get(field) or "" for field in FORM_FIELDS}
        context = {
            "values": values,
            "utm_medium": self._utm(params, "utm_medium"),
            "utm_campaign": self._utm(params, "utm_campaign"),
        }
        if params.get(HONEYPOT):
            # a bot filled the field people never see: thank it, keep nothing
            return self._render(dict(context, answer="check", thanks=True))
        if not self._allowed("submit"):
            return self._render(
                dict(
                    context,
                    error=env._(
                        "You have sent many requests in a short time. "
                        "Please try again later."
                    ),
                ),
                status=429,
            )
        try:
            cleaned = intake.clean(
                **values,
                latitude=params.get("latitude"),
                longitude=params.get("longitude"),
                medium=context["utm_medium"],
                campaign=context["utm_campaign"],
                note=params.get("note"),
            )
            plan = self._published_plan(env, params.get("plan_id"))
        except intake.IntakeError as error:
            return self._render(
                dict(context, error=rule_message(env, error)), status=422
            )
        if not (cleaned["phone"] or cleaned["email"]):
            return self._render(
                dict(context, error=env._("Leave a phone or an e-mail to reach you.")),
                status=422,
            )
        if cleaned["latitude"] is None:
            point = self._geocode(cleaned)
            if point:
                cleaned["latitude"], cleaned["longitude"] = point
        try:
            with env.cr.savepoint():
                result = env["isp.sales.intake"]._from_page(cleaned, plan)
        except ValidationError as error:
            return self._render(dict(context, error=str(error)), status=422)
        answer = intake.public_answer(result["coverage"])
        return self._render(dict(context, answer=answer, thanks=True))

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _env(self):
        """The request's environment in the visitor's language."""
        lang = self._visitor_lang()
        if lang and lang != request.env.lang:
            request.update_context(lang=lang)
        return request.env

    def _visitor_lang(self):
        installed = [code for code, _name in request.env["res.lang"].get_installed()]
        asked = request.params.get("lang")
        wanted = [asked if isinstance(asked, str) else ""]
        wanted += [value for value, _quality in request.httprequest.accept_languages]
        for value in wanted:
            code = value.replace("-", "_")
            if code in installed:
                return code
            primary = code.split("_")[0].lower()
            for candidate in installed:
                if primary and candidate.split("_")[0].lower() == primary:
                    return candidate
        return None

    @staticmethod
    def _all_text(params):
        """Whether every value sent is text: a form of this page sends no
        file (a file in ``token``, ``lang`` or ``utm_*`` was a traceback)."""
        return all(isinstance(value, str) for value in params.values())

    @staticmethod
    def _utm(params, name):
        value = params.get(name)
        return value.strip()[:64] if isinstance(value, str) else ""

    def _unreadable_message(self, env):
        return env._("This form could not be read: reload the page and send it again.")

    def _unreadable(self):
        return self._render(
            {"error": self._unreadable_message(self._env())}, status=400
        )

    def _check_enabled(self):
        if not request.env.company.sudo().isp_coverage_page:
            raise NotFound()

    def _limit(self, kind):
        key, default = {
            "check": ("isp_sales_desk.coverage_check_limit", DEFAULT_CHECK_LIMIT),
            "submit": ("isp_sales_desk.coverage_submit_limit", DEFAULT_SUBMIT_LIMIT),
        }[kind]
        return request.env["ir.config_parameter"]._isp_get_int(key, default)

    def _allowed(self, kind):
        window = 60 if kind == "check" else 3600
        return (
            request.env["isp.coverage.rate.limit"]
            .sudo()
            ._isp_hit(
                kind,
                request.httprequest.remote_addr or "?",
                self._limit(kind),
                window,
            )
        )

    def _token(self):
        stamp = str(int(time.time()))
        return f"{stamp}.{odoo_hmac(request.env(su=True), TOKEN_SCOPE, stamp)}"

    def _token_valid(self, token):
        stamp, _dot, signature = (token or "").partition(".")
        if not intake.token_fresh(stamp, int(time.time()), TOKEN_MAX_AGE):
            return False
        expected = odoo_hmac(request.env(su=True), TOKEN_SCOPE, stamp)
        return hmac.compare_digest(expected, signature)

    def _published_plans(self, env):
        return (
            env["product.product"]
            .sudo()
            .search(
                [
                    ("service_kind", "=", "plan"),
                    ("isp_published", "=", True),
                    ("company_id", "in", [False, env.company.id]),
                ],
                order="list_price, id",
            )
        )

    def _published_plan(self, env, plan_id):
        if not plan_id:
            return env["product.product"]
        try:
            plan_id = int(plan_id)
        except (TypeError, ValueError) as error:
            raise intake.IntakeError("unknown_plan", field="plan_code") from error
        plan = self._published_plans(env).filtered(lambda p: p.id == plan_id)
        if not plan:
            raise intake.IntakeError("unknown_plan", field="plan_code")
        return plan

    def _answer(self, env, latitude, longitude):
        if latitude is None:
            return "check"
        (_node, _distance, verdict) = (
            env["isp.network.node"]
            .sudo()
            ._isp_coverage([(latitude, longitude, env.company.id)])[0]
        )
        return intake.public_answer(verdict)

    def _answer_message(self, env, answer):
        return {
            "yes": env._("We have coverage"),
            "check": env._("We need to check"),
            "not_yet": env._("We are not there yet; we will let you know"),
        }[answer]

    def _geocode(self, values):
        """A point for the typed address, through Odoo's geocoder, when it
        answers within the page's short timeout."""
        if not (values["street"] and values["city"]):
            return None
        street = " ".join(filter(None, [values["street"], values["street_number"]]))
        country = request.env.company.country_id
        Geocoder = (
            request.env["base.geocoder"]
            .sudo()
            .with_context(isp_geocoder_timeout=PAGE_GEOCODER_TIMEOUT)
        )
        address = Geocoder.geo_query_address(
            street=street, city=values["city"], country=country.name or None
        )
        try:
            point = Geocoder.geo_find(address, force_country=country.code)
        except UserError as err:
            _logger.info("Availability page: address not located (%s)", err)
            return None
        if not point:
            return None
        try:
            intake.clean(name="-", latitude=point[0], longitude=point[1])
        except intake.IntakeError:
            return None
        return point

    def _render(self, qcontext, status=200):
        env = self._env()
        values = dict(
            {"values": {}, "utm_medium": "", "utm_campaign": ""},
            **qcontext,
            token=self._token(),
            plans=self._published_plans(env),
            map_settings=env["isp.sales.map"]._public_map_settings(),
            honeypot=HONEYPOT,
            lang=env.lang,
        )
        if values.get("answer"):
            values["answer_message"] = self._answer_message(env, values["answer"])
        response = request.render("isp_sales_desk.coverage_page", values, status=status)
        # embeddable in the ISP's own site (Odoo sets no X-Frame-Options here)
        response.headers["Content-Security-Policy"] = "frame-ancestors *"
        response.headers["Cache-Control"] = "no-store"
        return response
