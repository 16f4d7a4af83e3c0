from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests import (
    BaseCase,
    Form,
    HttpCase,
    new_test_user,
    tagged,
    users,
    warmup,
)
from odoo.tests.common import get_db_name

from odoo.addons.web.tests.test_js import unit_test_error_checker

from .common import IspSalesDeskCase

ROSARIO = (-32.9468, -60.6393)


@tagged("post_install", "-at_install")
class TestCreateWizard(IspSalesDeskCase):
    """The "+ Create ticket" wizard, step by step, and its "Create"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.country_id = cls.env.ref("base.ar")
        cls.env["ir.config_parameter"].set_param("isp_sales_desk.tv_enabled", False)
        cls.Wizard = cls.env["isp.sales.ticket.create"].with_user(cls.seller)
        cls.existing_lead = cls.env["isp.sales.lead"].create(
            {
                "name": "Ana Existing",
                "phone": "+54 9 341 555 1234",
                "email": "Ana.Existing@Example.com",
                "vat": "20-12345678-9",
            }
        )

    def _counts(self):
        return tuple(
            self.env[model].search_count([])
            for model in (
                "isp.sales.lead",
                "isp.sales.prospect",
                "isp.sales.ticket",
                "isp.sales.order",
            )
        )

    def _full_wizard(self, **values):
        return self.Wizard.create(
            dict(
                {
                    "new_lead_name": "Bruno Nuevo",
                    "new_lead_phone": "+54 9 341 444 0000",
                    "new_lead_email": "bruno@example.com",
                    "source_id": self.source_facebook.id,
                    "street": "Córdoba",
                    "street_number": "1234",
                    "city": "Rosario",
                    "latitude": ROSARIO[0],
                    "longitude": ROSARIO[1],
                    "plan_id": self.plan.id,
                    "line_ids": [
                        Command.create({"product_id": self.public_ip.id}),
                        Command.create({"product_id": self.discount_new.id}),
                    ],
                    "order_type": "installation",
                },
                **values,
            )
        )

    # entry points ----------------------------------------------------------------

    def test_board_button_opens_the_wizard(self):
        Ticket = self.env["isp.sales.ticket"].with_user(self.seller)
        action_id = self.env.ref("isp_sales_desk.isp_sales_ticket_create_action").id
        views = Ticket.get_views([(False, "kanban"), (False, "list"), (False, "form")])[
            "views"
        ]
        arch = views["kanban"]["arch"]
        self.assertIn(f'name="{action_id}"', arch)
        self.assertIn('create="0"', arch)  # no plain "New" beside it
        # the list's and the form's "New" open the wizard (static/src/ticket_views)
        self.assertIn('js_class="isp_ticket_list"', views["list"]["arch"])
        self.assertIn('js_class="isp_ticket_form"', views["form"]["arch"])

    def test_settings(self):
        settings = self.env["res.config.settings"].create(
            {
                "isp_tv_enabled": True,
                "isp_map_tile_url": "https://tiles.example.com/{z}/{x}/{y}.png",
            }
        )
        settings.execute()
        self.assertTrue(self.Wizard._isp_tv_enabled())
        map_settings = self.env["isp.sales.prospect"].get_isp_map_settings()
        self.assertEqual(
            map_settings["tile_url"], "https://tiles.example.com/{z}/{x}/{y}.png"
        )
        self.assertIn("OpenStreetMap", map_settings["attribution"])
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"isp_coverage_margin_percent": -1})

    def test_map_starts_on_the_network(self):
        Prospect = self.env["isp.sales.prospect"].with_user(self.seller)
        self.env["isp.network.node"].search([]).active = False
        # no network yet: the whole world
        self.assertEqual(Prospect.get_isp_map_settings()["default_zoom"], 2)
        self.env["isp.network.node"].create(
            {"name": "Only", "latitude": ROSARIO[0], "longitude": ROSARIO[1]}
        )
        map_settings = Prospect.get_isp_map_settings()
        self.assertAlmostEqual(map_settings["default_center"][0], ROSARIO[0])
        self.assertAlmostEqual(map_settings["default_center"][1], ROSARIO[1])
        self.assertEqual(map_settings["default_zoom"], 13)
        # the maps draw the network, even without a base map
        (node,) = map_settings["nodes"]
        self.assertEqual(node["name"], "Only")
        self.assertAlmostEqual(node["latitude"], ROSARIO[0])
        self.assertEqual(node["coverage_radius"], 1000)
        self.assertFalse(node["full"])

    # step 1 ------------------------------------------------------------------

    def test_lead_search_by_phone_email_and_document(self):
        Lead = self.env["isp.sales.lead"].with_user(self.seller)
        for term in ("Ana Exist", "555 1234", "ana.existing@", "12345678"):
            with self.subTest(term=term):
                found = Lead.name_search(term)
                self.assertIn(self.existing_lead.id, [row[0] for row in found])

    def test_lead_search_the_way_sellers_type_it(self):
        lead = self.env["isp.sales.lead"].create(
            {"name": "Rosa Local", "mobile": "+54 9 341 523-9981", "vat": "23456987"}
        )
        Lead = self.env["isp.sales.lead"].with_user(self.seller)
        Ticket = self.env["isp.sales.ticket"].with_user(self.seller)
        ticket = self._create_ticket(lead_name="Otro")
        ticket.prospect_id.lead_id = lead
        terms = ("5239981", "3415239981", "0341 15 523-9981", "23.456.987")
        for term in terms:
            with self.subTest(term=term):
                found = Lead.name_search(term)
                self.assertEqual([row[0] for row in found], [lead.id])
                # the board's search, on its lead field
                self.assertEqual(Ticket.search([("lead_id", "ilike", term)]), ticket)
        self.assertFalse(Lead.name_search("9999999"))

    def test_board_search_finds_the_lead_by_phone_or_document(self):
        """The board's first search field (the one Enter searches) takes a
        phone, the end of one as dialled at home, or an ID document."""
        lead = self.env["isp.sales.lead"].create(
            {"name": "Rosa Local", "mobile": "+54 9 341 523-9981", "vat": "23456987"}
        )
        ticket = self._create_ticket(lead_name="Otro")
        ticket.prospect_id.lead_id = lead
        other = self._create_ticket(lead_name="Nadie")
        Ticket = self.env["isp.sales.ticket"].with_user(self.seller)
        arch = Ticket.get_view(view_type="search")["arch"]
        self.assertIn("[('display_name', 'ilike', self)]", arch.split("<field")[1])
        for term in ("15-523-9981", "523-9981", "0341 15 523-9981", "23.456.987"):
            with self.subTest(term=term):
                found = Ticket.search([("display_name", "ilike", term)])
                self.assertEqual(found, ticket)
        # references and names still work
        self.assertEqual(Ticket.search([("display_name", "ilike", other.name)]), other)
        self.assertIn(ticket, Ticket.search([("display_name", "ilike", "Rosa")]))
        self.assertFalse(Ticket.search([("display_name", "ilike", "15-000-0000")]))

    def test_phones_stored_normalised_as_odoo_does(self):
        """Whoever writes a lead's phone (the wizard, the form, the intake),
        it is kept as Odoo's phone_validation formats a contact's, in the
        company's numbering plan; what cannot be read as a phone stays as
        typed; the E.164 form is the lead's phone_sanitized."""
        with Form(self.Wizard) as form:
            form.new_lead_name = "Nueva"
            form.new_lead_phone = "0341 15 523-9981"
            self.assertEqual(form.new_lead_phone, "+54 9 341 523-9981")
        Lead = self.env["isp.sales.lead"].with_user(self.seller)
        lead = Lead.create({"name": "Tel", "phone": "341 523 9982", "mobile": "123"})
        self.assertEqual(lead.phone, "+54 341 523-9982")
        self.assertEqual(lead.mobile, "123", "not a phone: as typed")
        self.assertEqual(lead.phone_sanitized, "+543415239982")
        lead.write({"mobile": "0341 15 523-9983"})
        self.assertEqual(lead.mobile, "+54 9 341 523-9983")
        with Form(lead) as form:
            form.phone = "0341 4215566"
            self.assertEqual(form.phone, "+54 341 421-5566")
        intake = self.env["isp.sales.lead"].intake(name="Web", phone="0341 15 523-9984")
        self.assertEqual(Lead.browse(intake["lead_id"]).phone, "+54 9 341 523-9984")

    def test_duplicates_are_shown_before_saving_and_one_click_uses_them(self):
        cases = {
            "new_lead_phone": "+54 9 341 5551234",  # same number, other format
            "new_lead_email": "  ana.existing@EXAMPLE.com ",
            "new_lead_vat": "20123456789",
        }
        for field, value in cases.items():
            with self.subTest(field=field), Form(self.Wizard) as form:
                form.new_lead_name = "Ana again"
                setattr(form, field, value)
                self.assertEqual(form.duplicate_lead_id, self.existing_lead)
        wizard = self.Wizard.create(
            {"new_lead_name": "Ana again", "new_lead_email": "ana.existing@example.com"}
        )
        wizard.action_use_duplicate()
        self.assertEqual(wizard.lead_id, self.existing_lead)
        self.assertFalse(wizard.new_lead_name)
        self.assertFalse(wizard.duplicate_lead_ids)

    def test_no_false_duplicates(self):
        wizard = self.Wizard.create(
            {
                "new_lead_name": "Somebody else",
                "new_lead_phone": "+54 9 341 555 9999",
                "new_lead_email": "anaXexisting@example.com",
                "new_lead_vat": "99",
            }
        )
        self.assertFalse(wizard.duplicate_lead_ids)

    def test_lead_is_mandatory(self):
        counts = self._counts()
        wizard = self._full_wizard(new_lead_name="  ")
        with self.assertRefused(ValidationError, "choose a lead"):
            wizard.action_create()
        self.assertEqual(self._counts(), counts)

    # step 2 ------------------------------------------------------------------

    def test_existing_prospect_is_reused_with_its_data(self):
        prospect = self.env["isp.sales.prospect"].create(
            {
                "lead_id": self.existing_lead.id,
                "street": "Oroño",
                "city": "Rosario",
                "latitude": ROSARIO[0],
                "longitude": ROSARIO[1],
                "line_ids": [
                    Command.create({"product_id": self.plan.id}),
                    Command.create({"product_id": self.public_ip.id}),
                ],
            }
        )
        with Form(self.Wizard) as form:
            form.lead_id = self.existing_lead
            form.prospect_id = prospect
            self.assertEqual(form.street, "Oroño")
            self.assertEqual(form.plan_id, self.plan)
            self.assertEqual(form.amount_total, 120.0)
            with form.line_ids.new() as line:
                line.product_id = self.discount_fixed
            form.order_type = "ticket"
        action = form.record.action_create()
        ticket = self.env["isp.sales.ticket"].browse(action["res_id"])
        self.assertEqual(ticket.prospect_id, prospect)
        self.assertEqual(
            prospect.line_ids.product_id,
            self.plan | self.public_ip | self.discount_fixed,
        )
        self.assertEqual(prospect.amount_total, 95.0)
        self.assertFalse(ticket.order_ids)

    def test_one_open_sale_one_ticket(self):
        """Picking a prospect that already has an open ticket warns and offers
        that ticket; a second one needs a reason, kept in its chatter."""
        first = self._create_ticket(lead_name="Ana Again")
        prospect = first.prospect_id
        lead = prospect.lead_id
        with Form(self.Wizard) as form:
            form.lead_id = lead
            self.assertFalse(form.open_ticket_id)
            form.prospect_id = prospect
            self.assertEqual(form.open_ticket_id, first)
            form.order_type = "ticket"
        wizard = form.record
        action = wizard.action_open_existing_ticket()
        self.assertEqual(
            (action["res_model"], action["res_id"]), (first._name, first.id)
        )
        counts = self._counts()
        with self.assertRefused(ValidationError, "already has an open ticket"):
            wizard.action_create()
        self.assertEqual(self._counts(), counts, "nothing created")
        wizard.second_ticket_reason = "Una segunda línea para el local de arriba"
        second = self.env["isp.sales.ticket"].browse(wizard.action_create()["res_id"])
        self.assertNotEqual(second, first)
        self.assertEqual(second.prospect_id, prospect)
        note = second.message_ids.filtered(lambda m: "segunda línea" in (m.body or ""))
        self.assertIn(first.name, note.body)
        # a closed ticket is no open sale: no warning
        first.action_set_lost(self.reason_price.id)
        second.action_set_lost(self.reason_price.id)
        with Form(self.Wizard) as form:
            form.lead_id = lead
            form.prospect_id = prospect
            self.assertFalse(form.open_ticket_id)

    def test_prospect_of_another_lead_refused(self):
        other = self._create_ticket(lead_name="Other").prospect_id
        wizard = self._full_wizard(
            lead_id=self.existing_lead.id, prospect_id=other.id, new_lead_name=False
        )
        with self.assertRefused(ValidationError, "belongs to another lead"):
            wizard.action_create()

    # step 3 ------------------------------------------------------------------

    def test_live_coverage(self):
        with Form(self.Wizard) as form:
            self.assertEqual(form.coverage, "unknown")  # no point, no node
            form.latitude, form.longitude = ROSARIO
            self.assertEqual(form.coverage, "unknown")  # no node: not an error
            node = self.env["isp.network.node"].create(
                {
                    "name": "Centro",
                    "latitude": ROSARIO[0] + 0.001,
                    "longitude": ROSARIO[1],
                    "coverage_radius": 500,
                }
            )
            form.latitude = ROSARIO[0] - 0.0001
            self.assertEqual(form.coverage, "covered")
            self.assertEqual(form.node_id, node)
            self.assertAlmostEqual(form.node_distance, 122, delta=2)
            self.assertFalse(form.coverage_warning)
            form.latitude = ROSARIO[0] - 0.01
            self.assertEqual(form.coverage, "uncovered")
            # an installation on an uncovered point: warned, feasibility proposed
            self.assertEqual(form.order_type, "installation")
            self.assertTrue(form.coverage_warning)
            form.order_type = "feasibility"
            self.assertFalse(form.coverage_warning)
            form.new_lead_name = "Carla"
        ticket = self.env["isp.sales.ticket"].browse(
            form.record.action_create()["res_id"]
        )
        self.assertEqual(ticket.order_ids.order_type, "feasibility")
        self.assertEqual(ticket.coverage, "uncovered")

    def test_uncovered_installation_can_still_be_chosen(self):
        self.env["isp.network.node"].create(
            {"name": "Lejos", "latitude": ROSARIO[0] + 0.5, "longitude": ROSARIO[1]}
        )
        wizard = self._full_wizard()
        self.assertEqual(wizard.coverage, "uncovered")
        self.assertTrue(wizard.coverage_warning)
        action = wizard.action_use_feasibility()
        self.assertEqual(action["res_id"], wizard.id)  # the wizard stays open
        self.assertEqual(wizard.order_type, "feasibility")
        # the seller knows better (a planned node): installation on purpose
        wizard.order_type = "installation"
        ticket = self.env["isp.sales.ticket"].browse(wizard.action_create()["res_id"])
        self.assertEqual(ticket.order_ids.order_type, "installation")

    def test_coordinates_out_of_range(self):
        for values, message in (
            ({"latitude": 91.0}, "Latitude 91.0 is out of range"),
            ({"longitude": -180.5}, "Longitude -180.5 is out of range"),
        ):
            with (
                self.subTest(values=values),
                self.assertRefused(ValidationError, message),
            ):
                self.Wizard.create(dict({"new_lead_name": "X"}, **values))

    # step 4 ------------------------------------------------------------------

    def test_services_offered(self):
        wizard = self.Wizard.create({"new_lead_name": "X"})
        offered = wizard.allowed_product_ids
        self.assertIn(self.public_ip, offered)
        self.assertNotIn(self.discount_new, offered)  # no plan yet
        self.assertNotIn(self.tv, offered)  # TV service disabled
        wizard.plan_id = self.plan
        self.assertIn(self.discount_new, wizard.allowed_product_ids)
        self.env["ir.config_parameter"].set_param("isp_sales_desk.tv_enabled", True)
        wizard.invalidate_recordset(["allowed_product_ids", "tv_enabled"])
        self.assertIn(self.tv, wizard.allowed_product_ids)
        self.assertTrue(wizard.tv_enabled)

    def test_plan_must_be_a_plan(self):
        with self.assertRefused(ValidationError, "is not an internet plan"):
            self._full_wizard(plan_id=self.public_ip.id, line_ids=[])

    def test_the_plan_is_a_service_line(self):
        wizard = self._full_wizard()
        plan_line = wizard.line_ids.filtered(lambda line: line.product_id == self.plan)
        self.assertEqual(plan_line.service_kind, "plan")
        self.assertEqual(len(wizard.line_ids), 3)
        # lines alone (no plan_id) give the plan too
        wizard = self.Wizard.create(
            {
                "new_lead_name": "Solo líneas",
                "line_ids": [Command.create({"product_id": self.plan_big.id})],
            }
        )
        self.assertEqual(wizard.plan_id, self.plan_big)
        self.assertEqual(wizard.amount_plan, 150.0)
        wizard.plan_id = self.plan
        self.assertEqual(wizard.line_ids.product_id, self.plan)

    def test_tv_package_refused_when_tv_disabled(self):
        wizard = self._full_wizard(
            line_ids=[Command.create({"product_id": self.tv.id})]
        )
        with self.assertRefused(ValidationError, "TV service is not enabled"):
            wizard.action_create()

    def test_removing_the_plan_removes_the_discounts(self):
        with Form(self._full_wizard()) as form:
            self.assertEqual(len(form.line_ids), 3)  # the plan, the IP, the discount
            form.plan_id = self.env["product.product"]
            self.assertEqual(len(form.line_ids), 1)  # only the public IP left
            self.assertEqual(form.amount_total, 20.0)
        # the same over RPC, without onchange
        wizard = self._full_wizard()
        wizard.write({"plan_id": False})
        self.assertEqual(wizard.line_ids.product_id, self.public_ip)

    def test_discount_without_plan_refused_nothing_saved(self):
        counts = self._counts()
        wizard = self._full_wizard(plan_id=False)
        self.assertIn("once an internet plan is chosen", wizard.pricing_message)
        with self.assertRefused(ValidationError, "once an internet plan is chosen"):
            wizard.action_create()
        self.assertEqual(self._counts(), counts)

    def test_negative_quantity_refused(self):
        wizard = self._full_wizard(
            line_ids=[Command.create({"product_id": self.public_ip.id, "quantity": -2})]
        )
        self.assertIn("cannot be negative", wizard.pricing_message)
        with self.assertRefused(ValidationError, "cannot be negative"):
            wizard.action_create()

    # step 5 and Create ---------------------------------------------------------

    def test_summary_is_the_prospect_pricing(self):
        with Form(self.Wizard) as form:
            form.new_lead_name = "Dora"
            form.new_lead_contact_type = "company"
            form.plan_id = self.plan_big
            with form.line_ids.new() as line:
                line.product_id = self.public_ip
                line.quantity = 2
            with form.line_ids.new() as line:
                line.product_id = self.discount_new
            self.assertEqual(form.contact_type, "company")
            self.assertEqual(form.amount_plan, 150.0)
            self.assertEqual(form.amount_items, 40.0)
            self.assertEqual(form.amount_subtotal, 190.0)
            self.assertEqual(form.amount_discount, 19.0)
            self.assertEqual(form.amount_total, 171.0)
        action = form.record.action_create()
        ticket = self.env["isp.sales.ticket"].browse(action["res_id"])
        self.assertEqual(ticket.prospect_id.amount_total, 171.0)
        self.assertEqual(ticket.lead_id.contact_type, "company")

    def test_create_everything_in_one_go(self):
        counts = self._counts()
        wizard = self._full_wizard()
        self.assertEqual(wizard.amount_total, 108.0)  # (100 + 20) - 10%
        action = wizard.action_create()
        self.assertEqual(action["res_model"], "isp.sales.ticket")
        ticket = self.env["isp.sales.ticket"].browse(action["res_id"])
        self.assertEqual(self._counts(), tuple(c + 1 for c in counts))
        self.assertEqual(ticket.lead_id.name, "Bruno Nuevo")
        self.assertEqual(ticket.source_id, self.source_facebook)
        self.assertEqual(ticket.user_id, self.seller)
        prospect = ticket.prospect_id
        self.assertEqual(prospect.street, "Córdoba")
        self.assertAlmostEqual(prospect.latitude, ROSARIO[0])
        self.assertEqual(
            prospect.line_ids.mapped("product_id"),
            self.plan | self.public_ip | self.discount_new,
        )
        self.assertEqual(prospect.amount_total, 108.0)
        self.assertEqual(ticket.order_ids.order_type, "installation")
        self.assertEqual(ticket.state, "in_progress")

    def test_feasibility_order(self):
        action = self._full_wizard(order_type="feasibility").action_create()
        ticket = self.env["isp.sales.ticket"].browse(action["res_id"])
        self.assertEqual(ticket.order_ids.order_type, "feasibility")

    def test_error_while_creating_leaves_nothing(self):
        counts = self._counts()
        wizard = self._full_wizard()
        with (
            patch.object(
                type(self.env["isp.sales.ticket"]),
                "action_create_order",
                side_effect=UserError("The order failed"),
            ),
            self.assertRefused(UserError, "The order failed"),
        ):
            wizard.action_create()
        self.assertEqual(self._counts(), counts)
        self.assertEqual(wizard.state, "draft")

    def test_create_twice_creates_one_ticket(self):
        wizard = self._full_wizard()
        first = wizard.action_create()
        counts = self._counts()
        second = wizard.action_create()
        self.assertEqual(first["res_id"], second["res_id"])
        self.assertEqual(self._counts(), counts)

    @users("isp_seller")
    @warmup
    def test_create_query_count(self):
        """New lead + prospect with three lines + ticket + installation order.

        95 queries, of which about 60 are the sales desk's own: lock and
        checks of the wizard (~10), the lead with its follower and creation
        message (~8), the prospect, its three lines and the nearest-node query
        (~10), the ticket with its sequence and follower (~9), the order with
        its sequence, lock of the ticket and the batched recomputations at
        flush (~20). The other ~30 are the field-service hand-off of the order
        (a contact for the lead and an fsm.location, created without chatter
        noise, and the fsm.order with its follower and creation message).
        4 more keep the status history (a stay opened for the new ticket; the
        order closes it and opens the next: find, update, insert). 1 more
        normalises the new lead's phone (phone_validation reads the
        company's country).
        """
        self.env["isp.network.node"].sudo().create(
            {"name": "Perf node", "latitude": ROSARIO[0], "longitude": ROSARIO[1]}
        )
        wizard = self._full_wizard().with_env(self.env)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(isp_seller=95):
            wizard.action_create()
            self.env.flush_all()


def hoot_suite_id(name):
    """Hoot's id of a test suite (as web/tests/test_js.py computes it)."""
    value = 0
    for char in name:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    return f"{value:08x}"


@tagged("post_install", "-at_install")
class TestCreateWizardUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["isp.network.node"].search([]).active = False  # an empty network
        new_test_user(
            cls.env,
            login="wizard_tour_seller",
            password="wizard_tour_seller",
            groups="isp_sales_desk.group_isp_sales_user",
        )
        cls.env["ir.config_parameter"].set_param("isp_sales_desk.map_tile_url", "")
        cls.lead = cls.env["isp.sales.lead"].create(
            {"name": "Wizard Tour Lead", "phone": "+54 9 341 555 7777"}
        )
        cls.node = cls.env["isp.network.node"].create(
            {
                "name": "Tour Node",
                "latitude": ROSARIO[0],
                "longitude": ROSARIO[1],
                # the map opens on the node; wide enough for any click on it
                "coverage_radius": 20000,
            }
        )
        Product = cls.env["product.product"]
        for values in (
            {"name": "Tour Plan 100", "service_kind": "plan", "list_price": 100},
            {
                "name": "Tour Public IP",
                "service_kind": "recurring_item",
                "list_price": 20,
            },
            {
                "name": "Tour Welcome",
                "service_kind": "discount",
                "isp_discount_type": "percent",
                "list_price": 10,
            },
        ):
            Product.create(dict(values, type="service"))

    def test_create_ticket_tour(self):
        self.start_tour(
            "/odoo", "isp_sales_desk_create_ticket_tour", login="wizard_tour_seller"
        )
        ticket = self.lead.ticket_ids
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.prospect_id.street, "Mitre")
        self.assertEqual(ticket.prospect_id.coverage, "covered")
        self.assertEqual(ticket.prospect_id.node_id, self.node)
        self.assertEqual(ticket.amount_total, 108.0)
        self.assertEqual(ticket.order_ids.order_type, "installation")

    def test_wizard_details_tour(self):
        self.env.company.country_id = self.env.ref("base.ar")
        self.start_tour(
            "/odoo/action-isp_sales_desk.isp_sales_ticket_action",
            "isp_sales_desk_wizard_details_tour",
            login="wizard_tour_seller",
        )

    def test_map_widget_hoot(self):
        self.browser_js(
            "/web/tests?headless&loglevel=2&preset=desktop&timeout=15000"
            f"&id={hoot_suite_id('@isp_sales_desk')}",
            "",
            "",
            login="admin",
            timeout=600,
            success_signal="[HOOT] Test suite succeeded",
            error_checker=unit_test_error_checker,
        )


@tagged("post_install", "-at_install")
class TestCreateWizardConcurrency(BaseCase):
    """ "Create" pressed twice at once (double click, two tabs), on real
    separate cursors: one ticket. The data is committed, then removed."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lead = env["isp.sales.lead"].create({"name": "Doble clic"})
            wizard = env["isp.sales.ticket.create"].create(
                {"lead_id": lead.id, "order_type": "ticket", "street": "Doble 1"}
            )
            self.lead_id, self.wizard_id = lead.id, wizard.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lead = env["isp.sales.lead"].browse(self.lead_id)
            env["isp.sales.ticket.create"].browse(self.wizard_id).unlink()
            lead.ticket_ids.unlink()
            lead.prospect_ids.unlink()
            lead.unlink()

    def _wizard(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env["isp.sales.ticket.create"].browse(self.wizard_id)

    def test_second_create_while_the_first_runs(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = self._wizard(cr1).action_create()
            # cr1 has not committed yet: it holds the wizard's row
            with self.assertRaisesRegex(UserError, "being created already"):
                self._wizard(cr2).action_create()
            cr1.commit()
            cr2.rollback()
            # once the first is committed, a late click opens the same ticket
            second = self._wizard(cr2).action_create()
            self.assertEqual(second["res_id"], first["res_id"])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["isp.sales.ticket"].search([("lead_id", "=", self.lead_id)])
            self.assertEqual(len(tickets), 1)
