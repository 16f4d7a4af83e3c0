from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import reporting
from ..models.rpc_args import check_call

MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]


class IspSalesMonthlyReportWizard(models.TransientModel):
    """Choose the month of the sales desk's monthly report."""

    _name = "isp.sales.monthly.report.wizard"
    _description = "Sales Desk Monthly Report"

    # the last month that is over: the one a manager reports on
    month = fields.Selection(
        MONTHS,
        required=True,
        default=lambda self: str(self._isp_default_month()[1]),
    )
    year = fields.Integer(
        required=True, default=lambda self: self._isp_default_month()[0]
    )

    @api.model
    def _isp_default_month(self):
        return reporting.last_complete_month(fields.Date.context_today(self))

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 2000 <= wizard.year <= 2999:
                raise ValidationError(
                    self.env._("Choose a year between 2000 and 2999.")
                )

    def action_print(self):
        """The PDF of the wizard's month, named after it; the dialog closes
        once it is downloaded."""
        check_call(self, "write", single=True)
        action = self.env.ref("isp_sales_desk.isp_sales_monthly_report").report_action(
            self, config=False
        )
        action["close_on_report_download"] = True
        return action

    def _isp_report_filename(self):
        """The PDF's file name, e.g. "Sales Desk Monthly Report - November 2026"."""
        self.ensure_one()
        return self.env._(
            "Sales Desk Monthly Report - %(month)s",
            month=self.env["report.isp_sales_desk.report_monthly"]._isp_month_label(
                self.year, int(self.month)
            ),
        )
