from odoo import fields, models


class FsmTeam(models.Model):
    _inherit = "fsm.team"

    isp_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Installation Hours",
        help="The time windows in which the team installs (one per working "
        "period, e.g. 9-13 and 14-18): the slots that customers choose from on "
        "their status page. Empty: the company's working hours.",
    )
