from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCommon

MAIL = """Return-Path: {return_path}
To: {to}
cc: {cc}
Subject: {subject}
From: {email_from}
Date: Fri, 10 Aug 2012 14:16:26 +0000
Message-ID: {msg_id}
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hola, quiero saber si tienen internet en calle Córdoba 1234, Rosario.
"""


@tagged("post_install", "-at_install")
class TestIntakeMail(MailCommon):
    """Leads by e-mail, through Odoo's real mail gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias = cls.env.ref("isp_sales_desk.mail_alias_desk")
        cls.alias.write(
            {"alias_name": "ventas-test", "alias_domain_id": cls.mail_alias_domain.id}
        )
        cls.seller = new_test_user(
            cls.env, login="mail_seller", groups="isp_sales_desk.group_isp_sales_user"
        )
        cls.env.company.isp_intake_user_ids = cls.seller
        cls.to = f"ventas-test@{cls.alias_domain}"

    def receive(self, email_from, subject, **kwargs):
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.format_and_process(
                MAIL,
                email_from,
                self.to,
                subject=subject,
                target_model="isp.sales.ticket",
                **kwargs,
            )
        return self.env["isp.sales.ticket"].search(
            [("message_ids.subject", "=", subject)]
        )

    def test_new_mail_creates_lead_prospect_and_ticket(self):
        ticket = self.receive('"Carla Correo" <carla@example.com>', "Consulta 1")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.state, "pending")
        self.assertTrue(ticket.name.startswith("MV/"))
        self.assertEqual(ticket.user_id, self.seller)
        lead = ticket.lead_id
        self.assertEqual(lead.name, "Carla Correo")
        self.assertEqual(lead.email, "carla@example.com")
        self.assertEqual(lead.source_id.name, "E-mail")
        self.assertFalse(ticket.prospect_id.has_point)
        self.assertEqual(ticket.coverage, "unknown")
        mail = ticket.message_ids.filtered(lambda m: m.subject == "Consulta 1")
        self.assertIn("calle Córdoba 1234", mail.body)

    def test_second_mail_of_the_sender_lands_on_the_open_ticket(self):
        first = self.receive('"Carla Correo" <carla@example.com>', "Consulta 2")
        again = self.receive("CARLA@example.com", "Consulta 3")
        self.assertEqual(again, first)
        self.assertEqual(
            self.env["isp.sales.lead"].search_count(
                [("email", "=ilike", "carla@example.com")]
            ),
            1,
        )
        self.assertEqual(len(first.lead_id.ticket_ids), 1)

    def test_sender_with_a_closed_ticket_gets_a_new_one(self):
        first = self.receive("pedro@example.com", "Consulta 4")
        first.action_set_lost(self.env.ref("isp_sales_desk.loss_reason_price").id)
        again = self.receive("pedro@example.com", "Consulta 5")
        self.assertNotEqual(again, first)
        self.assertEqual(again.lead_id, first.lead_id)
        self.assertEqual(again.state, "pending")

    def test_alias_in_settings(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.isp_alias_name, "ventas-test")
        self.assertEqual(settings.isp_alias_domain, self.alias_domain)
        settings.isp_alias_name = "consultas"
        settings.execute()
        self.assertEqual(self.alias.alias_name, "consultas")
