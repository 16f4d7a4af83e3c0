from psycopg2.errors import UniqueViolation

from odoo import fields, models
from odoo.exceptions import ConcurrencyError
from odoo.tools import SQL

EXTERNAL_REF_INDEX = "isp_sales_ticket_external_ref_uniq"


class IspSalesTicket(models.Model):
    _inherit = "isp.sales.ticket"

    external_ref = fields.Char(
        string="External Reference",
        copy=False,
        readonly=True,
        help="Reference of the request in the system that sent it (a website "
        "form, lead ads): the same reference never makes a second ticket.",
    )

    # a retried intake finds the first ticket; two at once cannot both insert
    _external_ref_uniq = models.UniqueIndex(
        "(company_id, external_ref) WHERE external_ref IS NOT NULL",
        "This external reference was already taken in this company.",
    )

    def _isp_claim_external_ref(self, external_ref):
        """Give the new ticket its external reference, or fail with a
        ConcurrencyError (retried by Odoo) when another transaction took it
        meanwhile: the retried call then finds that transaction's ticket.

        Plain SQL, so that the expected conflict is not logged as a bad query.
        """
        self.ensure_one()
        try:
            self.env.cr.execute(
                SQL(
                    "UPDATE isp_sales_ticket SET external_ref = %s WHERE id = %s",
                    external_ref,
                    self.id,
                ),
                log_exceptions=False,
            )
        except UniqueViolation as error:
            if error.diag.constraint_name != EXTERNAL_REF_INDEX:
                raise
            raise ConcurrencyError(
                f"intake: external reference {external_ref!r} taken concurrently"
            ) from error
        self.invalidate_recordset(["external_ref"])

    def _isp_intake_result(self, duplicate, created):
        self.ensure_one()
        return {
            "lead_id": self.lead_id.id,
            "prospect_id": self.prospect_id.id,
            "ticket_id": self.id,
            "ticket_name": self.name,
            "coverage": self.prospect_id.coverage,
            "duplicate": duplicate,
            "created": created,
        }
