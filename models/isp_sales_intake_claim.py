from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError
from odoo.tools import SQL

# a claim is needed while the transactions that made it may still run
KEEP = timedelta(days=1)


class IspSalesIntakeClaim(models.Model):
    """The duplicate keys (phone line, e-mail, ID document) of the leads the
    intake created, per company: what makes ten requests of one person at
    once one lead.

    An intake that found no duplicate writes the row of each of its keys
    before it creates the lead. PostgreSQL then serialises the requests that
    share a key: the second waits for the first to commit, and its write
    fails (REPEATABLE READ) because the row changed after its snapshot; Odoo
    retries it, and the retry finds the first one's lead (and writes
    nothing). A lock alone (``pg_advisory_xact_lock``) would make it wait,
    but it would still search in its old snapshot and miss that lead.
    """

    _name = "isp.sales.intake.claim"
    _description = "Sales Desk Intake Claim"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    key = fields.Char(required=True)
    claimed_at = fields.Datetime(required=True)

    _key_uniq = models.UniqueIndex("(company_id, key)")
    _claimed_at_idx = models.Index("(claimed_at)")

    @api.model
    def _isp_claim(self, company, keys):
        """Claim ``keys`` in ``company`` until the transaction ends; raise a
        ConcurrencyError (Odoo retries the request) when a concurrent intake
        claimed one of them since this transaction began (or waits for one
        that is claiming it now)."""
        if not keys:
            return
        now = fields.Datetime.now()
        # one statement; its rows always in the same order, so that two
        # intakes never wait on each other
        rows = SQL(", ").join(
            SQL("(%s, %s, %s)", company.id, key, now) for key in sorted(set(keys))
        )
        try:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO isp_sales_intake_claim (company_id, key, claimed_at)"
                    " VALUES %s ON CONFLICT (company_id, key)"
                    " DO UPDATE SET claimed_at = EXCLUDED.claimed_at",
                    rows,
                ),
                log_exceptions=False,
            )
        except SerializationFailure as error:
            raise ConcurrencyError(
                f"intake: {sorted(keys)!r} taken in concurrently"
            ) from error

    @api.autovacuum
    def _gc_isp_intake_claim(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM isp_sales_intake_claim WHERE claimed_at < %s",
                fields.Datetime.now() - KEEP,
            )
        )
