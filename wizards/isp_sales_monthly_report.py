from odoo import api, fields, models
from odoo.exceptions import ValidationError

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

    month = fields.Selection(
        MONTHS,
        required=True,
        default=lambda self: str(fields.Date.context_today(self).month),
    )
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 2000 <= wizard.year <= 2999:
                raise ValidationError(
                    self.env._("Choose a year between 2000 and 2999.")
                )

    def action_print(self):
        check_call(self, "write", single=True)
        return self.env.ref("isp_sales_desk.isp_sales_monthly_report").report_action(
            self, data={"year": self.year, "month": int(self.month)}
        )
