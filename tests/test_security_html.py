"""Text is never HTML: what visitors, senders, bots and technicians type
reaches the sellers' activities and chatter as text. Tried at the public
page (HTTP), over JSON-2, through the mail gateway and by the follow-up
work, and read back from the database."""

import re

from odoo.tests import tagged

from .common import IspJson2Case

ROSARIO = (-32.9468, -60.6393)
CORDOBA = (-31.4201, -64.1888)
EVIL = '<img src=x onerror=alert(1)><a href="http://evil">x</a>'
TAGS = re.compile(r"<\s*(img|a|script)\b", re.IGNORECASE)


@tagged("post_install", "-at_install")
class TestTextIsNeverHtml(IspJson2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.isp_coverage_page = True
        cls.env.company.isp_intake_user_ids = cls.users["seller"]
        cls.add_user(
            "bot",
            "base.group_user,isp_sales_desk.group_isp_sales_intake",
            name="Web bot",
        )
        cls.env["ir.config_parameter"].set_param(
            "isp_sales_desk.coverage_submit_limit", 50
        )

    def setUp(self):
        super().setUp()
        self.env.cr.execute("DELETE FROM isp_coverage_rate_limit")

    def assertText(self, html, text_part):
        """``html`` shows ``text_part`` as text: escaped, no tag of it."""
        self.assertTrue(html)
        self.assertFalse(TAGS.search(html), html)
        self.assertIn(text_part, html)

    def activity_notes(self, ticket):
        ticket.invalidate_recordset()
        return ticket.sudo().activity_ids.mapped("note")

    def test_a_visitors_name_from_the_public_page(self):
        page = self.url_open("/isp/coverage")
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            "/isp/coverage",
            data={
                "token": token,
                "name": EVIL,
                "phone": "+54 9 341 555 4242",
                "note": 'Mi casa <a href="http://evil">aquí</a> http://evil.example.com',
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        ticket = self.env["isp.sales.ticket"].search([("lead_id.name", "=", EVIL)])
        self.assertEqual(len(ticket), 1)
        (note,) = self.activity_notes(ticket)
        self.assertText(note, "&lt;img src=x onerror=alert(1)&gt;")
        # the visitor's note is the ticket's description: text too, no link
        self.assertText(ticket.description, "&lt;a href=")

    def test_a_bots_name_over_json2(self):
        status, result = self.json2(
            "bot",
            "isp.sales.lead",
            "intake",
            name=EVIL,
            phone="+54 9 341 555 4343",
            source='<b onmouseover="x">Web</b>',
            note="<img src=http://tracker.example.com/p.gif>",
        )
        self.assertEqual(status, 200, result)
        ticket = self.env["isp.sales.ticket"].browse(result["ticket_id"])
        (note,) = self.activity_notes(ticket)
        self.assertText(note, "&lt;img src=x onerror=alert(1)&gt;")
        self.assertIn("&lt;b onmouseover", note)
        self.assertText(ticket.description, "&lt;img src=http://tracker")

    def test_an_email_display_name(self):
        domain = self.env["mail.alias.domain"].create({"name": "html.example.com"})
        self.env.ref("isp_sales_desk.mail_alias_desk").write(
            {"alias_name": "ventas-html", "alias_domain_id": domain.id}
        )
        name = "=?utf-8?q?=3Cimg_src=3Dx_onerror=3Dalert=281=29=3E?="
        raw = (
            f"From: {name} <img@example.com>\n"
            "To: ventas-html@html.example.com\nSubject: hola\n"
            "Message-ID: <html-name@example.com>\n\nHola\n"
        )
        self.env["mail.thread"].sudo().message_process(False, raw)
        ticket = self.env["isp.sales.ticket"].search(
            [("lead_id.email", "=", "img@example.com")]
        )
        (note,) = self.activity_notes(ticket)
        self.assertText(note, "&lt;img src=x onerror=alert(1)&gt;")

    def test_a_technicians_result_note(self):
        lead = self.env["isp.sales.lead"].create({"name": "Factible"})
        prospect = self.env["isp.sales.prospect"].create(
            {"lead_id": lead.id, "latitude": ROSARIO[0], "longitude": ROSARIO[1]}
        )
        ticket = self.env["isp.sales.ticket"].create(
            {"prospect_id": prospect.id, "user_id": self.users["seller"].id}
        )
        order = ticket.action_create_order("feasibility")
        order.technician_id = self.users["technician"]
        status, body = self.json2(
            "technician",
            "isp.sales.order",
            "write",
            ids=order.ids,
            vals={
                "result_note": f"Techo firme.\n{EVIL}",
                "feasibility_result": "feasible",
            },
        )
        self.assertEqual(status, 200, body)
        status, body = self.json2(
            "technician", "isp.sales.order", "action_done", ids=order.ids
        )
        self.assertEqual(status, 200, body)
        (note,) = self.activity_notes(ticket)
        self.assertText(note, "&lt;img src=x onerror=alert(1)&gt;")
        self.assertIn("Techo firme.<br>", note.replace("<br/>", "<br>"))

    def test_the_follow_up_notes(self):
        """A node that reaches a place lost for lack of coverage gives its
        seller an activity naming the place and the node."""
        lead = self.env["isp.sales.lead"].create({"name": EVIL})
        prospect = self.env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "street": "<script>alert(2)</script>",
                "latitude": CORDOBA[0],
                "longitude": CORDOBA[1],
            }
        )
        ticket = self.env["isp.sales.ticket"].create(
            {"prospect_id": prospect.id, "user_id": self.users["seller"].id}
        )
        ticket.action_set_lost(
            self.env.ref("isp_sales_desk.loss_reason_no_coverage").id
        )
        status, body = self.json2(
            "manager",
            "isp.network.node",
            "create",
            vals_list=[
                {
                    "name": '<img src="http://evil/n.png">Torre',
                    "latitude": CORDOBA[0],
                    "longitude": CORDOBA[1],
                    "coverage_radius": 1000,
                }
            ],
        )
        self.assertEqual(status, 200, body)
        (note,) = self.activity_notes(ticket)
        self.assertText(note, "&lt;script&gt;alert(2)&lt;/script&gt;")
        self.assertIn("&gt;Torre", note)
        # the stale follow-up: its note is text as well
        ticket.action_reopen()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE isp_sales_ticket SET date_state_changed = '2000-01-01'"
            " WHERE id = %s",
            [ticket.id],
        )
        ticket.invalidate_recordset()
        ticket.activity_ids.unlink()
        self.env["isp.sales.ticket"]._isp_flag_stale()
        (note,) = self.activity_notes(ticket)
        self.assertText(note, "2000-01-01")

    def test_order_messages_on_the_ticket(self):
        """An order named by its caller is shown as text in the ticket's
        chatter (the order's link is the only markup)."""
        lead = self.env["isp.sales.lead"].create({"name": "Nombre de orden"})
        prospect = self.env["isp.sales.prospect"].create({"lead_id": lead.id})
        ticket = self.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        status, body = self.json2(
            "seller",
            "isp.sales.order",
            "create",
            vals_list=[{"ticket_id": ticket.id, "name": EVIL}],
        )
        self.assertEqual(status, 200, body)
        ticket.invalidate_recordset()
        bodies = ticket.message_ids.mapped("body")
        created = [body for body in bodies if "Order " in body and "created" in body]
        self.assertTrue(created, bodies)
        for body in created:
            self.assertFalse(re.search(r"<\s*img", body), body)
            self.assertIn("&lt;img src=x onerror=alert(1)&gt;", body)
