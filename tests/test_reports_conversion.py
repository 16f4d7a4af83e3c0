from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged, users, warmup

from .reports_common import ReportsCase


@tagged("post_install", "-at_install")
class TestConversionMeasures(ReportsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source_radio = cls.env["utm.source"].create({"name": "Radio (test)"})
        Ticket = cls.env["isp.sales.ticket"]
        cls.tickets = Ticket
        # (origin, seller, outcome): facebook 2 won / 1 lost / 1 open,
        # radio 1 won / 3 lost; sellers split across both
        plan = [
            (cls.source_facebook, cls.seller, "won"),
            (cls.source_facebook, cls.seller, "won"),
            (cls.source_facebook, cls.manager, "lost"),
            (cls.source_facebook, cls.manager, "open"),
            (cls.source_radio, cls.manager, "won"),
            (cls.source_radio, cls.seller, "lost"),
            (cls.source_radio, cls.seller, "lost"),
            (cls.source_radio, cls.manager, "lost"),
        ]
        for index, (source, user, outcome) in enumerate(plan):
            ticket = cls._create_ticket(lead_name=f"Conv {index}", user_id=user.id)
            ticket.lead_id.source_id = source
            if outcome == "won":
                cls._win(ticket)
            elif outcome == "lost":
                cls._lose(ticket)
            cls.tickets |= ticket
        cls.env.flush_all()

    def _raw_rates(self, field):
        """The win rate per group, from the tickets themselves."""
        counts = {}
        for ticket in self.tickets:
            won, lost = counts.get(ticket[field], (0, 0))
            counts[ticket[field]] = (
                won + (ticket.state == "won"),
                lost + (ticket.state == "lost"),
            )
        return {key: 100.0 * won / (won + lost) for key, (won, lost) in counts.items()}

    def test_counters_on_ticket(self):
        states = self.tickets.mapped("state")
        self.assertEqual(sum(self.tickets.mapped("won_count")), states.count("won"))
        self.assertEqual(sum(self.tickets.mapped("lost_count")), states.count("lost"))
        groups = self.env["isp.sales.ticket"]._read_group(
            [("id", "in", self.tickets.ids)],
            ["source_id"],
            ["won_count:sum", "lost_count:sum"],
        )
        self.assertEqual(
            {source: (won, lost) for source, won, lost in groups},
            {self.source_facebook: (2, 1), self.source_radio: (1, 3)},
        )

    def test_win_rate_per_group_equals_raw_rate(self):
        Report = self.env["isp.sales.ticket.report"].with_user(self.manager)
        domain = [("ticket_id", "in", self.tickets.ids)]
        for field in ("source_id", "user_id"):
            raw = self._raw_rates(field)
            groups = Report._read_group(domain, [field], ["win_rate:avg"])
            self.assertEqual(len(groups), len(raw))
            for key, rate in groups:
                self.assertAlmostEqual(rate, raw[key], places=6, msg=key.display_name)
        # facebook: 2 won of 3 closed; the open ticket does not count
        rate = dict(Report._read_group(domain, ["source_id"], ["win_rate:avg"]))
        self.assertAlmostEqual(rate[self.source_facebook], 200.0 / 3)
        # overall 3 won of 7 closed, not the mean of the per-origin rates
        [[overall]] = Report._read_group(domain, [], ["win_rate:avg"])
        self.assertAlmostEqual(overall, 300.0 / 7)

    def test_win_rate_through_the_pivot_call(self):
        """What the pivot view asks for (formatted_read_group) gets the rate."""
        Report = self.env["isp.sales.ticket.report"].with_user(self.manager)
        groups = Report.formatted_read_group(
            [("ticket_id", "in", self.tickets.ids)],
            ["source_id"],
            ["win_rate:avg", "won_count:sum", "lost_count:sum", "__count"],
        )
        by_source = {group["source_id"][0]: group for group in groups}
        radio = by_source[self.source_radio.id]
        self.assertAlmostEqual(radio["win_rate:avg"], 25.0)
        self.assertEqual((radio["won_count:sum"], radio["lost_count:sum"]), (1, 3))

    def test_group_without_closed_tickets_has_no_rate(self):
        Report = self.env["isp.sales.ticket.report"]
        [[rate]] = Report._read_group(
            [
                (
                    "ticket_id",
                    "in",
                    self.tickets.filtered(lambda t: t.state == "pending").ids,
                )
            ],
            [],
            ["win_rate:avg"],
        )
        # nothing closed: no rate at all, rather than a misleading 0 %
        self.assertTrue(rate is None or rate is False, rate)

    def test_report_refused_to_sellers_and_technicians(self):
        for user in (self.seller, self.technician):
            with self.assertRaises(AccessError):
                self.env["isp.sales.ticket.report"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["isp.sales.funnel.report"].with_user(user).search([])
        with self.assertRaises(AccessError):
            self.env["isp.sales.ticket.state.log"].with_user(self.technician).search([])

    def test_funnel(self):
        Funnel = self.env["isp.sales.funnel.report"].with_user(self.manager)
        counts = dict(
            Funnel._read_group(
                [("lead_id", "in", self.tickets.lead_id.ids)], ["stage"], ["__count"]
            )
        )
        # 8 leads, 8 tickets, 3 won with an order each; the lost ones had none
        self.assertEqual(counts, {"1_lead": 8, "2_ticket": 8, "3_order": 3, "4_won": 3})


@tagged("post_install", "-at_install")
class TestTimeInStatus(ReportsCase):
    def test_durations_with_known_dates(self):
        with self.moment("2026-03-01 10:00:00"):
            ticket = self._create_ticket(user_id=self.seller.id)
            self.env.flush_all()
        with self.moment("2026-03-03 10:00:00"):  # 2 days pending
            order = ticket.action_create_order("installation")
            self.env.flush_all()
        with self.moment("2026-03-06 22:00:00"):  # 3.5 days in progress
            order.action_done()
            self.env.flush_all()
        self.assertEqual(ticket.state, "won")
        logs = ticket.state_log_ids.sorted("date_start")
        self.assertEqual(logs.mapped("state"), ["pending", "in_progress", "won"])
        self.assertEqual(
            [(log.date_start, log.date_end) for log in logs],
            [
                (datetime(2026, 3, 1, 10), datetime(2026, 3, 3, 10)),
                (datetime(2026, 3, 3, 10), datetime(2026, 3, 6, 22)),
                (datetime(2026, 3, 6, 22), False),
            ],
        )
        self.assertEqual(logs.mapped("duration_days"), [2.0, 3.5, 0.0])
        report = self.env["isp.sales.ticket.report"].search(
            [("ticket_id", "=", ticket.id)]
        )
        self.assertAlmostEqual(report.days_pending, 2.0)
        self.assertAlmostEqual(report.days_in_progress, 3.5)
        self.assertAlmostEqual(report.days_to_win, 5.5)
        # average per status, as the "Time in Status" pivot shows it
        averages = dict(
            self.env["isp.sales.ticket.state.log"]._read_group(
                [("ticket_id", "=", ticket.id), ("date_end", "!=", False)],
                ["state"],
                ["duration_days:avg"],
            )
        )
        self.assertEqual(averages, {"pending": 2.0, "in_progress": 3.5})
        # the statuses in the board's order, not alphabetically (in_progress
        # before pending)
        groups = self.env["isp.sales.ticket.state.log"].formatted_read_group(
            [("ticket_id", "=", ticket.id)], ["state"], ["__count"]
        )
        self.assertEqual(
            [group["state"] for group in groups], ["pending", "in_progress", "won"]
        )

    def test_lost_reopened_and_median(self):
        days_to_win = []
        tickets = self.env["isp.sales.ticket"]
        for index, days in enumerate((1, 2, 10)):
            with self.moment("2026-04-01 00:00:00"):
                ticket = self._create_ticket(lead_name=f"Median {index}")
                self.env.flush_all()
            with self.moment(f"2026-04-{1 + days:02d} 00:00:00"):
                self._win(ticket)
                self.env.flush_all()
            days_to_win.append(days)
            tickets |= ticket
        with self.moment("2026-04-02 00:00:00"):
            lost = self._create_ticket(lead_name="Reopened")
            self.env.flush_all()
        with self.moment("2026-04-04 00:00:00"):
            self._lose(lost)
            self.env.flush_all()
        with self.moment("2026-04-05 00:00:00"):
            lost.action_reopen()
            self.env.flush_all()
        self.assertEqual(
            lost.state_log_ids.sorted("date_start").mapped("state"),
            ["pending", "lost", "pending"],
        )
        self.assertEqual(
            lost.state_log_ids.sorted("date_start").mapped("duration_days"),
            [2.0, 1.0, 0.0],
        )
        [[avg, median]] = self.env["isp.sales.ticket.report"]._read_group(
            [("ticket_id", "in", (tickets | lost).ids)],
            [],
            ["days_to_win:avg", "median_days_to_win:avg"],
        )
        self.assertAlmostEqual(avg, 13.0 / 3)  # the open ticket does not count
        self.assertAlmostEqual(median, 2.0)


@tagged("post_install", "-at_install")
class TestReportsQueryCount(ReportsCase):
    """The reports cost a fixed number of queries, whatever the tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a fixed month, so that the figures (and the queries that read
        # them) are the same whatever day the suite runs
        with cls.moment("2026-03-10 10:00:00"):
            for index in range(6):
                ticket = cls._create_ticket(lead_name=f"Count {index}")
                if index % 3 == 0:
                    cls._win(ticket)
                elif index % 3 == 1:
                    cls._lose(ticket)
            cls.env.flush_all()

    @users("isp_manager")
    @warmup
    def test_monthly_report_query_count(self):
        Report = self.env["report.isp_sales_desk.report_monthly"]
        self.env.invalidate_all()
        # March's open tickets are stale at the month's end: every section
        # of the report has rows. 11 aggregates, 2 for the stale tickets,
        # the rest names, settings and the reader's time zone
        with self.moment("2026-04-02 09:00:00"), self.assertQueryCount(isp_manager=21):
            values = Report._get_report_values([], {"year": 2026, "month": 3})
        self.assertEqual(values["opened"], 6)
        self.assertEqual(values["stale_count"], 2)

    @users("isp_manager")
    @warmup
    def test_win_rate_by_origin_query_count(self):
        Report = self.env["isp.sales.ticket.report"]
        self.env.invalidate_all()
        # one aggregate, one read of the origins' names
        with self.assertQueryCount(isp_manager=2):
            Report.formatted_read_group([], ["source_id"], ["win_rate:avg"])
