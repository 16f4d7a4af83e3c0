"""What the demo data needs and a real desk never does: a past.

The demo records are created through the desk's own actions (orders
completed, tickets lost and reopened), all of which happen *now*. So that the
board, the stale filter and the reports show a realistic history, the demo
then moves the moments of those events into the past, here, with plain SQL
on the dates only. It is a service of the demo files, apart from the models
(as ``account``'s ``demo/account_demo.py``): the models carry no backdoor
that writes their status facts, and these private methods are reachable from
no RPC call.
"""

from odoo import api, models
from odoo.tools import SQL

from ..lib import billing, reporting

# the dates each model's demo may move: nothing else, never a status
DATES = {
    "isp.sales.order": ("date_done",),
    "isp.sales.ticket": ("date_won", "date_lost", "date_state_changed", "days_to_win"),
}


class IspSalesDemo(models.AbstractModel):
    _name = "isp.sales.demo"
    _description = "Sales Desk Demo Data"

    @api.model
    def _backdate(self, model, ids, values):
        """Set the past ``values`` (dates of :data:`DATES`) on the records
        ``ids`` of ``model``."""
        unknown = set(values) - set(DATES.get(model, ()))
        if unknown:
            raise ValueError(f"the demo cannot move {sorted(unknown)} of {model}")
        Model = self.env[model]
        Model.flush_model()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id = ANY(%s)",
                SQL.identifier(Model._table),
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(name), value)
                    for name, value in values.items()
                ),
                list(ids),
            )
        )
        Model.browse(ids).invalidate_recordset(list(values))

    @api.model
    def _rebuild_history(self):
        """Rebuild the status history of the demo tickets from their dates:
        pending from their creation, with an order in progress from their
        first order, then won or lost; so that *Time in Status* reports a
        past instead of zero days everywhere."""
        Ticket = self.env["isp.sales.ticket"].with_context(active_test=False)
        Ticket.flush_model()
        tickets = Ticket.browse(
            self.env["ir.model.data"]
            .search(
                [("module", "=", "isp_sales_desk"), ("model", "=", "isp.sales.ticket")]
            )
            .mapped("res_id")
        ).exists()
        Log = self.env["isp.sales.ticket.state.log"].sudo()
        Log.search([("ticket_id", "in", tickets.ids)]).unlink()
        values = []
        for ticket in tickets:
            stays = [("pending", ticket.create_date)]
            orders = ticket.order_ids.sorted("create_date")
            if orders and (ticket.state != "pending" or orders[0].state != "cancelled"):
                stays.append(("in_progress", max(orders[0].create_date, stays[0][1])))
            if ticket.state == "won":
                stays.append(("won", ticket.date_won))
            elif ticket.state == "lost":
                stays.append(("lost", ticket.date_lost))
            elif ticket.state == "pending" and len(stays) > 1:
                stays.append(("pending", ticket.date_state_changed))
            stays = [
                (state, start)
                for index, (state, start) in enumerate(stays)
                if start and (index == 0 or start >= stays[index - 1][1])
            ]
            for index, (state, start) in enumerate(stays):
                end = stays[index + 1][1] if index + 1 < len(stays) else False
                values.append(
                    {
                        "ticket_id": ticket.id,
                        "state": state,
                        "date_start": start,
                        "date_end": end,
                        "duration_days": end and reporting.days_between(start, end),
                        "company_id": ticket.company_id.id,
                    }
                )
        Log.create(values)

    @api.model
    def _activate_language(self, code):
        """Activate a language with the translations of the installed
        modules, as Settings > Languages does."""
        if self.env["res.lang"]._activate_lang(code):
            self.env["ir.module.module"].search(
                [("state", "in", ("installed", "to install", "to upgrade"))]
            )._update_translations([code])

    @api.model
    def _set_company_currency(self, currency_id):
        """The demo ISP counts in pesos; with accounting's demo installed, the
        company already has journal items in its currency, and keeps it."""
        company = self.env.ref("base.main_company")
        if (
            not self.env["account.move.line"]
            .sudo()
            .search_count([("company_id", "=", company.id)], limit=1)
        ):
            company.currency_id = currency_id

    @api.model
    def _date_contracts(self):
        """The demo's won tickets were installed in the past (``_backdate``):
        their contracts start on those days, as the win would have made them."""
        Contract = self.env["contract.contract"]
        contracts = Contract.search([("isp_ticket_id", "!=", False)])
        first_period = Contract._isp_first_period()
        for contract in contracts:
            installation = contract.isp_ticket_id.order_ids.filtered(
                lambda o: o.order_type == "installation" and o.state == "done"
            )[-1:]
            installed = Contract._isp_local_date(
                installation.date_done, contract.company_id
            )
            first, last = billing.first_period(installed, first_period)
            contract.write({"date": installed, "date_start": installed})
            for line in contract.contract_line_ids:
                line.write(
                    {
                        "date_start": first,
                        "date_end": last
                        if line.isp_service_kind == "one_time"
                        else False,
                    }
                )
