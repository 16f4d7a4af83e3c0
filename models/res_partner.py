from odoo import fields, models
from odoo.fields import Domain

from .rpc_args import check_call

# what makes a contact's address: a country alone (a default) does not
ADDRESS_KEYS = ("street", "street2", "city", "zip", "state_id")
COMPARED_KEYS = ADDRESS_KEYS + ("country_id",)


class ResPartner(models.Model):
    """What the sales desk does to contacts, as the system: it makes the
    contact of a won lead a customer and gives it the installation address.

    A lead's contact is chosen by a seller, who may not edit contacts; so
    the desk never overwrites one: an address is written only onto a
    contact that has none and belongs to no user and no company, otherwise
    the installation address becomes a delivery contact of the customer (a
    business with several sites), and the desk never writes an e-mail onto a
    user's contact (where that user's password reset goes)."""

    _inherit = "res.partner"

    isp_customer_date = fields.Date(
        string="ISP Customer Since",
        copy=False,
        readonly=True,
        help="Set when the first installation of a sales desk ticket "
        "of this contact was completed.",
    )
    isp_ticket_count = fields.Integer(
        string="Sales Desk Tickets",
        compute="_compute_isp_counts",
        groups="isp_sales_desk.group_isp_sales_user",
    )
    isp_contract_count = fields.Integer(
        string="Sales Desk Contracts",
        compute="_compute_isp_counts",
        groups="isp_sales_desk.group_isp_sales_user",
    )

    def _compute_isp_counts(self):
        tickets = dict(
            self.env["isp.sales.ticket"]._read_group(
                [("lead_id.partner_id", "in", self.ids)],
                ["lead_id.partner_id"],
                ["__count"],
            )
        )
        contracts = dict(
            self.env["contract.contract"]._read_group(
                self._isp_contract_domain(), ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.isp_ticket_count = tickets.get(partner, 0)
            partner.isp_contract_count = contracts.get(partner, 0)

    def _isp_contract_domain(self):
        return Domain("partner_id", "in", self.ids) & Domain(
            "isp_ticket_id", "!=", False
        )

    def action_isp_view_tickets(self):
        check_call(self, "read", single=True)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "isp_sales_desk.isp_sales_ticket_action"
        )
        action["domain"] = [("lead_id.partner_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_isp_view_contracts(self):
        check_call(self, "read", single=True)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "isp_sales_desk.contract_contract_isp_action"
        )
        action["domain"] = [
            ("partner_id", "=", self.id),
            ("isp_ticket_id", "!=", False),
        ]
        return action

    def _isp_mark_customer(self, date):
        """The contact became a customer of the ISP (an installation was done)."""
        for partner in self.filtered(lambda p: not p.isp_customer_date):
            partner.isp_customer_date = date
        if "customer_rank" in self._fields:  # account installed
            self._increase_rank("customer_rank")

    def _isp_users_contacts(self, internal_only=False):
        """Those of these contacts that are a user's own (archived users too)."""
        users = self.sudo().with_context(active_test=False).user_ids
        if internal_only:
            users = users.filtered(lambda user: not user.share)
        return self & users.partner_id.with_env(self.env)

    def _isp_companies_contacts(self):
        """Those of these contacts that are a company's own."""
        companies = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids)])
        )
        return self & companies.partner_id.with_env(self.env)

    def _isp_has_address(self):
        self.ensure_one()
        return any(self[key] for key in ADDRESS_KEYS)

    def _isp_same_address(self, address):
        self.ensure_one()
        return all(
            (address.get(key) or False)
            == self._fields[key].convert_to_write(self[key], self)
            for key in COMPARED_KEYS
        )

    def _isp_desk_may_write(self):
        """Whether the desk may give this contact an address as the system:
        it has none, and it is nobody's own but a customer's (a contact of
        another company would pass the address on to its company)."""
        self.ensure_one()
        return not (
            self._isp_has_address()
            or self.parent_id
            or self._isp_users_contacts()
            or self._isp_companies_contacts()
        )

    def _isp_take_installation_address(self, address, label):
        """Where the customer gets the service: ``address`` (res.partner
        values) becomes this contact's own address when the desk may write
        it, else a delivery contact of it (reused at the same address).
        Returns the contact at that address."""
        self.ensure_one()
        if self._isp_same_address(address):
            return self
        if self._isp_desk_may_write():
            self.write(address)
            return self
        site = self.child_ids.filtered(
            lambda child: child.type == "delivery" and child._isp_same_address(address)
        )[:1]
        if site:
            return site
        # created without the address, then given it: Odoo copies the first
        # child's address onto a parent that has none
        site = self.create(
            {
                "parent_id": self.id,
                "type": "delivery",
                "name": label,
                "company_id": self.company_id.id,
            }
        )
        site.write(address)
        return site

    def _isp_may_take_email(self):
        """Whether the desk may give this contact an e-mail address: it has
        none, and it is no user's (the address a password reset goes to)."""
        self.ensure_one()
        return not self.email and not self._isp_users_contacts()
