import hmac
from datetime import timedelta

import pytz
from psycopg2.errors import UniqueViolation

from odoo import _, api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.tools import SQL, format_amount
from odoo.tools.misc import babel_locale_parse

from ..lib import slots, ticket_status

SLOT_SEAT_INDEX = "isp_sales_order_isp_slot_seat_uniq"
DEFAULT_LINK_DAYS = 30  # a closed ticket's page stays open this long
FIRST_LOOK_DAYS = 7  # the free slots are looked for in a week, then further


class SlotRefused(UserError):
    """A slot choice that the page refuses with its reason (a 4xx)."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


class IspSalesStatusPage(models.AbstractModel):
    """The customer's private status page of a ticket (``/isp/status/<id>``,
    controllers/status_page.py): no login, the ticket's portal token.

    It shows the plan and the monthly total, the address and its coverage, the
    steps of the sale up to the installation, and lets the customer choose
    the installation slot among the free windows of the team that installs in
    the area (lib/slots.py). The page's visitor has no rights: everything here
    runs as the system, on the one ticket that the token opens, and does only
    what the page offers.
    """

    _name = "isp.sales.status.page"
    _description = "Sales Desk Customer Status Page"

    # ------------------------------------------------------------
    # ENTRY POINTS (the controller's)
    # ------------------------------------------------------------

    @api.model
    def _find_ticket(self, ticket_id, token):
        """The ticket that ``token`` opens, or an empty recordset: a wrong,
        revoked (replaced) or expired token opens nothing, and which of these
        it was is not told."""
        Ticket = self.env["isp.sales.ticket"].sudo()
        if not isinstance(token, str) or not token or len(token) > 64:
            return Ticket
        ticket = Ticket.browse(ticket_id).exists()
        if (
            not ticket
            or not ticket.active
            or not ticket.access_token
            or not hmac.compare_digest(ticket.access_token.encode(), token.encode())
            or self._expired(ticket)
        ):
            return Ticket
        return ticket

    @api.model
    def _lang(self, ticket):
        """The customer's language, when it is installed."""
        lang = ticket.lead_id.partner_id.lang
        installed = dict(self.env["res.lang"].get_installed())
        return lang if lang in installed else None

    @api.model
    def _values(self, ticket):
        """What the page shows (its template's values), in the language of
        ``self.env``."""
        ticket = ticket.sudo()
        env = self.env
        lang = env.lang or "en_US"
        currency = ticket.currency_id or ticket.company_id.currency_id
        order = self._slot_order(ticket)
        installation = self._installation(ticket)
        team_tz = self._tz(installation)
        company = ticket.company_id
        prospect = ticket.prospect_id
        steps = self._steps(ticket, installation, team_tz)
        can_choose = bool(order) and self._can_choose(order)
        return {
            "ticket": ticket,
            "company": company,
            "customer_name": (ticket.lead_id.name or "").split(" ")[0],
            "plan": ticket.plan_product_id.name or "",
            "monthly_total": format_amount(env, ticket.amount_total, currency, lang),
            "one_time_total": ticket.amount_one_time
            and format_amount(env, ticket.amount_one_time, currency, lang),
            "address": ", ".join(
                filter(
                    None,
                    [
                        " ".join(
                            filter(None, [prospect.street, prospect.street_number])
                        ),
                        prospect.street2,
                        prospect.city,
                    ],
                )
            ),
            "coverage": ticket.with_context(lang=lang)._isp_coverage_words(),
            "steps": steps,
            "closed": ticket.state == ticket_status.LOST,
            "slots": [
                {
                    "value": slots.format_start(slot.start),
                    "label": self._window_label(slot.start, slot.end, team_tz),
                }
                for slot in (self._free_slots(order) if can_choose else [])
            ],
            "can_choose": can_choose,
            "cutoff_hours": self._cutoff_hours(),
            "phone": company.isp_desk_phone or company.phone or "",
            "whatsapp_url": self._whatsapp_url(company.isp_desk_whatsapp),
            "action": f"{ticket.access_url}/slot",
            "token": ticket.access_token,
        }

    @api.model
    def _choose_slot(self, ticket, value):
        """Schedule the ticket's installation at the slot starting at
        ``value`` (ISO 8601, UTC). Refused (:class:`SlotRefused`) when the
        slot is in the past, not offered, after the cut-off or just taken."""
        order = self._slot_order(ticket)
        if not order:
            raise SlotRefused(
                _("Your installation cannot be scheduled from this page yet."),
                "no_order",
            )
        start, end = self._check_choice(order, value)
        self._claim(order, start, end)
        return order

    # ------------------------------------------------------------
    # SLOTS
    # ------------------------------------------------------------

    @api.model
    def _check_choice(self, order, value):
        """The window (start, end) chosen by ``value`` once every rule of
        lib/slots.py passed."""
        now = fields.Datetime.now()
        cutoff = self._cutoff_hours()
        try:
            start = slots.parse_start(value)
            windows = self._windows(order, now)
            offered = {
                slot.start: slot.end
                for slot in self._free_slots(order, windows=windows, now=now)
            }
            slots.check_choice(
                start,
                {window_start for window_start, _end in windows},
                offered,
                order.scheduled_date or None,
                now,
                cutoff,
            )
        except slots.SlotError as error:
            raise SlotRefused(self._slot_message(error), error.code) from error
        return start, offered[start]

    @api.model
    def _claim(self, order, start, end):
        """Take a seat of the window for ``order`` and schedule it there.

        The seat is the lowest one free (lib/slots.py); a unique index holds
        one open order per team, window and seat, so that of two customers
        taking the last seat at once, the second fails here and its request
        is run again by Odoo, which then finds the window full and offers the
        next one."""
        planning = order._fsm_planning()
        team = planning.team_id
        capacity = self._capacity(team)
        planned = len(self._planned_starts(team, start, end, exclude=planning))
        used = set(
            self.env["isp.sales.order"]
            .sudo()
            .search(
                [
                    ("isp_slot_team_id", "=", team.id),
                    ("isp_slot_start", "=", start),
                    # a seat counts while its order is still planned there
                    ("scheduled_date", "=", start),
                    ("state", "in", list(ticket_status.OPEN_ORDER_STATES)),
                    ("id", "!=", order.id),
                ]
            )
            .mapped("isp_slot_seat")
        )
        seat = slots.pick_seat(capacity, planned, used)
        if seat is None:
            raise SlotRefused(
                self._slot_message(slots.SlotError("slot_taken")), "slot_taken"
            )
        rescheduled = bool(order.scheduled_date)
        order.flush_recordset()
        try:
            # plain SQL, so that the expected conflict is not logged as a bad
            # query; Odoo runs the request again on a ConcurrencyError
            self.env.cr.execute(
                # the schedule too: the seat is held (indexed) from here, in
                # this statement; field service's write below agrees
                SQL(
                    "UPDATE isp_sales_order SET isp_slot_team_id = %s,"
                    " isp_slot_start = %s, isp_slot_seat = %s, scheduled_date = %s"
                    " WHERE id = %s",
                    team.id,
                    start,
                    seat,
                    start,
                    order.id,
                ),
                log_exceptions=False,
            )
        except UniqueViolation as error:
            if error.diag.constraint_name != SLOT_SEAT_INDEX:
                raise
            raise ConcurrencyError(
                f"status page: seat {seat} of {start} taken concurrently"
            ) from error
        order.invalidate_recordset(
            ["isp_slot_team_id", "isp_slot_start", "isp_slot_seat", "scheduled_date"]
        )
        # field service owns the schedule (the desk order reads it from there)
        planning.write({"scheduled_date_start": start, "scheduled_date_end": end})
        order.invalidate_recordset(["scheduled_date"])
        ticket = order.ticket_id
        # the seller reads it in their own language
        self.with_context(lang=ticket.user_id.lang or None)._claim_note(
            ticket, start, end, rescheduled
        )

    @api.model
    def _claim_note(self, ticket, start, end, rescheduled):
        label = self._window_label(start, end, self._tz(self._installation(ticket)))
        ticket.message_post(
            body=(
                _(
                    "The customer moved the installation to %(slot)s on the "
                    "status page.",
                    slot=label,
                )
                if rescheduled
                else _(
                    "The customer chose the installation slot %(slot)s on the "
                    "status page.",
                    slot=label,
                )
            ),
            author_id=ticket.lead_id.partner_id.id or None,
            subtype_xmlid="isp_sales_desk.mt_ticket_order",
        )

    @api.model
    def _free_slots(self, order, windows=None, now=None):
        """The next free windows of the order's team (lib/slots.py). The
        first week's windows are read first: they usually hold the slots the
        page offers, and the calendar is expanded window by window."""
        now = now or fields.Datetime.now()
        if windows is not None:
            return self._free_slots_in(order, windows, now)
        for days in (FIRST_LOOK_DAYS, slots.DEFAULT_HORIZON_DAYS):
            found = self._free_slots_in(order, self._windows(order, now, days), now)
            if len(found) >= slots.DEFAULT_SLOT_COUNT:
                break
        return found

    @api.model
    def _free_slots_in(self, order, windows, now):
        if not windows:
            return []
        planning = order._fsm_planning()
        team = planning.team_id
        planned = self._planned_starts(
            team, windows[0][0], windows[-1][1], exclude=planning
        )
        return slots.free_slots(
            windows,
            planned,
            self._capacity(team),
            now,
            self._cutoff_hours(),
            slots.DEFAULT_SLOT_COUNT,
        )

    @api.model
    def _windows(self, order, now, days=slots.DEFAULT_HORIZON_DAYS):
        """The team's working windows of the coming ``days``, as naive UTC
        (start, end): its installation hours, less the public holidays."""
        calendar = self._calendar(order)
        if not calendar:
            return []
        start = pytz.utc.localize(now)
        end = start + timedelta(days=days)
        intervals = calendar._work_intervals_batch(start, end)[False]
        return [
            (
                begin.astimezone(pytz.utc).replace(tzinfo=None),
                stop.astimezone(pytz.utc).replace(tzinfo=None),
            )
            for begin, stop, _records in intervals
        ]

    @api.model
    def _planned_starts(self, team, start, end, exclude=None):
        """The starts of the team's open field service orders planned from
        ``start`` to ``end``: one query on (team_id, scheduled_date_start)."""
        domain = [
            ("team_id", "=", team.id),
            ("scheduled_date_start", ">=", start),
            ("scheduled_date_start", "<", end),
            ("stage_id.is_closed", "=", False),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        query = self.env["fsm.order"].sudo()._search(domain)
        return [
            row[0]
            for row in self.env.execute_query(
                query.select(SQL.identifier("fsm_order", "scheduled_date_start"))
            )
        ]

    @api.model
    def _capacity(self, team):
        """The team's crews: its workers, at least one."""
        return max(
            self.env["fsm.person"].sudo().search_count([("team_id", "=", team.id)]), 1
        )

    @api.model
    def _calendar(self, order):
        team = order._fsm_planning().team_id
        return (
            team.isp_calendar_id
            or order.company_id.resource_calendar_id
            or self.env.company.resource_calendar_id
        )

    @api.model
    def _tz(self, order):
        calendar = order and self._calendar(order)
        tz = (calendar and calendar.tz) or order.company_id.partner_id.tz or "UTC"
        return pytz.timezone(tz) if tz in pytz.all_timezones_set else pytz.utc

    @api.model
    def _slot_order(self, ticket):
        """The installation order whose slot the customer may choose: open,
        not started, handed to field service."""
        return self._installation(ticket).filtered(
            lambda order: (
                order.state in (ticket_status.DRAFT, ticket_status.SCHEDULED)
                and order.fsm_order_id
            )
        )

    @api.model
    def _installation(self, ticket):
        """The ticket's installation order: the open one, else the completed
        one."""
        installations = ticket.sudo().order_ids.filtered(
            lambda order: order.order_type == ticket_status.INSTALLATION
        )
        return (
            installations.filtered(
                lambda order: order.state in ticket_status.OPEN_ORDER_STATES
            )[:1]
            or installations.filtered(lambda order: order.state == ticket_status.DONE)[
                :1
            ]
        )

    @api.model
    def _can_choose(self, order):
        return slots.can_change(
            order.scheduled_date or None, fields.Datetime.now(), self._cutoff_hours()
        )

    @api.model
    def _cutoff_hours(self):
        return self.env["ir.config_parameter"]._isp_get_int(
            "isp_sales_desk.slot_cutoff_hours", slots.DEFAULT_CUTOFF_HOURS, minimum=0
        )

    @api.model
    def _expired(self, ticket):
        """A won or lost ticket's page closes some days after the closing."""
        closed = ticket.date_won or ticket.date_lost
        if not closed:
            return False
        days = self.env["ir.config_parameter"]._isp_get_int(
            "isp_sales_desk.status_link_days", DEFAULT_LINK_DAYS
        )
        return fields.Datetime.now() - closed > timedelta(days=days)

    # ------------------------------------------------------------
    # WORDS
    # ------------------------------------------------------------

    @api.model
    def _steps(self, ticket, installation, tz):
        """From the request to the installation, each step with its state
        (``done``, ``current``, ``todo``) and what the customer needs to know."""
        received = {
            "name": _("Request received"),
            "state": "done",
            "detail": self._date_label(ticket.create_date, tz),
        }
        scheduled = {
            "name": _("Installation scheduled"),
            "state": "todo",
            "detail": "",
        }
        installed = {"name": _("Installed"), "state": "todo", "detail": ""}
        if installation.scheduled_date and installation.state != ticket_status.DONE:
            end = installation.fsm_order_id.sudo().scheduled_date_end
            technician = (installation.technician_id.name or "").split(" ")[0]
            scheduled.update(
                state="done",
                detail=self._window_label(installation.scheduled_date, end, tz),
                technician=technician,
            )
            installed["state"] = "current"
        elif installation.state == ticket_status.DONE:
            scheduled["state"] = "done"
            installed.update(
                state="done", detail=self._date_label(installation.date_done, tz)
            )
        elif ticket.state != ticket_status.LOST:
            scheduled["state"] = "current"
        return [received, scheduled, installed]

    @api.model
    def _locale(self):
        return babel_locale_parse(self.env.lang or "en_US")

    @api.model
    def _date_label(self, moment, tz):
        from babel.dates import format_date

        if not moment:
            return ""
        local = pytz.utc.localize(moment).astimezone(tz)
        return format_date(local.date(), format="long", locale=self._locale())

    @api.model
    def _window_label(self, start, end, tz):
        """``Tuesday, March 3, 2026, 9:00 to 13:00`` in the page's language
        and the team's time zone."""
        from babel.dates import format_date, format_time

        locale = self._locale()
        local_start = pytz.utc.localize(start).astimezone(tz)
        day = format_date(local_start.date(), format="full", locale=locale)
        day = day[:1].upper() + day[1:]
        begin = format_time(local_start.time(), format="H:mm", locale=locale)
        if not end:
            return _("%(day)s, %(start)s", day=day, start=begin)
        stop = format_time(
            pytz.utc.localize(end).astimezone(tz).time(), format="H:mm", locale=locale
        )
        return _("%(day)s, %(start)s to %(end)s", day=day, start=begin, end=stop)

    @api.model
    def _whatsapp_url(self, number):
        digits = "".join(char for char in number or "" if char.isdigit())
        return f"https://wa.me/{digits}" if digits else ""

    @api.model
    def _slot_message(self, error):
        params = error.params
        return {
            "slot_invalid": lambda: self.env._(
                "Choose one of the times offered on the page."
            ),
            "slot_past": lambda: self.env._(
                "That time has already passed: choose another one."
            ),
            "slot_locked": lambda: self.env._(
                "Your installation is less than %(hours)s hours away: it can no "
                "longer be changed here. Call us to change it.",
                hours=params.get("hours"),
            ),
            "slot_too_soon": lambda: self.env._(
                "Times less than %(hours)s hours away cannot be chosen: choose a "
                "later one.",
                hours=params.get("hours"),
            ),
            "slot_not_offered": lambda: self.env._(
                "That time is not one of those offered: choose one of the list."
            ),
            "slot_taken": lambda: self.env._(
                "That time was just taken by another customer: choose one of the "
                "times still free."
            ),
        }[error.code]()
