"""The simulated users of ``tools/load_test.py``: sellers and technicians
that talk to Odoo over JSON-2 only, each with its own API key and session."""

import random
import re
import threading
import time
from collections import Counter, defaultdict

import load_test_odoo as lto
import requests

SURNAMES = lto.bench_board.SURNAMES
REFERENCE = re.compile(r"\bO?MV/\d+/\d+")  # a ticket's or order's reference


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)  # op -> [ms] of the answered calls
        self.errors = defaultdict(Counter)  # op -> {status or class: n}
        self.messages = Counter()  # (op, status, message) of the 4xx/5xx
        self.unanswered = []  # (op, model, method, ids) of the calls cut off

    def add(self, op, ms=None, error=None, message=None):
        with self.lock:
            if ms is not None:
                self.latency[op].append(ms)
            if error is not None:
                self.errors[op][error] += 1
                message = REFERENCE.sub("<ref>", message or "")[:80]
                self.messages[(op, error, message)] += 1


class CallFailed(Exception):
    pass


class TimeUp(Exception):
    pass


class User:
    """One simulated user: a session of its own, its API key, its think time."""

    def __init__(self, run, uid, key, seed):
        self.run, self.uid, self.stats = run, uid, run.stats
        self.rng = random.Random(seed)
        self.context = dict(run.spec["user_context"], uid=uid)
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"bearer {key}",
                "X-Odoo-Database": run.args.db,
                "Content-Type": "application/json",
                "Connection": "close",  # Odoo's workers speak HTTP/1.0 anyway
            }
        )

    def call(self, op, model, method, **params):
        """POST /json/2/model/method; raises CallFailed on any error."""
        params["context"] = dict(params.get("context") or self.context, uid=self.uid)
        start = time.perf_counter()
        try:
            response = self.session.post(
                f"{self.run.url}/json/2/{model}/{method}", json=params, timeout=120
            )
        except requests.Timeout as error:
            self.stats.add(op, error="timeout", message=str(error))
            raise CallFailed(op) from error
        except requests.RequestException as error:  # no (complete) answer
            if "refused" in str(error).lower():
                kind = "conn_refused"
            elif isinstance(error, requests.ConnectionError):
                kind = "conn_reset"
            else:
                kind = "conn_broken"  # e.g. a truncated body
            self.stats.add(op, error=kind, message=f"{type(error).__name__}: {error}")
            self.stats.unanswered.append((op, model, method, params.get("ids")))
            raise CallFailed(op) from error
        ms = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            try:
                message = response.json().get("message", "")
            except ValueError:
                message = response.text[:90]
            self.stats.add(op, ms, response.status_code, message)
            raise CallFailed(op)
        self.stats.add(op, ms)
        return response.json()

    def think(self, form=False):
        """A pause between two actions (``form``: the time to fill a form);
        the run's end stops the user here."""
        mean = self.run.args.think_form if form else self.run.args.think
        time.sleep(self.rng.uniform(0.5, 1.5) * mean)
        if time.monotonic() >= self.run.deadline:
            raise TimeUp

    def loop(self):
        try:
            while time.monotonic() < self.run.deadline:
                try:
                    self.iteration()
                except CallFailed:
                    self.think()  # the user reads the error, then goes on
        except TimeUp:
            pass


class Seller(User):
    def __init__(self, *args):
        super().__init__(*args)
        self.open_tickets, self.lost_tickets = [], []
        self.counter = 0

    def board(self):
        calls = self.run.spec["board"]
        total = 0.0
        result = None
        for op in ("kanban web_read_group", "kanban read_progress_bar"):
            method, _args, kwargs = calls[op]
            start = time.perf_counter()
            answer = self.call(
                f"board {op.split()[1]}", "isp.sales.ticket", method, **kwargs
            )
            total += (time.perf_counter() - start) * 1000
            result = result or answer
        self.stats.add("board load (both calls)", total)
        return [
            rec["id"]
            for group in result["groups"]
            for rec in group.get("__records", [])
        ]

    def list_view(self):
        """The same tickets as a list (the web client's ``web_search_read``)."""
        method, _args, kwargs = self.run.spec["board"]["list web_search_read"]
        self.call("list web_search_read", "isp.sales.ticket", method, **kwargs)

    def search(self):
        method, _args, kwargs = self.run.spec["board"]["list web_search_read"]
        if self.rng.random() < 0.5:
            name = self.rng.choice(SURNAMES)
            self.call(
                "search name",
                "isp.sales.ticket",
                "web_name_search",
                name=name,
                operator="ilike",
                domain=[],
                limit=9,
                specification={"display_name": {}},
            )
        else:  # the search view's "Lead, Phone or Document" field, in the list
            phone = f"341 {self.rng.randint(400, 499)}"
            self.call(
                "search phone",
                "isp.sales.ticket",
                method,
                **dict(kwargs, domain=[("lead_id", "ilike", phone)]),
            )

    def open_ticket(self, ticket_id):
        spec = self.run.spec["ticket_form"]
        return self.call(
            "ticket web_read",
            "isp.sales.ticket",
            "web_read",
            ids=[ticket_id],
            specification=spec,
        )[0]

    def point(self):
        lat, lon, radius = self.rng.choice(self.run.spec["nodes"])
        if self.rng.random() < 0.1:  # now and then, out of coverage
            return lat + 0.2, lon + 0.2
        spread = radius / 111_000 * 0.6
        return lat + self.rng.uniform(-spread, spread), lon + self.rng.uniform(
            -spread, spread
        )

    def create_ticket(self):
        """The wizard (ticket + order at once) or the intake; returns the ticket."""
        self.counter += 1
        index = self.rng.randrange(100_000)
        name = lto.bench_board.person_name(index)
        tag = f"{self.uid}.{self.counter}.{self.run.tag}"
        phone = f"+54 9 341 4{index % 100:02d}-{index % 10_000:04d}"
        lat, lon = self.point()
        plan_id, plan_code = self.rng.choice(self.run.spec["plans"])
        if self.rng.random() < 0.6:
            order_type = self.rng.choice(
                ["installation", "installation", "feasibility"]
            )
            vals = {
                "new_lead_name": name,
                "new_lead_phone": phone,
                "new_lead_email": f"lt.{tag}@example.com",
                "street": "Córdoba",
                "street_number": str(index % 3000),
                "city": "Rosario",
                "latitude": lat,
                "longitude": lon,
                "plan_id": plan_id,
                "order_type": order_type,
            }
            wizard = self.call(
                "wizard web_save",
                "isp.sales.ticket.create",
                "web_save",
                vals=vals,
                specification={"state": {}},
            )[0]
            action = self.call(
                "wizard action_create",
                "isp.sales.ticket.create",
                "action_create",
                ids=[wizard["id"]],
            )
            return action["res_id"]
        # an outside request: the same phone again finds its lead (a returning
        # customer, a second address): several tickets, one contact
        result = self.call(
            "intake",
            "isp.sales.lead",
            "intake",
            name=name,
            phone=phone,
            email=f"lt.{index}@example.com",
            city="Rosario",
            latitude=lat,
            longitude=lon,
            plan_code=plan_code,
            external_ref=f"lt-{tag}",
        )
        if result["coverage"] != "uncovered":  # uncovered: lost, waiting list
            self.call(
                "create order",
                "isp.sales.ticket",
                "action_create_order",
                ids=[result["ticket_id"]],
                order_type="installation",
            )
        return result["ticket_id"]

    def assign(self, ticket):
        """Plan the ticket's open orders: a technician and a date."""
        for order in ticket["order_ids"]:
            date = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + 86400))
            self.call(
                "assign order",
                "isp.sales.order",
                "write",
                ids=[order["id"]],
                vals={
                    "technician_id": self.rng.choice(self.run.spec["technician_ids"]),
                    "scheduled_date": date,
                },
            )

    def open_orders(self, ticket_id):
        spec = {"state": {}, "order_ids": {"fields": {"state": {}}}}
        ticket = self.call(
            "ticket orders read",
            "isp.sales.ticket",
            "web_read",
            ids=[ticket_id],
            specification=spec,
        )[0]
        ticket["order_ids"] = [
            o for o in ticket["order_ids"] if o["state"] in lto.OPEN_ORDER_STATES
        ]
        return ticket

    def iteration(self):
        cards = self.board()
        self.think()
        if self.rng.random() < 0.3:
            self.list_view()
            self.think()
        self.search()
        self.think()
        if cards:
            ticket = self.open_ticket(self.rng.choice(cards[:20]))
            self.think()
            if ticket["state"] == "pending" and self.rng.random() < 0.3:
                # "Feasibility" on a ticket of the board: other sellers may
                # press it on the same card at the same time
                self.call(
                    "create order",
                    "isp.sales.ticket",
                    "action_create_order",
                    ids=[ticket["id"]],
                    order_type="feasibility",
                )
                self.assign(self.open_orders(ticket["id"]))
                self.think()
        self.think(form=True)  # the wizard's five steps, or the call to intake
        ticket_id = self.create_ticket()
        self.assign(self.open_orders(ticket_id))
        self.open_tickets.append(ticket_id)
        self.think()
        if self.open_tickets and self.rng.random() < 0.35:
            ticket_id = self.open_tickets.pop(
                self.rng.randrange(len(self.open_tickets))
            )
            wizard = self.call(
                "lost wizard web_save",
                "isp.sales.ticket.lost",
                "web_save",
                vals={
                    "ticket_ids": [(6, 0, [ticket_id])],
                    "lost_reason_id": self.rng.choice(self.run.spec["reasons"]),
                    "lost_feedback": "<p>load test</p>",
                },
                specification={},
            )[0]
            self.call(
                "mark lost",
                "isp.sales.ticket.lost",
                "action_lost_reason_apply",
                ids=[wizard["id"]],
            )
            self.lost_tickets.append(ticket_id)
            self.think()
        if self.lost_tickets and self.rng.random() < 0.5:
            ticket_id = self.lost_tickets.pop(0)
            self.call("reopen", "isp.sales.ticket", "action_reopen", ids=[ticket_id])
            self.call(
                "create order",
                "isp.sales.ticket",
                "action_create_order",
                ids=[ticket_id],
                order_type="feasibility",
            )
            self.assign(self.open_orders(ticket_id))
            self.open_tickets.append(ticket_id)
            self.think()


class Technician(User):
    def iteration(self):
        spec = self.run.spec
        orders = self.call(
            "my orders",
            "isp.sales.order",
            "web_search_read",
            specification=spec["order_kanban"],
            limit=80,
            offset=0,
            order="scheduled_date, id desc",
            count_limit=10001,
            domain=[
                ("technician_id", "=", self.uid),
                ("state", "in", lto.OPEN_ORDER_STATES),
            ],
        )["records"]
        self.think()
        if not orders:
            return
        order = self.call(
            "order web_read",
            "isp.sales.order",
            "web_read",
            ids=[self.rng.choice(orders[:5])["id"]],
            specification=dict(spec["order_form"], state={}, order_type={}),
        )[0]
        self.think()
        if order["state"] != "in_progress":
            self.call("start", "isp.sales.order", "action_start", ids=[order["id"]])
            self.think(form=True)  # the work on site, compressed
        if order["order_type"] == "feasibility":
            result = "feasible" if self.rng.random() < 0.8 else "not_feasible"
            self.call(
                "feasibility result",
                "isp.sales.order",
                "write",
                ids=[order["id"]],
                vals={"feasibility_result": result, "result_note": "load test"},
            )
        self.call("complete", "isp.sales.order", "action_done", ids=[order["id"]])
        self.think()
