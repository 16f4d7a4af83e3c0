import random
from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError
from odoo.tools import SQL

# one in this many hits also deletes the windows that are over
PRUNE_EVERY = 50
KEEP = timedelta(hours=2)


class IspCoverageRateLimit(models.Model):
    """Hits of the public availability page per visitor (IP address) and time
    window. Kept in PostgreSQL, so that the limits hold across every worker
    process of the server; old windows are pruned on write and daily."""

    _name = "isp.coverage.rate.limit"
    _description = "Availability Page Rate Limit"
    _log_access = False

    kind = fields.Selection(
        [
            ("check", "Coverage check"),
            ("submit", "Request"),
            ("status", "Status page view"),
            ("slot", "Installation slot choice"),
        ],
        required=True,
    )
    ip = fields.Char(string="IP Address", required=True)
    window_start = fields.Datetime(required=True)
    hits = fields.Integer(default=0, required=True)

    _window_uniq = models.UniqueIndex("(kind, ip, window_start)")
    _window_start_idx = models.Index("(window_start)")

    @api.model
    def _isp_hit(self, kind, ip, limit, window_seconds):
        """Count a hit of ``ip``; False when it goes past ``limit`` hits in the
        current window of ``window_seconds``."""
        now = fields.Datetime.now()
        start = now - timedelta(
            seconds=int(now.timestamp()) % window_seconds,
            microseconds=now.microsecond,
        )
        try:
            # plain SQL with its conflict handled: one statement, no log line
            # when two workers count the same visitor at once (Odoo retries)
            self.env.cr.execute(
                SQL(
                    "INSERT INTO isp_coverage_rate_limit (kind, ip, window_start, hits)"
                    " VALUES (%s, %s, %s, 1)"
                    " ON CONFLICT (kind, ip, window_start)"
                    " DO UPDATE SET hits = isp_coverage_rate_limit.hits + 1"
                    " RETURNING hits",
                    kind,
                    ip[:64],
                    start,
                ),
                log_exceptions=False,
            )
        except SerializationFailure as error:
            raise ConcurrencyError("rate limit counted concurrently") from error
        hits = self.env.cr.fetchone()[0]
        if random.randrange(PRUNE_EVERY) == 0:
            self._isp_prune()
        return hits <= limit

    @api.model
    def _isp_prune(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM isp_coverage_rate_limit WHERE window_start < %s",
                fields.Datetime.now() - KEEP,
            )
        )

    @api.autovacuum
    def _gc_isp_coverage_rate_limit(self):
        self._isp_prune()
