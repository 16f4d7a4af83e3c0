from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .reports_common import ReportsPdfCase, load_spanish, pdf_text

QUOTE = "isp_sales_desk.isp_sales_ticket_quote_report"


@tagged("post_install", "-at_install")
class TestQuote(ReportsPdfCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # plan 100 + TV 30 + public IP 20 = 150, minus 10 % = 135
        cls.ticket = cls._create_ticket(
            lines=[cls.plan, cls.tv, cls.public_ip, cls.discount_new],
            user_id=cls.seller.id,
        )

    def test_quote_pdf_shows_the_wizard_numbers(self):
        prospect = self.ticket.prospect_id
        self.assertEqual(prospect.amount_total, 135.0)
        pdf = self.render_pdf(QUOTE, self.ticket.ids, user=self.seller)
        text = pdf_text(pdf)
        for expected in (
            "Quote",
            self.ticket.name,
            "Ana Pérez",
            "ana@example.com",
            "Córdoba 1234",
            "Rosario",
            "has not been checked yet",  # no node: coverage unknown, in words
            "Plan 100 Mb",
            "Pack TV",
            "IP pública",
            "Nuevo cliente",
            "Estimated Monthly Total",
            "150.00",  # subtotal
            "-15.00",  # discount
            "135.00",  # total
        ):
            self.assertIn(expected, text)
        valid_until = fields.Date.context_today(self.ticket) + timedelta(days=15)
        self.assertIn(valid_until.strftime("%m/%d/%Y"), text)

    def test_validity_from_settings(self):
        Settings = self.env["res.config.settings"]
        Settings.create({"isp_quote_validity_days": 30}).execute()
        values = self.ticket._isp_quote_values()
        self.assertEqual((values["valid_until"] - values["date"]).days, 30)
        with self.assertRaisesRegex(ValidationError, "one day or more"):
            Settings.create({"isp_quote_validity_days": 0})

    def test_quote_in_spanish_for_a_spanish_contact(self):
        load_spanish(self.env)
        partner = self.ticket.lead_id._isp_get_or_create_partner()
        partner.lang = "es_AR"
        text = pdf_text(self.render_pdf(QUOTE, self.ticket.ids, user=self.seller))
        self.assertIn("Presupuesto", text)
        self.assertIn("Total mensual estimado", text)
        self.assertIn("135,00", text)
        self.assertNotIn("Estimated Monthly Total", text)

    def test_quote_and_its_email_in_the_company_language(self):
        """A seller working in English prints and sends the quote of a lead
        without contact yet: both come in the ISP's language (its company's),
        amounts and dates as Spanish writes them, and without the plan's
        internal reference."""
        load_spanish(self.env)
        self.company.partner_id.lang = "es_AR"
        self.assertEqual(self.seller.lang, "en_US")
        self.plan.default_code = "PLAN-H100"
        # a description stored with the reference, as lines used to be
        self.ticket.prospect_id.line_ids[:1].name = "[PLAN-H100] Plan 100 Mb"
        text = pdf_text(self.render_pdf(QUOTE, self.ticket.ids, user=self.seller))
        valid_until = fields.Date.context_today(self.ticket) + timedelta(days=15)
        for expected in (
            "Presupuesto",
            "Total mensual estimado",
            "$ 135,00",
            valid_until.strftime("%d/%m/%Y"),
            "Plan 100 Mb",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("PLAN-H100", text)
        self.assertNotIn("Estimated Monthly Total", text)

        action = self.ticket.with_user(self.seller).action_quote_send()
        partner = self.ticket.lead_id.partner_id
        self.assertEqual(partner.lang, "es_AR", "the contact made takes it")
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.seller)
            .with_context(action["context"], force_report_rendering=True)
        )
        self.assertIn("Presupuesto", composer.subject)
        self.assertIn("Hola", composer.body)
        self.assertIn("$&nbsp;135,00", composer.body)
        composer.save().action_send_mail()
        attachment = self.ticket.message_ids[0].attachment_ids
        self.assertIn("$ 135,00", pdf_text(attachment.raw))

    def test_contact_language_the_company_s_else_the_seller_s(self):
        load_spanish(self.env)
        lead = self._create_ticket(lead_name="Sin contacto").lead_id
        lead.user_id = self.seller
        self.company.partner_id.lang = False
        self.seller.lang = "es_AR"
        self.assertEqual(lead._isp_contact_lang(), "es_AR")
        self.seller.lang = "en_US"
        self.company.partner_id.lang = "es_AR"
        partner = lead.sudo()._isp_get_or_create_partner()
        self.assertEqual(partner.lang, "es_AR")
        self.assertEqual(lead._isp_contact_lang(), "es_AR")
        partner.lang = "en_US"  # the contact's own, once it has one
        self.assertEqual(lead._isp_contact_lang(), "en_US")

    def test_no_plan_is_refused(self):
        ticket = self._create_ticket(lead_name="Sin plan", lines=[self.public_ip])
        with self.assertRaisesRegex(UserError, "has no internet plan"):
            ticket.with_user(self.seller).action_print_quote()
        with self.assertRaisesRegex(UserError, "has no internet plan"):
            self.env["ir.actions.report"].with_user(self.seller)._render_qweb_html(
                QUOTE, ticket.ids
            )
        with self.assertRaisesRegex(UserError, "has no internet plan"):
            ticket.with_user(self.seller).action_quote_send()

    def test_technician_prints_only_own_tickets(self):
        order = self.ticket.action_create_order("feasibility")
        order.technician_id = self.technician
        Report = self.env["ir.actions.report"]
        html, __ = Report.with_user(self.technician)._render_qweb_html(
            QUOTE, self.ticket.ids
        )
        self.assertIn(b"Plan 100 Mb", html)
        with self.assertRaises(AccessError):
            Report.with_user(self.other_technician)._render_qweb_html(
                QUOTE, self.ticket.ids
            )

    def test_send_without_email_is_refused(self):
        ticket = self._create_ticket(lead_name="Sin correo")
        ticket.lead_id.email = False
        with self.assertRaisesRegex(UserError, "has no e-mail address"):
            ticket.with_user(self.seller).action_quote_send()
        self.assertFalse(ticket.lead_id.partner_id, "nothing half-done")

    def test_send_by_email_posts_the_pdf_in_the_chatter(self):
        action = self.ticket.with_user(self.seller).action_quote_send()
        self.assertEqual(action["res_model"], "mail.compose.message")
        partner = self.ticket.lead_id.partner_id
        self.assertEqual(partner.email, "ana@example.com")
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.seller)
            .with_context(action["context"], force_report_rendering=True)
        )
        self.assertIn(partner, composer.partner_ids)
        self.assertIn(self.ticket.name, composer.subject)
        composer.save().action_send_mail()
        message = self.ticket.message_ids[0]
        self.assertIn(partner, message.partner_ids)
        self.assertEqual(len(message.attachment_ids), 1)
        attachment = message.attachment_ids
        self.assertTrue(attachment.name.endswith(".pdf"), attachment.name)
        self.assertIn("135.00", pdf_text(attachment.raw))
