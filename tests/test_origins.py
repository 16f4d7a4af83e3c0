from odoo.tests import tagged

from .common import IspSalesDeskCase


@tagged("post_install", "-at_install")
class TestOrigins(IspSalesDeskCase):
    """One list of origins, the desk's first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Source = cls.env["utm.source"]
        cls.office = cls.Source.create(
            {"name": "Oficina (test)", "isp_desk_origin": True}
        )
        cls.zeta = cls.Source.create(
            {"name": "Zeta Llamada (test)", "isp_desk_origin": True}
        )

    def _names(self, name="", limit=100):
        Source = self.Source.with_user(self.seller).with_context(
            isp_desk_origins_first=True
        )
        return [label for _id, label in Source.name_search(name, limit=limit)]

    def test_desk_origins_come_first(self):
        names = self._names()
        desk = {
            source.display_name
            for source in self.Source.search([("isp_desk_origin", "=", True)])
        }
        self.assertIn("Monster", names)
        self.assertIn(self.env.ref("utm.utm_source_referral").name, desk)
        # every desk origin before any other source
        first_other = min(i for i, name in enumerate(names) if name not in desk)
        self.assertEqual(set(names[:first_other]), desk)
        self.assertEqual(len(names), len(set(names)), "each origin once")
        # the limit holds, desk origins kept first
        self.assertEqual(self._names(limit=2), names[:2])
        self.assertEqual(self._names("Llamada"), ["Zeta Llamada (test)"])
        # without the desk's context, Odoo's own order
        plain = self.Source.name_search("", limit=100)
        self.assertNotEqual([label for _id, label in plain], names)

    def test_origin_fields_ask_for_the_desk_order(self):
        """The lead form and the wizard ask for the desk's order; an origin
        a seller creates from the lead form is one of the desk's."""
        lead_arch = self.env["isp.sales.lead"].get_view(view_type="form")["arch"]
        self.assertIn("'isp_desk_origins_first': True", lead_arch)
        self.assertIn("'default_isp_desk_origin': True", lead_arch)
        wizard_arch = self.env["isp.sales.ticket.create"].get_view(view_type="form")[
            "arch"
        ]
        self.assertIn("'isp_desk_origins_first': True", wizard_arch)

    def test_intake_origins_are_the_desk(self):
        self.env.company.isp_intake_user_ids = self.seller
        result = self.env["isp.sales.lead"].intake(
            name="Desde la radio", source="Radio (intake test)"
        )
        lead = self.env["isp.sales.lead"].browse(result["lead_id"])
        self.assertEqual(lead.source_id.name, "Radio (intake test)")
        self.assertTrue(lead.source_id.isp_desk_origin)
