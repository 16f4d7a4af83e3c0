from odoo import Command

from .common import IspSalesDeskCase

TZ = "America/Argentina/Buenos_Aires"  # UTC-3 all year


def add_status_fixtures(cls):
    """A team that installs 9-13 and 14-18 every day (Argentina's time), the
    first team of the company (field service gives it the new orders), and
    a desk's phone. Works for any test class (TransactionCase, HttpCase)."""
    env = cls.env
    env.company.partner_id.tz = TZ
    env.company.isp_desk_phone = "+54 341 400-1000"
    env.company.isp_desk_whatsapp = "+54 9 341 400-1000"
    cls.calendar = env["resource.calendar"].create(
        {
            "name": "Instalaciones",
            "tz": TZ,
            "attendance_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "name": f"{day} {period}",
                        "dayofweek": str(day),
                        "hour_from": hour_from,
                        "hour_to": hour_to,
                        "day_period": period,
                    }
                )
                for day in range(7)
                for hour_from, hour_to, period in (
                    (9, 13, "morning"),
                    (14, 18, "afternoon"),
                )
            ],
        }
    )
    cls.team = env["fsm.team"].create(
        {
            "name": "Cuadrilla Centro",
            "sequence": -100,
            "isp_calendar_id": cls.calendar.id,
        }
    )


class IspStatusCase(IspSalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        add_status_fixtures(cls)
        cls.fee = cls.env["product.product"].create(
            {
                "name": "Instalación",
                "type": "service",
                "service_kind": "one_time",
                "list_price": 50.0,
            }
        )

    @classmethod
    def _open_ticket(cls, lead_name="Ana Pérez", env=None):
        """A ticket with its installation order handed to field service."""
        ticket = cls._create_ticket(
            env=env, lead_name=lead_name, lines=[cls.plan, cls.tv, cls.fee]
        )
        order = ticket.action_create_order("installation")
        order.technician_id = cls.technician
        assert order.fsm_order_id.team_id == cls.team, order.fsm_order_id.team_id
        return ticket, order
