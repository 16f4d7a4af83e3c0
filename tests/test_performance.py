from odoo.tests import tagged, users, warmup

from .common import IspSalesDeskCase

# what Odoo 19's web client sends for the board and the list (captured from a
# browser by tools/bench_board.py --show-spec)
ACTIVITY_SPEC = {
    "activity_ids": {"fields": {}},
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": {"fields": {"display_name": {}}},
}
KANBAN_SPEC = {
    "color": {},
    "is_stale": {},
    "coverage": {},
    "can_recontact": {},
    "prospect_name": {},
    "name": {},
    "create_date": {},
    "source_id": {"fields": {"display_name": {}}},
    "scheduled_date": {},
    "lost_reason_id": {"fields": {"display_name": {}}},
    "tag_ids": {"fields": {"display_name": {}, "color": {}}},
    "priority": {},
    **ACTIVITY_SPEC,
    "order_count": {},
    "user_id": {"fields": {"display_name": {}}},
}
# the progress bar's sum (sum_field) and bar, as the web client asks them
BOARD_AGGREGATES = [
    "amount_total:sum",
    "currency_id:array_agg_distinct",
    "amount_total:sum_currency",
]
BOARD_PROGRESS_BAR = {
    "field": "activity_state",
    "colors": {"planned": "success", "today": "warning", "overdue": "danger"},
    "help": "",
}
LIST_SPEC = {
    "name": {},
    "prospect_name": {},
    "create_date": {},
    "source_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "order_count": {},
    "scheduled_date": {},
    "tag_ids": {"fields": {"display_name": {}, "color": {}}},
    "plan_product_id": {"fields": {"display_name": {}}},
    "amount_total": {},
    "currency_id": {"fields": {}},
    "company_id": {"fields": {}},
    "lost_reason_id": {"fields": {"display_name": {}}},
    "state": {},
    **ACTIVITY_SPEC,
}


@tagged("post_install", "-at_install", "isp_perf")
class TestPerformance(IspSalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tags = cls.env["isp.sales.tag"].create(
            [{"name": f"Perf {i}"} for i in range(3)]
        )
        cls.tickets = cls.env["isp.sales.ticket"]
        for index in range(12):
            ticket = cls._create_ticket(
                lead_name=f"Perf {index}",
                user_id=cls.seller.id,
                tag_ids=[(6, 0, tags.ids)],
            )
            cls.tickets |= ticket
            if index % 4 == 1:
                ticket.action_create_order("installation")
            elif index % 4 == 2:
                ticket.action_create_order("installation").action_done()
            elif index % 4 == 3:
                ticket.action_set_lost(cls.reason_price.id)
        cls.env.flush_all()

    def _board(self):
        return (
            self.env["isp.sales.ticket"]
            .with_context(read_group_expand=True)
            .web_read_group(
                # the test's tickets only: the counts do not depend on what else
                # the database holds (tools/bench_board.py shows that they do
                # not depend on how many tickets there are either)
                [("id", "in", self.tickets.ids)],
                ["state"],
                BOARD_AGGREGATES,
                auto_unfold=True,
                unfold_read_specification=KANBAN_SPEC,
                unfold_read_default_limit=80,
            )
        )

    @users("isp_seller")
    @warmup
    def test_board_load_query_count(self):
        self.env.invalidate_all()
        # 13 with the columns' sums: 12 for the columns and the cards, and
        # whether a company's currency has a rate (Odoo's own sum_currency
        # reads the company there instead: 13 as well)
        with self.assertQueryCount(isp_seller=13):
            result = self._board()
        self.assertEqual(len(result["groups"]), 4)

    @users("isp_seller")
    @warmup
    def test_board_progress_bar_query_count(self):
        ticket = self.tickets[0]  # pending
        if not ticket.activity_ids:  # @warmup runs this twice
            ticket.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline="2099-01-01"
            )
        self.env.invalidate_all()
        with self.assertQueryCount(isp_seller=1):
            bars = self.env["isp.sales.ticket"].read_progress_bar(
                [("id", "in", self.tickets.ids)], "state", BOARD_PROGRESS_BAR
            )
        self.assertEqual(bars, {"pending": {"planned": 1, "today": 0, "overdue": 0}})

    @users("isp_seller")
    @warmup
    def test_list_first_page_query_count(self):
        self.env.invalidate_all()
        with self.assertQueryCount(isp_seller=10):
            self.env["isp.sales.ticket"].web_search_read(
                [("id", "in", self.tickets.ids)], LIST_SPEC, limit=80, count_limit=10001
            )

    @users("isp_seller")
    @warmup
    def test_ticket_creation_query_count(self):
        lead = self.env["isp.sales.lead"].create(
            {"name": "Nuevo", "source_id": self.source_facebook.id}
        )
        prospect = self.env["isp.sales.prospect"].create(
            {"lead_id": lead.id, "line_ids": [(0, 0, {"product_id": self.plan.id})]}
        )
        self.env.flush_all()
        # 10: the 10th opens the ticket's status history (state log)
        with self.assertQueryCount(isp_seller=10):
            self.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
            self.env.flush_all()

    @users("isp_seller")
    @warmup
    def test_name_search_query_count(self):
        self.env.invalidate_all()
        with self.assertQueryCount(isp_seller=1):
            found = self.env["isp.sales.ticket"].web_name_search(
                "Perf 1", specification={"display_name": {}}, limit=9
            )
        self.assertTrue(found)

    def test_duplicate_check_costs_one_query_at_any_size(self):
        """Phone (however written), e-mail and ID document are matched on
        stored, indexed keys: one query, at 10 leads as at 1,010."""
        self.company.country_id = self.env.ref("base.ar")
        Lead = self.env["isp.sales.lead"].with_context(tracking_disable=True)
        probe = {
            "phone": "0341 15 523-9981",
            "email": "ANA.DUP@example.com",
            "vat": "23.456.987",
        }
        Lead.create(
            {
                "name": "Ana Dup",
                "mobile": "+54 9 341 523 9981",
                "email": "ana.dup@example.com",
                "vat": "23456987",
            }
        )
        for size in (10, 1010):
            Lead.create(
                [
                    {
                        "name": f"Lead {index}",
                        "mobile": f"+54 9 341 6{index:06d}",
                        "email": f"lead{index}@example.com",
                        "vat": str(30_000_000 + index),
                    }
                    for index in range(Lead.search_count([]), size)
                ]
            )
            self.env.flush_all()
            Lead._isp_find_duplicates(**probe)  # warm the company's country
            for kind, value in probe.items():
                with self.subTest(size=size, kind=kind), self.assertQueryCount(1):
                    found = Lead._isp_find_duplicates(**{kind: value})
                self.assertEqual(found.name, "Ana Dup")
