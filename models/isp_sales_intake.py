"""The intake: requests from outside the desk become leads, prospects and
tickets. A service, not one record's behaviour: three entry points, one way
of taking a request in.

* ``_from_api(values)``: ``isp.sales.lead.intake`` over JSON-2 (a website,
  lead ads, a call centre), for the *Intake (API)* group and the sellers;
* ``_from_page(values, plan)``: the public availability page ``/isp/coverage``;
* ``_from_mail(msg_dict)``: an e-mail to the desk's alias, through the mail
  gateway (``isp.sales.ticket.message_new``).

Each entry point checks who calls it; the work is then done as superuser (a
bot or a visitor reads nothing of the desk), in the caller's company only,
in one transaction: a lead (reused when phone, e-mail or ID document match),
a prospect with the point and the plan, and a ticket assigned round-robin.
An uncovered place becomes demand: a ticket lost for *No coverage*, tagged
*Waiting list*, that the network brings back when it reaches the place.
"""

import hashlib
import json

from odoo import Command, api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import escape_psql
from odoo.tools.mail import email_normalize, parse_contact_from_email

from ..lib import intake
from .rule_messages import rule_message
from .text_html import text_html

EMAIL_SOURCE = "E-mail"
WEBSITE_SOURCE = "Sitio web"


class IntakeConflict(UserError):
    """An external reference reused for another request: HTTP 409."""

    http_status = 409


class IspSalesIntake(models.AbstractModel):
    _name = "isp.sales.intake"
    _description = "Sales Desk Intake"

    # ------------------------------------------------------------
    # ENTRY POINTS
    # ------------------------------------------------------------

    @api.model
    def _from_api(self, values):
        """The JSON-2 intake, on the caller's raw arguments (the caller's
        right to use it was checked by ``isp.sales.lead.intake``)."""
        return self._take(self._clean(**values))

    @api.model
    def _from_page(self, values, plan):
        """A visitor's request from the public page: ``values`` are cleaned
        already, ``plan`` is one of the published plans (or empty). Its
        medium and campaign come from the URL: only existing ones are
        taken, a visitor creates none."""
        return self._take(
            dict(values, source=WEBSITE_SOURCE), plan=plan, create_utm=False
        )

    @api.model
    def _from_mail(self, msg_dict):
        """An e-mail to the desk's alias, from the mail gateway.

        A new sender becomes a lead (name and address of the sender), a
        prospect without a point and a pending ticket with origin *E-mail*. A
        sender who already has an open ticket writes on it instead. The mail
        gateway then posts the mail in the chatter of the ticket returned.
        """
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        email = email_normalize(email) or ""
        Lead = self._env_as_system()["isp.sales.lead"]
        if email:
            open_ticket = self._open_ticket_of(Lead._isp_find_duplicates(email=email))
            if open_ticket:
                return open_ticket
        name = (name or email or msg_dict.get("subject") or "-").strip()
        try:
            values = intake.clean(
                name=name[: intake.MAX_LENGTHS["name"]],
                email=email[: intake.MAX_LENGTHS["email"]],
                source=EMAIL_SOURCE,
            )
        except intake.IntakeError:
            # an odd sender address: keep the lead, and the address in the mail
            values = intake.clean(name=name[: intake.MAX_LENGTHS["name"]])
            values["source"] = EMAIL_SOURCE
        result = self._take(values)
        return self._env_as_system()["isp.sales.ticket"].browse(result["ticket_id"])

    # ------------------------------------------------------------
    # THE WORK
    # ------------------------------------------------------------

    @api.model
    def _clean(self, **values):
        try:
            return intake.clean(**values)
        except intake.IntakeError as error:
            raise ValidationError(rule_message(self.env, error)) from error

    @api.model
    def _env_as_system(self):
        """The environment of the work: superuser, in the caller's company
        only, without subscribing the caller or e-mailing the seller twice
        (the seller hears of the request once, by its follow-up activity)."""
        company = self.env.company
        return (
            self.sudo()
            .with_company(company)
            .with_context(
                allowed_company_ids=[company.id],
                mail_create_nosubscribe=True,
                mail_auto_subscribe_no_notify=True,
            )
            .env
        )

    @api.model
    def _take(self, values, plan=None, create_utm=True):
        """Take checked ``values`` in; ``plan`` (a product) replaces
        ``values["plan_code"]`` when the caller already chose it (the
        availability page lists the published plans); a medium or campaign
        not known yet is created only when ``create_utm``."""
        return self.with_env(self._env_as_system())._take_as_system(
            values, plan, create_utm
        )

    @api.model
    def _take_as_system(self, values, plan, create_utm=True):
        env = self.env
        company = env.company
        Ticket = env["isp.sales.ticket"].with_context(active_test=False)
        fingerprint = self._fingerprint(values)
        if values["external_ref"]:
            done = Ticket.search(
                [
                    ("external_ref", "=", values["external_ref"]),
                    ("company_id", "=", company.id),
                ],
                limit=1,
            )
            if done and done.external_ref_fingerprint not in (False, fingerprint):
                # a ticket of before the fingerprint (False) answers as always
                raise IntakeConflict(
                    env._(
                        "The external reference %(reference)s was already used "
                        "for another request: send a new reference with each "
                        "new request, and the same one only to retry it.",
                        reference=values["external_ref"],
                    )
                )
            if done:
                # the first answer again: the lead was reused then if it had
                # an older ticket
                reused = Ticket.search_count(
                    [("lead_id", "=", done.lead_id.id), ("id", "<", done.id)], limit=1
                )
                return done._isp_intake_result(duplicate=bool(reused), created=False)
        if plan is None:
            plan = self._plan(values["plan_code"])
        Lead = env["isp.sales.lead"]
        lead = Lead._isp_find_duplicates(
            phone=values["phone"], email=values["email"], vat=values["vat"], limit=1
        )
        duplicate = bool(lead)
        seller = self._next_seller()
        if not lead:
            # two requests of one person at once: the second waits for the
            # first, and is retried to find its lead (isp.sales.intake.claim)
            keys = Lead._isp_duplicate_keys(
                values["phone"], values["email"], values["vat"]
            )
            env["isp.sales.intake.claim"]._isp_claim(
                company, [f"{kind}:{key}" for kind, key in keys.items()]
            )
            lead = Lead.with_context(mail_create_nolog=True).create(
                self._lead_values(values, seller, create_utm)
            )
        prospect_values = {
            "lead_id": lead.id,
            "company_id": company.id,
            "street": values["street"] or False,
            "street_number": values["street_number"] or False,
            "city": values["city"] or False,
            "zip": values["zip"] or False,
            "line_ids": [Command.create({"product_id": plan.id})] if plan else [],
        }
        if values["latitude"] is not None:
            prospect_values.update(
                latitude=values["latitude"], longitude=values["longitude"]
            )
        prospect = env["isp.sales.prospect"].create(prospect_values)
        ticket_values = {"prospect_id": prospect.id, "user_id": seller.id}
        if values["note"]:
            ticket_values["description"] = text_html(values["note"])
        ticket = Ticket.create(ticket_values)
        if values["external_ref"]:
            ticket._isp_claim_external_ref(values["external_ref"], fingerprint)
        if prospect.coverage == "uncovered":
            # demand without coverage: waiting list, back when a node reaches it
            ticket.tag_ids = env.ref("isp_sales_desk.isp_sales_tag_waiting_list")
            ticket.action_set_lost(env.ref("isp_sales_desk.loss_reason_no_coverage").id)
        elif seller:
            # the activity shows in the seller's activities at once; no e-mail
            # sent while the caller waits (quick update: no assignment mail)
            ticket.with_context(mail_activity_quick_update=True).activity_schedule(
                "isp_sales_desk.mail_activity_type_intake_contact",
                user_id=seller.id,
                # the visitor's or sender's name, as text
                note=text_html(
                    env._(
                        "New request (origin: %(origin)s): contact %(name)s.",
                        origin=lead.source_id.name or "-",
                        name=lead.name,
                    )
                ),
            )
        return ticket._isp_intake_result(duplicate=duplicate, created=True)

    @api.model
    def _fingerprint(self, values):
        """What a request asked, as a short digest of its cleaned values."""
        text = json.dumps(values, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    @api.model
    def _plan(self, plan_code):
        if not plan_code:
            return self.env["product.product"]
        plan = self.env["product.product"].search(
            [
                ("default_code", "=", plan_code),
                ("service_kind", "=", "plan"),
                ("company_id", "in", [False, self.env.company.id]),
            ],
            limit=1,
        )
        if not plan:
            raise ValidationError(
                self.env._(
                    "There is no internet plan with code %(code)s.", code=plan_code
                )
            )
        return plan

    @api.model
    def _lead_values(self, values, seller, create_utm=True):
        utm = {
            "source_id": ("utm.source", values["source"]),
            "medium_id": ("utm.medium", values["medium"]),
            "campaign_id": ("utm.campaign", values["campaign"]),
        }
        lead_values = {
            "name": values["name"],
            "contact_type": values["contact_type"],
            "phone": values["phone"] or False,
            "email": values["email"] or False,
            "vat": values["vat"] or False,
            "user_id": seller.id,
            "company_id": self.env.company.id,
        }
        # an origin first seen here is one of the desk's (listed first)
        Intake = self.with_context(default_isp_desk_origin=True)
        for field, (model, name) in utm.items():
            # the source is the caller's or the desk's own word, never a URL's
            create = create_utm or field == "source_id"
            lead_values[field] = Intake._utm_record(model, name, create).id
        return lead_values

    @api.model
    def _utm_record(self, model, name, create):
        """The ``model`` record named ``name`` (any case, its characters as
        they are: "%" is no wildcard), created when missing if ``create``."""
        Model = self.env[model]
        name = (name or "").strip()
        if not name:
            return Model
        record = Model.search([("name", "=ilike", escape_psql(name))], limit=1)
        if record or not create:
            return record
        values = {"name": name}
        if "is_auto_campaign" in Model._fields:
            values["is_auto_campaign"] = True
        return Model.create(values)

    @api.model
    def _next_seller(self):
        """The next seller of the company's round robin: the sellers chosen
        in Settings, else every user of the desk (a request must reach
        someone); none only when the desk has no user."""
        sellers = self.env.company._isp_intake_receivers()
        if not sellers:
            return self.env["res.users"]
        # a PostgreSQL sequence: concurrent intakes never wait on each other
        turn = int(
            self.env["ir.sequence"].next_by_code("isp.sales.intake.round.robin") or 0
        )
        return sellers[turn % len(sellers)]

    @api.model
    def _open_ticket_of(self, leads):
        if not leads:
            return self.env["isp.sales.ticket"]
        return (
            self.env["isp.sales.ticket"]
            .sudo()
            .search(
                [
                    ("lead_id", "in", leads.ids),
                    ("state", "in", ("pending", "in_progress")),
                ],
                order="id desc",
                limit=1,
            )
        )
