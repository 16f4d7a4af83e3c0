from odoo import api, fields, models

from ..models.isp_sales_lead import CONTACT_TYPES


class IspSalesTicketCreate(models.TransientModel):
    """Step 1 of the creation wizard: the lead, found or typed, with a warning
    about the leads that are likely the same person."""

    _inherit = "isp.sales.ticket.create"

    # 1. lead ---------------------------------------------------------------
    lead_id = fields.Many2one(
        "isp.sales.lead",
        check_company=True,
        help="Search by name, phone, e-mail or ID document.",
    )
    new_lead_name = fields.Char(string="Name")
    new_lead_contact_type = fields.Selection(
        CONTACT_TYPES,
        string="Individual or Company",
        default="person",
    )
    new_lead_phone = fields.Char(string="Phone")
    new_lead_email = fields.Char(string="Email")
    new_lead_vat = fields.Char(string="ID Document")
    source_id = fields.Many2one("utm.source", string="Origin")
    duplicate_lead_ids = fields.Many2many(
        "isp.sales.lead",
        string="Possible Duplicates",
        compute="_compute_duplicate_lead_ids",
    )
    duplicate_lead_id = fields.Many2one(
        "isp.sales.lead",
        string="Likely the Same Person",
        compute="_compute_duplicate_lead_ids",
    )

    @api.depends("lead_id", "new_lead_phone", "new_lead_email", "new_lead_vat")
    def _compute_duplicate_lead_ids(self):
        Lead = self.env["isp.sales.lead"]
        for wizard in self:
            duplicates = Lead
            if not wizard.lead_id and any(
                (wizard.new_lead_phone, wizard.new_lead_email, wizard.new_lead_vat)
            ):
                duplicates = Lead.with_company(wizard.company_id)._isp_find_duplicates(
                    phone=wizard.new_lead_phone,
                    email=wizard.new_lead_email,
                    vat=wizard.new_lead_vat,
                )
            wizard.duplicate_lead_ids = duplicates
            wizard.duplicate_lead_id = duplicates[:1]

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.prospect_id.lead_id != self.lead_id:
            self.prospect_id = False

    def action_use_duplicate(self):
        """One click: the likely duplicate becomes the wizard's lead."""
        self.ensure_one()
        if self.duplicate_lead_id:
            self.write(
                {
                    "lead_id": self.duplicate_lead_id.id,
                    "new_lead_name": False,
                    "new_lead_phone": False,
                    "new_lead_email": False,
                    "new_lead_vat": False,
                }
            )
        return self._isp_reopen()

    def _prepare_lead_values(self):
        return {
            "name": self.new_lead_name.strip(),
            "contact_type": self.new_lead_contact_type or "person",
            "phone": self.new_lead_phone,
            "email": self.new_lead_email,
            "vat": self.new_lead_vat,
            "source_id": self.source_id.id,
            "company_id": self.company_id.id,
        }
