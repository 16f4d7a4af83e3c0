"""Only the mail gateway hands e-mails to the desk, tried where an attacker
tried it: JSON-2 with each role's API key, and Odoo's real gateway script
(``odoo-mailgate.py``) talking XML-RPC to the test server."""

import subprocess
import sys

from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.misc import file_path

from .common import IspJson2Case

MAILGATE = file_path("mail/static/scripts/odoo-mailgate.py")

MAIL = """Return-Path: <{sender}>
To: {to}
Subject: {subject}
{from_header}Date: Fri, 10 Aug 2012 14:16:26 +0000
Message-ID: <{subject}@sec.example.com>
{headers}MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hola, quiero saber si tienen internet en calle Córdoba 1234, Rosario.
"""


@tagged("post_install", "-at_install")
class TestMailGatewayBoundary(IspJson2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create(
            {
                "name": "sec.example.com",
                "bounce_alias": "bounce-sec",
                "catchall_alias": "catchall-sec",
            }
        )
        cls.env.company.alias_domain_id = domain
        cls.alias = cls.env.ref("isp_sales_desk.mail_alias_desk")
        # an alias in use: it took mails already
        cls.alias.write(
            {
                "alias_name": "ventas-sec",
                "alias_domain_id": domain.id,
                "alias_status": "valid",
            }
        )
        cls.to = "ventas-sec@sec.example.com"
        cls.env.company.isp_intake_user_ids = cls.users["seller"]
        # a known customer, with an open ticket
        cls.customer_ticket = cls.env["isp.sales.ticket"].create(
            {
                "prospect_id": cls.env["isp.sales.prospect"]
                .create(
                    {
                        "lead_id": cls.env["isp.sales.lead"]
                        .create({"name": "Carla Cliente", "email": "carla@example.com"})
                        .id
                    }
                )
                .id
            }
        )

    def mail(self, sender, subject, headers="", with_from=True):
        return MAIL.format(
            sender=sender,
            to=self.to,
            subject=subject,
            from_header=f"From: {sender}\n" if with_from else "",
            headers=headers,
        )

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def gateway(self, raw, role="admin"):
        """Hand ``raw`` to Odoo the way a mail server does: the gateway script,
        with the API key of ``role`` as its password; its exit status."""
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            process = subprocess.run(
                [
                    sys.executable,
                    str(MAILGATE),
                    "--database",
                    self.env.cr.dbname,
                    "--userid",
                    str(self.users[role].id),
                    "--password",
                    self.keys[role],
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.http_port()),
                ],
                input=raw,
                text=True,
                capture_output=True,
                timeout=60,
                check=False,
            )
        self.env.invalidate_all()
        return process.returncode

    def leads_of(self, email):
        self.env.invalidate_all()
        return (
            self.env["isp.sales.lead"]
            .with_context(active_test=False)
            .search([("email", "=ilike", email)])
        )

    def test_message_new_over_json2_is_refused_and_creates_nothing(self):
        before = self.desk_counts()
        for role in ("technician", "seller", "manager", "portal", "admin"):
            with self.subTest(role=role):
                self.assertRefusedOverJson2(
                    self.json2(
                        role,
                        "isp.sales.ticket",
                        "message_new",
                        msg_dict={"email_from": "X <a@b.c>", "subject": "hola"},
                    ),
                    403,
                    "Only the mail gateway",
                )
        self.assertEqual(self.desk_counts(), before)
        self.assertFalse(self.leads_of("a@b.c"))

    def test_known_customer_never_learnt_from_message_new(self):
        """A caller who knows a customer's address learns nothing of their
        ticket: no id back, nothing posted on it."""
        messages = len(self.customer_ticket.message_ids)
        for role in ("technician", "seller", "portal"):
            with self.subTest(role=role):
                status, body = self.json2(
                    role,
                    "isp.sales.ticket",
                    "message_new",
                    msg_dict={"email_from": "Carla <carla@example.com>"},
                )
                self.assertEqual(status, 403, body)
                self.assertEqual(body["name"], "odoo.exceptions.AccessError")
                status, body = self.json2(
                    role,
                    "mail.thread",
                    "message_process",
                    model=False,
                    message=self.mail("carla@example.com", f"known-{role}"),
                )
                self.assertEqual(status, 403, body)
        self.customer_ticket.invalidate_recordset()
        self.assertEqual(len(self.customer_ticket.message_ids), messages)

    def test_message_process_to_the_desk_alias_needs_the_gateway(self):
        before = self.desk_counts()
        for role in ("technician", "seller", "manager", "portal"):
            with self.subTest(role=role):
                status, body = self.json2(
                    role,
                    "mail.thread",
                    "message_process",
                    model=False,
                    message=self.mail(f"{role}@evil.example.com", f"rpc-{role}"),
                )
                self.assertEqual(status, 403, body)
                self.assertFalse(self.leads_of(f"{role}@evil.example.com"))
        self.assertEqual(self.desk_counts(), before)
        # the gateway script with a technician's key is refused too
        raw = self.mail("tech@evil.example.com", "script-tech")
        self.assertNotEqual(self.gateway(raw, "technician"), 0)
        self.assertFalse(self.leads_of("tech@evil.example.com"))
        self.assertEqual(self.desk_counts(), before)

    def test_the_real_gateway_creates_the_lead(self):
        status = self.gateway(self.mail('"Nora Nueva" <nora@example.com>', "alta"))
        self.assertEqual(status, 0)
        lead = self.leads_of("nora@example.com")
        self.assertEqual(lead.name, "Nora Nueva")
        ticket = lead.ticket_ids
        self.assertEqual(ticket.state, "pending")
        self.assertEqual(ticket.user_id, self.users["seller"])
        mail = ticket.message_ids.filtered(lambda m: m.subject == "alta")
        self.assertIn("calle Córdoba 1234", mail.body)
        # the customer's next mail lands on their open ticket
        self.assertEqual(self.gateway(self.mail("nora@example.com", "alta-2")), 0)
        self.assertEqual(self.leads_of("nora@example.com").ticket_ids, ticket)

    def test_machines_make_no_lead(self):
        before = self.desk_counts()
        automatic = {
            "vacation": "Auto-Submitted: auto-replied\n",
            "list": "Precedence: bulk\n",
            "x-autoreply": "X-Autoreply: yes\n",
        }
        for name, headers in automatic.items():
            with self.subTest(mail=name):
                status = self.gateway(
                    self.mail(f"{name}@robot.example.com", f"auto-{name}", headers)
                )
                self.assertEqual(status, 0)
                self.assertFalse(self.leads_of(f"{name}@robot.example.com"))
        self.assertEqual(
            self.gateway(self.mail("nobody", "no-sender", with_from=False)), 0
        )
        self.assertEqual(self.desk_counts(), before)
        # a person's mail is still taken in
        self.gateway(self.mail("person@example.com", "person", "Auto-Submitted: no\n"))
        self.assertTrue(self.leads_of("person@example.com"))
