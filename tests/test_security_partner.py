"""A seller cannot rewrite a contact through the desk: not by pointing a lead
at it, not by winning its ticket, not by sending it a quote. Tried over
JSON-2, as the attacker did, and checked after the calls."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import IspJson2Case


@tagged("post_install", "-at_install")
class TestContactsStayTheirOwners(IspJson2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["product.product"].create(
            {"name": "Plan Contactos", "service_kind": "plan", "list_price": 50.0}
        )
        # an employee without an e-mail: a password reset goes where it says
        cls.victim = new_test_user(
            cls.env, login="victim", groups="base.group_user", email=False
        )
        cls.victim.partner_id.write({"street": "Casa 1", "city": "Funes"})
        cls.portal_customer = new_test_user(
            cls.env, login="portal_customer", groups="base.group_portal", email=False
        )
        cls.other_company = cls.env["res.company"].create({"name": "Otra ISP"})
        # a business that is already a customer, at its first site
        cls.business = cls.env["res.partner"].create(
            {
                "name": "Panadería Sol",
                "is_company": True,
                "street": "San Martín 10",
                "city": "Rosario",
                "email": "sol@example.com",
            }
        )
        cls.bare_contact = cls.env["res.partner"].create({"name": "Contacto Suelto"})

    def ticket_for(self, partner=None, street="Oroño 500"):
        """A ticket whose lead points at ``partner``, set the way data from
        before this fix may hold it (SQL: no check in the way)."""
        lead = self.env["isp.sales.lead"].create(
            {"name": "Cliente X", "email": "attacker@evil.example.com"}
        )
        if partner:
            self.env.cr.execute(
                "UPDATE isp_sales_lead SET partner_id = %s WHERE id = %s",
                [partner.id, lead.id],
            )
            lead.invalidate_recordset(["partner_id"])
        prospect = self.env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "street": street,
                "city": "Rosario",
                "latitude": -32.95,
                "longitude": -60.65,
                "line_ids": [Command.create({"product_id": self.plan.id})],
            }
        )
        ticket = self.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        order = ticket.action_create_order("installation")
        order.technician_id = self.users["technician"]
        return ticket, order

    def sites(self, partner):
        """The delivery contacts of ``partner`` (the field service location
        of each order is a child contact too)."""
        return partner.child_ids.filtered(lambda child: child.type == "delivery")

    def win_over_json2(self, order):
        status, body = self.json2(
            "technician", "isp.sales.order", "action_done", ids=order.ids
        )
        self.assertEqual(status, 200, body)
        self.env.invalidate_all()
        self.assertEqual(order.ticket_id.state, "won")

    def test_a_lead_never_points_at_a_users_or_a_companys_contact(self):
        lead = self.env["isp.sales.lead"].create({"name": "Lead atacante"})
        refused = {
            "an employee's contact": self.victim.partner_id,
            "the administrator's contact": self.users["admin"].partner_id,
            "the company's contact": self.env.company.partner_id,
            "another company's contact": self.other_company.partner_id,
        }
        for role in ("seller", "manager"):
            for label, partner in refused.items():
                with self.subTest(role=role, contact=label):
                    self.assertRefusedOverJson2(
                        self.json2(
                            role,
                            "isp.sales.lead",
                            "write",
                            ids=lead.ids,
                            vals={"partner_id": partner.id},
                        ),
                        422,
                    )
                    self.assertRefusedOverJson2(
                        self.json2(
                            role,
                            "isp.sales.lead",
                            "create",
                            vals_list=[{"name": "Nuevo", "partner_id": partner.id}],
                        ),
                        422,
                    )
        lead.invalidate_recordset()
        self.assertFalse(lead.partner_id)
        self.assertFalse(
            self.env["isp.sales.lead"].search_count([("name", "=", "Nuevo")])
        )
        # a customer's own contact, a portal user's included, is fine
        for partner in (self.business, self.portal_customer.partner_id):
            status, body = self.json2(
                "seller",
                "isp.sales.lead",
                "write",
                ids=lead.ids,
                vals={"partner_id": partner.id},
            )
            self.assertEqual(status, 200, body)

    def test_winning_keeps_the_customers_address_and_adds_the_site(self):
        _ticket, order = self.ticket_for(self.business, street="Mitre 99")
        self.win_over_json2(order)
        self.assertEqual(
            (self.business.street, self.business.city), ("San Martín 10", "Rosario")
        )
        site = self.sites(self.business)
        self.assertEqual(len(site), 1)
        self.assertEqual(site.type, "delivery")
        self.assertEqual((site.street, site.city), ("Mitre 99", "Rosario"))
        self.assertAlmostEqual(site.partner_latitude, -32.95)
        self.assertTrue(self.business.isp_customer_date)
        # a second site won at the same place adds no second delivery contact
        _again, order = self.ticket_for(self.business, street="Mitre 99")
        self.win_over_json2(order)
        self.assertEqual(self.sites(self.business), site)

    def test_winning_never_writes_onto_a_users_contact(self):
        for user in (self.victim, self.portal_customer):
            with self.subTest(user=user.login):
                before = (user.partner_id.street, user.partner_id.city)
                _ticket, order = self.ticket_for(user.partner_id)
                self.win_over_json2(order)
                self.assertEqual((user.partner_id.street, user.partner_id.city), before)
                self.assertFalse(user.partner_id.email)
                site = self.sites(user.partner_id)
                self.assertEqual((site.type, site.street), ("delivery", "Oroño 500"))

    def test_a_contact_without_address_takes_the_installation_address(self):
        ticket, order = self.ticket_for(self.bare_contact)
        self.win_over_json2(order)
        self.assertEqual(
            (self.bare_contact.street, self.bare_contact.city), ("Oroño 500", "Rosario")
        )
        self.assertFalse(self.sites(self.bare_contact))
        # and a lead without contact gets its own, at the installation address
        ticket, order = self.ticket_for()
        self.win_over_json2(order)
        partner = ticket.lead_id.partner_id
        self.assertEqual((partner.name, partner.street), ("Cliente X", "Oroño 500"))

    def test_a_quote_never_gives_a_users_contact_an_email(self):
        for user in (self.victim, self.portal_customer):
            with self.subTest(user=user.login):
                ticket, _order = self.ticket_for(user.partner_id)
                result = self.json2(
                    "seller", "isp.sales.ticket", "action_quote_send", ids=ticket.ids
                )
                self.assertRefusedOverJson2(result, 422, "user")
                user.partner_id.invalidate_recordset()
                self.assertFalse(user.partner_id.email)
        # a customer's contact without an e-mail gets the lead's
        ticket, _order = self.ticket_for(self.bare_contact)
        status, body = self.json2(
            "seller", "isp.sales.ticket", "action_quote_send", ids=ticket.ids
        )
        self.assertEqual(status, 200, body)
        self.bare_contact.invalidate_recordset()
        self.assertEqual(self.bare_contact.email, "attacker@evil.example.com")

    def test_a_technician_sends_no_quote(self):
        ticket, _order = self.ticket_for(self.bare_contact)
        self.assertRefusedOverJson2(
            self.json2(
                "technician", "isp.sales.ticket", "action_quote_send", ids=ticket.ids
            ),
            403,
        )
        self.bare_contact.invalidate_recordset()
        self.assertFalse(self.bare_contact.email)

    def test_a_prospects_planning_location_is_the_desks(self):
        """The hand-off writes the prospect's address onto its field service
        location as the system: a seller cannot point it at another one."""
        ticket, _order = self.ticket_for(street="Oroño 500")
        other, _order = self.ticket_for(street="Mitre 99")
        location = other.prospect_id.fsm_location_id
        self.assertTrue(location)
        for role in ("seller", "manager"):
            with self.subTest(role=role):
                self.assertRefusedOverJson2(
                    self.json2(
                        role,
                        "isp.sales.prospect",
                        "write",
                        ids=ticket.prospect_id.ids,
                        vals={"fsm_location_id": location.id},
                    ),
                    422,
                    "location",
                )
        self.env.invalidate_all()
        self.assertNotEqual(ticket.prospect_id.fsm_location_id, location)
        self.assertEqual(location.street, "Mitre 99")
