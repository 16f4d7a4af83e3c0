from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged, users, warmup
from odoo.tools import mute_logger

from ..lib import billing
from .common import IspSalesDeskCase

# a Tuesday in the middle of March, at noon in Argentina
INSTALLED = "2026-03-17 15:00:00"
# pinned: what the win of an installation costs, and the contract's part
COMPLETION_QUERIES = 114  # 113 before the win checked whose contact it writes on
CONTRACT_QUERIES = 34


class IspContractCase(IspSalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fee = cls.env["product.product"].create(
            {
                "name": "Instalación",
                "type": "service",
                "service_kind": "one_time",
                "list_price": 50.0,
            }
        )
        cls.accountant = new_test_user(
            cls.env,
            login="isp_accountant",
            groups="account.group_account_manager",
            name="Alba Accountant",
        )

    def _sold_ticket(self, lines=None, **values):
        ticket = self._create_ticket(
            lines=lines
            if lines is not None
            else [
                self.plan,
                self.tv,
                self.public_ip,
                self.discount_new,
                self.discount_fixed,
                self.fee,
            ],
            **values,
        )
        ip_line = ticket.prospect_id.line_ids.filtered(
            lambda line: line.product_id == self.public_ip
        )
        if ip_line:
            ip_line.quantity = 2
        return ticket

    def _win(self, ticket):
        order = ticket.action_create_order("installation")
        order.technician_id = self.technician
        order.with_user(self.technician).action_done()
        return order


@tagged("post_install", "-at_install")
class TestContract(IspContractCase):
    def test_fresh_database_without_localisation_bills(self):
        """The suite runs on a new database with no localisation: Odoo's
        generic chart of accounts was installed with accounting, with a sales
        journal, and the desk made its sales prices include taxes."""
        company = self.env.company
        self.assertEqual(company.chart_template, "generic_coa")
        self.assertFalse(company.country_id.code == "AR" and company.chart_template)
        self.assertEqual(company.account_price_include, "tax_included")
        self.assertTrue(
            self.env["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", company.id)]
            )
        )

    @freeze_time(INSTALLED)
    def test_the_win_creates_the_contract_of_what_was_sold(self):
        ticket = self._sold_ticket()
        # 100 + 30 + 2 x 20 = 170, less 10% (17) and 25: 128; the fee is apart
        self.assertEqual(ticket.amount_total, 128.0)
        self.assertEqual(ticket.amount_one_time, 50.0)
        self._win(ticket)
        self.assertEqual(ticket.state, "won")
        self.assertEqual(ticket.amount_total, 128.0)
        self.assertEqual(ticket.amount_one_time, 50.0)
        contract = ticket.contract_id
        self.assertTrue(contract)
        self.assertEqual(contract.isp_ticket_id, ticket)
        self.assertEqual(contract.partner_id, ticket.lead_id.partner_id)
        self.assertEqual(contract.currency_id, self.env.company.currency_id)
        self.assertEqual(contract.contract_type, "sale")
        self.assertEqual(contract.code, ticket.name)
        self.assertEqual(contract.date_start, date(2026, 3, 17))
        lines = contract.contract_line_ids
        self.assertEqual(
            [
                (line.product_id, line.quantity, line.price_unit, line.isp_service_kind)
                for line in lines
            ],
            [
                (self.plan, 1, 100.0, "plan"),
                (self.tv, 1, 30.0, "tv_package"),
                (self.public_ip, 2, 20.0, "recurring_item"),
                # the discounts: what each took off, as the contract's lines
                (self.discount_new, 1, -17.0, "discount"),
                (self.discount_fixed, 1, -25.0, "discount"),
                (self.fee, 1, 50.0, "one_time"),
            ],
        )
        self.assertEqual(lines[3].name, "Nuevo cliente (10 %)")
        self.assertEqual(set(lines.mapped("recurring_rule_type")), {"monthlylastday"})
        self.assertEqual(set(lines.mapped("recurring_interval")), {1})
        # billing starts on the first of next month (the default); the fee's
        # only period is the first one
        self.assertEqual(set(lines.mapped("date_start")), {date(2026, 4, 1)})
        self.assertEqual(lines[-1].date_end, date(2026, 4, 30))
        self.assertFalse(any(lines[:-1].mapped("date_end")))
        self.assertEqual(ticket.lead_id.partner_id.isp_contract_count, 1)

        invoice = contract.with_user(self.accountant).recurring_create_invoice()
        invoice.action_post()
        # the first invoice is the estimate plus the fee, to the cent
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(
            invoice.currency_id.compare_amounts(invoice.amount_total, 178.0), 0
        )
        self.assertEqual(invoice.invoice_date, date(2026, 4, 1))
        self.assertEqual(invoice.partner_id, ticket.lead_id.partner_id)
        # the fee is billed once
        second = contract.with_user(self.accountant).recurring_create_invoice()
        self.assertEqual(second.amount_total, 128.0)
        self.assertNotIn(self.fee, second.invoice_line_ids.product_id)

    @freeze_time(INSTALLED)
    def test_a_prorated_first_month(self):
        self.env["ir.config_parameter"].set_param(
            "isp_sales_desk.contract_first_period", "prorated"
        )
        ticket = self._sold_ticket()
        self._win(ticket)
        contract = ticket.contract_id
        self.assertEqual(
            set(contract.contract_line_ids.mapped("date_start")), {date(2026, 3, 17)}
        )
        invoice = contract.with_user(self.accountant).recurring_create_invoice()
        # 15 of March's 31 days of each monthly line, and the whole fee
        expected = billing.first_invoice_total(
            billing.contract_lines(
                ticket.sale_line_ids._pricing_lines(),
                ticket.sale_line_ids.mapped("price_subtotal"),
            ),
            date(2026, 3, 17),
            billing.PRORATED,
        )
        self.assertEqual(expected, 111.94)
        self.assertEqual(invoice.amount_total, expected)
        self.assertEqual(invoice.invoice_date, date(2026, 3, 17))
        self.assertIn("15 of 31 days", invoice.invoice_line_ids[0].name)
        # then whole months
        second = contract.with_user(self.accountant).recurring_create_invoice()
        self.assertEqual(second.amount_total, 128.0)
        self.assertEqual(second.invoice_date, date(2026, 4, 1))

    def test_the_ticket_the_customer_and_the_contract_link_to_each_other(self):
        ticket = self._sold_ticket(lines=[self.plan])
        self._win(ticket)
        contract = ticket.contract_id
        partner = ticket.lead_id.partner_id
        seller_ticket = ticket.with_user(self.seller)
        contract_action = seller_ticket.action_view_contract()
        self.assertEqual(
            (contract_action["res_model"], contract_action["res_id"]),
            ("contract.contract", contract.id),
        )
        action = contract.with_user(self.seller).action_view_isp_ticket()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("isp.sales.ticket", ticket.id)
        )
        seller_partner = partner.with_user(self.seller)
        self.assertEqual(seller_partner.isp_ticket_count, 1)
        self.assertEqual(seller_partner.isp_contract_count, 1)
        self.assertEqual(
            self.env["contract.contract"].search(
                seller_partner.action_isp_view_contracts()["domain"]
            ),
            contract,
        )
        self.assertEqual(
            self.env["isp.sales.ticket"].search(
                seller_partner.action_isp_view_tickets()["domain"]
            ),
            ticket,
        )
        # a seller opens the contract from the ticket: the form loads with
        # every field the seller reads
        form = Form(
            contract.with_user(self.seller), view=contract_action["views"][0][0]
        )
        self.assertEqual(form.partner_id, partner)
        self.assertEqual(len(form.contract_line_ids), 1)
        # the views that show them load for a seller
        for model, record in (
            ("isp.sales.ticket", ticket),
            ("contract.contract", contract),
        ):
            Model = self.env[model].with_user(self.seller)
            Model.get_views([(False, "form")])
            record.with_user(self.seller).read(["display_name"])

    def test_a_contract_only_for_a_won_ticket_of_its_customer(self):
        Contract = self.env["contract.contract"].with_user(self.manager)
        pending = self._create_ticket(lead_name="Pendiente")
        partner = self.env["res.partner"].create({"name": "Pendiente"})
        pending.lead_id.partner_id = partner
        with self.assertRefused(ValidationError, "only a won ticket has a contract"):
            Contract.create(
                {
                    "name": "A mano",
                    "partner_id": partner.id,
                    "isp_ticket_id": pending.id,
                }
            )
        won = self._sold_ticket(lines=[self.plan])
        self._win(won)
        # one contract per ticket: the database holds it
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            Contract.create(
                {
                    "name": "Otro",
                    "partner_id": won.lead_id.partner_id.id,
                    "isp_ticket_id": won.id,
                }
            ).flush_recordset()
        # a won ticket without contract (deleted): a manager makes it again,
        # for its customer only
        won.contract_id.sudo().unlink()
        with self.assertRefused(ValidationError, "made out to its customer"):
            Contract.create(
                {"name": "Otro", "partner_id": partner.id, "isp_ticket_id": won.id}
            )
        with self.assertRefused(AccessError, "Only a sales desk manager"):
            won.with_user(self.seller).action_isp_create_contract()
        won.with_user(self.manager).action_isp_create_contract()
        self.assertEqual(len(won.contract_ids), 1)
        self.assertEqual(won.contract_id.contract_line_ids.product_id, self.plan)
        with self.assertRefused(UserError, "not won"):
            pending.with_user(self.manager).action_isp_create_contract()

    def test_only_a_desk_manager_makes_the_lines_differ_from_the_sale(self):
        ticket = self._sold_ticket(lines=[self.plan, self.discount_new])
        self._win(ticket)
        line = ticket.contract_id.contract_line_ids[0]
        with self.assertRefused(AccessError, "not allowed to modify"):
            line.with_user(self.seller).write({"price_unit": 1.0})
        # billing may do everything with contracts, but not change a sale
        for values in (
            {"price_unit": 1.0},
            {"quantity": 3},
            {"product_id": self.tv.id},
        ):
            with (
                self.subTest(values=values),
                self.assertRefused(UserError, "only a sales desk manager"),
            ):
                line.with_user(self.accountant).write(values)
        with self.assertRefused(UserError, "only a sales desk manager"):
            line.with_user(self.accountant).unlink()
        with self.assertRefused(UserError, "only a sales desk manager"):
            self.env["contract.line"].with_user(self.accountant).create(
                {
                    "contract_id": ticket.contract_id.id,
                    "product_id": self.tv.id,
                    "name": "Regalo",
                }
            )
        with self.assertRefused(UserError, "Only the win"):
            line.with_user(self.manager).write({"isp_service_kind": "tv_package"})
        # saving the same value changes nothing and passes; ending is billing's
        line.with_user(self.accountant).write({"price_unit": 100.0})
        line.with_user(self.accountant).write({"date_end": date(2030, 1, 31)})
        # a retention deal agreed with the desk's manager
        line.with_user(self.manager).write({"price_unit": 90.0})
        self.assertEqual(line.price_unit, 90.0)

    def test_a_failed_contract_fails_the_win_and_saves_nothing(self):
        """A contract imported for the ticket before its win (plain SQL: the
        desk refuses it otherwise) makes the win fail with a clear message;
        the order stays open, the ticket is not won, no customer is made."""
        ticket = self._sold_ticket(lines=[self.plan])
        order = ticket.action_create_order("installation")
        order.technician_id = self.technician
        self.env.flush_all()
        other = self.env["res.partner"].create({"name": "Importado"})
        self.env.cr.execute(
            "INSERT INTO contract_contract"
            " (name, partner_id, company_id, isp_ticket_id, contract_type, date,"
            " active, line_recurrence)"
            " VALUES ('Importado', %s, %s, %s, 'sale', now(), true, false)",
            [other.id, self.env.company.id, ticket.id],
        )
        self.env.invalidate_all()
        with self.assertRefused(
            UserError, r"cannot be won: contract .* is already linked"
        ):
            order.with_user(self.technician).action_done()
        self.assertEqual(order.state, "draft")
        self.assertEqual(ticket.state, "in_progress")
        self.assertFalse(ticket.sale_frozen)
        self.assertFalse(ticket.lead_id.partner_id.isp_customer_date)

    def test_a_double_completion_gives_one_contract(self):
        ticket = self._sold_ticket(lines=[self.plan])
        order = self._win(ticket)
        with self.assertRefused(UserError, "already closed"):
            order.action_done()
        self.assertEqual(
            self.env["contract.contract"].search_count(
                [("isp_ticket_id", "=", ticket.id)]
            ),
            1,
        )


@tagged("post_install", "-at_install", "isp_perf")
class TestContractPerformance(IspContractCase):
    """The contract adds a fixed number of queries to the completion of an
    installation: its lines are created in one batch, so a ticket of one
    service and one of five cost the same."""

    SHAPES = ("plan", "plan, tv, ip, discount, fee")

    def _lines(self, shape):
        return (
            [self.plan]
            if shape == "plan"
            else [self.plan, self.tv, self.public_ip, self.discount_new, self.fee]
        )

    @users("isp_technician")
    @warmup
    def test_completion_query_count(self):
        for shape in self.SHAPES:
            ticket = self._sold_ticket(lines=self._lines(shape)).sudo()
            order = ticket.action_create_order("installation")
            order.technician_id = self.technician
            order = order.with_env(self.env)
            self.env.flush_all()
            self.env.invalidate_all()
            with (
                self.subTest(shape=shape),
                self.assertQueryCount(isp_technician=COMPLETION_QUERIES),
            ):
                order.action_done()
                self.env.flush_all()
            self.assertTrue(ticket.contract_ids)

    @warmup
    def test_contract_creation_query_count(self):
        for shape in self.SHAPES:
            ticket = self._sold_ticket(lines=self._lines(shape))
            order = self._win(ticket)
            ticket.contract_id.unlink()
            self.env.flush_all()
            self.env.invalidate_all()
            with self.subTest(shape=shape), self.assertQueryCount(CONTRACT_QUERIES):
                self.env["contract.contract"]._isp_create_for_ticket(ticket, order)
                self.env.flush_all()
            self.assertTrue(ticket.contract_ids)
