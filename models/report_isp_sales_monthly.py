from datetime import date, timedelta

from babel.dates import format_skeleton

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.misc import babel_locale_parse, get_lang

from ..lib import reporting


class ReportIspSalesMonthly(models.AbstractModel):
    """Figures of one month of the sales desk, each one SQL aggregate over
    the conversion analysis (isp.sales.ticket.report): the cost does not
    grow with the number of tickets read in Python."""

    _name = "report.isp_sales_desk.report_monthly"
    _description = "Sales Desk Monthly Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The month comes from ``data`` (``{"year", "month"}``, for callers
        over RPC) or from the wizard printed (``docids``)."""
        wizards = self.env["isp.sales.monthly.report.wizard"].browse(docids)
        data = data or {}
        if "year" not in data and wizards:
            data = {"year": wizards[:1].year, "month": wizards[:1].month}
        try:
            year, month = int(data["year"]), int(data["month"])
            start, end = reporting.month_bounds(year, month, self._isp_tz())
        except (KeyError, TypeError, ValueError) as error:
            raise UserError(_("Choose a month to print the report.")) from error
        values = {
            "doc_ids": docids,
            "doc_model": "isp.sales.monthly.report.wizard",
            "docs": wizards,
            "company": self.env.company,
            "month_label": self._isp_month_label(year, month),
            "future": reporting.is_future_month(
                year, month, fields.Date.context_today(self)
            ),
        }
        if values["future"]:
            values["empty"] = True
            return values
        values.update(self._isp_month_figures(start, end))
        return values

    @api.model
    def _isp_tz(self):
        """The reader's time zone: a month starts at their midnight, as on
        the dashboard (whose date filter counts in the browser's)."""
        return self.env.context.get("tz") or self.env.user.tz

    @api.model
    def _isp_month_label(self, year, month):
        """The month itself ("November 2026", "noviembre de 2026"), not an
        instant of it, which a time zone would move to the month before."""
        locale = babel_locale_parse(get_lang(self.env).code)
        return format_skeleton("yMMMM", date(year, month, 1), locale=locale)

    @api.model
    def _isp_month_figures(self, start, end):
        """The month's figures, by the desk's one definition (see
        isp.sales.ticket.report): won and lost are the tickets won or lost in
        the month (``date_closed``, here as its two indexed dates), the win
        rate is won / (won + lost) of them; opened, those created in it."""
        Report = self.env["isp.sales.ticket.report"]
        opened_dom = Domain("date_open", ">=", start) & Domain("date_open", "<", end)
        won_dom = Domain("date_won", ">=", start) & Domain("date_won", "<", end)
        lost_dom = (
            Domain("state", "=", "lost")
            & Domain("date_lost", ">=", start)
            & Domain("date_lost", "<", end)
        )
        closed_dom = won_dom | lost_dom

        [[opened]] = Report._read_group(opened_dom, [], ["__count"])
        [[won, lost, avg_days, median_days]] = Report._read_group(
            closed_dom,
            [],
            [
                "won_count:sum",
                "lost_count:sum",
                "days_to_win:avg",
                "median_days_to_win:avg",
            ],
        )
        won, lost = won or 0, lost or 0

        def by(field):
            opened_by = dict(Report._read_group(opened_dom, [field], ["__count"]))
            closed_by = {
                key: (w or 0, lo or 0)
                for key, w, lo in Report._read_group(
                    closed_dom, [field], ["won_count:sum", "lost_count:sum"]
                )
            }
            rows = []
            for key in set(opened_by) | set(closed_by):
                w, lo = closed_by.get(key, (0, 0))
                rows.append(
                    {
                        "name": key.display_name or _("None"),
                        "opened": opened_by.get(key, 0),
                        "won": w,
                        "lost": lo,
                        "rate": reporting.win_rate(w, lo),
                    }
                )
            return sorted(
                rows, key=lambda row: (-row["won"], -row["opened"], row["name"])
            )

        reasons = reporting.pareto(
            [
                (reason.display_name or _("None"), count)
                for reason, count in Report._read_group(
                    lost_dom, ["lost_reason_id"], ["__count"]
                )
            ]
        )
        no_coverage = self.env.ref(
            "isp_sales_desk.loss_reason_no_coverage", raise_if_not_found=False
        )
        [[no_cov_count, no_cov_amount]] = Report._read_group(
            lost_dom
            & Domain("lost_reason_id", "=", no_coverage.id if no_coverage else 0),
            [],
            ["__count", "amount_total:sum"],
        )
        referrals = [
            {"name": partner.display_name, "won": count}
            for partner, count in Report._read_group(
                won_dom & Domain("referred_by_partner_id", "!=", False),
                ["referred_by_partner_id"],
                ["__count"],
                order="__count desc",
            )
        ]
        stale_count, stale_names = self._isp_stale_at(end)
        return {
            "empty": not (opened or won or lost or stale_count),
            "opened": opened,
            "won": won,
            "lost": lost,
            "win_rate": reporting.win_rate(won, lost),
            "avg_days_to_win": avg_days or None,
            "median_days_to_win": median_days,
            "by_source": by("source_id"),
            "by_user": by("user_id"),
            "loss_reasons": reasons,
            "no_coverage_count": no_cov_count,
            "no_coverage_amount": no_cov_amount or 0.0,
            "currency": self.env.company.currency_id,
            "referrals": referrals,
            "stale_count": stale_count,
            "stale_names": stale_names,
            "stale_days": self._isp_stale_days(),
        }

    @api.model
    def _isp_stale_days(self):
        return self.env["isp.sales.ticket"]._isp_stale_days()

    @api.model
    def _isp_stale_at(self, moment, limit=20):
        """Tickets pending at ``moment`` since longer than the stale delay,
        from the status history: (count, first names)."""
        since = moment - timedelta(days=self._isp_stale_days())
        Log = self.env["isp.sales.ticket.state.log"]
        domain = (
            Domain("state", "=", "pending")
            & Domain("date_start", "<", since)
            & (Domain("date_end", "=", False) | Domain("date_end", ">=", moment))
        )
        [[count]] = Log._read_group(domain, [], ["__count"])
        logs = Log.search(domain, limit=limit, order="date_start")
        return count, [
            f"{ticket.name} - {ticket.prospect_name}" for ticket in logs.ticket_id
        ]
