import logging

from odoo import Command, api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import plaintext2html

from ..lib import intake

_logger = logging.getLogger(__name__)

INTAKE_GROUPS = (
    "isp_sales_desk.group_isp_sales_intake",
    "isp_sales_desk.group_isp_sales_user",
)


def intake_field_label(env, field):
    labels = {
        "name": env._("Name"),
        "phone": env._("Phone"),
        "email": env._("Email"),
        "vat": env._("ID Document"),
        "contact_type": env._("Contact Type"),
        "street": env._("Street"),
        "street_number": env._("Number"),
        "city": env._("City"),
        "zip": env._("Zip"),
        "latitude": env._("Latitude"),
        "longitude": env._("Longitude"),
        "plan_code": env._("Plan"),
        "source": env._("Source"),
        "medium": env._("Medium"),
        "campaign": env._("Campaign"),
        "note": env._("Note"),
        "external_ref": env._("External Reference"),
    }
    return labels.get(field, field)


def intake_error_message(env, error):
    """A translated message for a :class:`intake.IntakeError`."""
    params = dict(error.params)
    field = intake_field_label(env, params.get("field"))
    messages = {
        "not_text": env._("%(field)s must be text.", field=field),
        "too_long": env._(
            "%(field)s can have at most %(max)s characters.",
            field=field,
            max=params.get("max"),
        ),
        "name_required": env._("A name is required."),
        "bad_email": env._("%(field)s is not a valid e-mail address.", field=field),
        "bad_phone": env._("%(field)s is not a valid phone number.", field=field),
        "bad_contact_type": env._("The contact type must be 'person' or 'company'."),
        "unknown_argument": env._("Unknown argument %(field)s.", field=field),
        "not_a_number": env._("%(field)s must be a number.", field=field),
        "half_point": env._("Give both latitude and longitude, or neither."),
        "latitude_range": env._(
            "Latitude %(value)s is out of range: it must be between -90 and 90.",
            value=params.get("value"),
        ),
        "longitude_range": env._(
            "Longitude %(value)s is out of range: it must be between -180 and 180.",
            value=params.get("value"),
        ),
    }
    return messages[error.code]


class IspSalesLead(models.Model):
    _inherit = "isp.sales.lead"

    # ------------------------------------------------------------
    # ACTIONS (public: JSON-2)
    # ------------------------------------------------------------

    @api.model
    def intake(
        self,
        name,
        phone=None,
        email=None,
        vat=None,
        contact_type=None,
        street=None,
        street_number=None,
        city=None,
        zip=None,
        latitude=None,
        longitude=None,
        plan_code=None,
        source=None,
        medium=None,
        campaign=None,
        note=None,
        external_ref=None,
    ):
        """Take a request from outside (a website, lead ads, a call centre)
        into the desk in one call: a lead (reused when phone, e-mail or ID
        document match), a prospect with the point and the plan, and a ticket
        assigned round-robin. An uncovered place becomes demand: a ticket lost
        for *No coverage*, tagged *Waiting list*.

        Retried with the same ``external_ref``, it returns the first result
        (``created`` false). Returns ``{lead_id, prospect_id, ticket_id,
        ticket_name, coverage, duplicate, created}``.
        """
        if not self.env.su and not any(
            self.env.user.has_group(group) for group in INTAKE_GROUPS
        ):
            raise AccessError(
                self.env._("You are not allowed to send leads to the sales desk.")
            )
        values = self._isp_intake_clean(
            name=name,
            phone=phone,
            email=email,
            vat=vat,
            contact_type=contact_type,
            street=street,
            street_number=street_number,
            city=city,
            zip=zip,
            latitude=latitude,
            longitude=longitude,
            plan_code=plan_code,
            source=source,
            medium=medium,
            campaign=campaign,
            note=note,
            external_ref=external_ref,
        )
        # the caller may be a bot that reads nothing: the work is done as
        # superuser, in the caller's company only
        return (
            self.sudo()
            .with_company(self.env.company)
            .with_context(mail_create_nosubscribe=True)
            ._isp_intake(values)
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _isp_intake_clean(self, **values):
        try:
            return intake.clean(**values)
        except intake.IntakeError as error:
            raise ValidationError(intake_error_message(self.env, error)) from error

    @api.model
    def _isp_intake(self, values, plan=None):
        """The work of :meth:`intake`, on checked ``values``; call as superuser.

        ``plan`` (a product) replaces ``values["plan_code"]`` when the caller
        already chose it (the availability page lists the published plans)."""
        # the seller hears of the request once, by its follow-up activity,
        # not by one assignment e-mail for the lead and another for the ticket
        return self.with_context(
            mail_create_nosubscribe=True, mail_auto_subscribe_no_notify=True
        )._isp_intake_records(values, plan)

    @api.model
    def _isp_intake_records(self, values, plan):
        company = self.env.company
        Ticket = self.env["isp.sales.ticket"].with_context(active_test=False)
        if values["external_ref"]:
            done = Ticket.search(
                [
                    ("external_ref", "=", values["external_ref"]),
                    ("company_id", "=", company.id),
                ],
                limit=1,
            )
            if done:
                # the first answer again: the lead was reused then if it had
                # an older ticket
                reused = Ticket.search_count(
                    [("lead_id", "=", done.lead_id.id), ("id", "<", done.id)], limit=1
                )
                return done._isp_intake_result(duplicate=bool(reused), created=False)
        if plan is None:
            plan = self._isp_intake_plan(values["plan_code"])
        lead = self._isp_find_duplicates(
            phone=values["phone"], email=values["email"], vat=values["vat"], limit=1
        )
        duplicate = bool(lead)
        seller = self._isp_intake_next_seller()
        if not lead:
            lead = self.with_context(mail_create_nolog=True).create(
                self._isp_intake_lead_values(values, seller)
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
        prospect = self.env["isp.sales.prospect"].create(prospect_values)
        ticket_values = {"prospect_id": prospect.id, "user_id": seller.id}
        if values["note"]:
            ticket_values["description"] = plaintext2html(values["note"])
        ticket = Ticket.create(ticket_values)
        if values["external_ref"]:
            ticket._isp_claim_external_ref(values["external_ref"])
        if prospect.coverage == "uncovered":
            # demand without coverage: waiting list, back when a node reaches it
            ticket.tag_ids = self.env.ref("isp_sales_desk.isp_sales_tag_waiting_list")
            ticket.action_set_lost(
                self.env.ref("isp_sales_desk.loss_reason_no_coverage").id
            )
        elif seller:
            # the activity shows in the seller's activities at once; no e-mail
            # sent while the caller waits (quick update: no assignment mail)
            ticket.with_context(mail_activity_quick_update=True).activity_schedule(
                "isp_sales_desk.mail_activity_type_intake_contact",
                user_id=seller.id,
                note=self.env._(
                    "New request (origin: %(origin)s): contact %(name)s.",
                    origin=lead.source_id.name or "-",
                    name=lead.name,
                ),
            )
        return ticket._isp_intake_result(duplicate=duplicate, created=True)

    @api.model
    def _isp_intake_plan(self, plan_code):
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
    def _isp_intake_lead_values(self, values, seller):
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
        for field, (model, name) in utm.items():
            if name:
                lead_values[field] = self._find_or_create_record(model, name).id
        return lead_values

    @api.model
    def _isp_intake_next_seller(self):
        """The next seller of the company's round robin (none if none chosen)."""
        sellers = self.env.company.isp_intake_user_ids.filtered("active").sorted("id")
        if not sellers:
            return self.env["res.users"]
        # a PostgreSQL sequence: concurrent intakes never wait on each other
        turn = int(
            self.env["ir.sequence"].next_by_code("isp.sales.intake.round.robin") or 0
        )
        return sellers[turn % len(sellers)]
