import subprocess
from contextlib import contextmanager

from odoo import fields
from odoo.tests.common import HttpCase, freeze_time

from .common import IspSalesDeskCase


def pdf_text(pdf):
    """The text of a PDF, as poppler's pdftotext reads it."""
    assert pdf.startswith(b"%PDF"), pdf[:200]
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    # wkhtmltopdf puts zero-width spaces in signed amounts ("$ -\u200b15.00")
    return result.stdout.decode().replace("\u200b", "")


def load_spanish(env):
    """Activate es_AR with the addon's Spanish translation."""
    env["res.lang"]._activate_lang("es_AR")
    env["ir.module.module"]._load_module_terms(
        ["isp_sales_desk"], ["es_AR"], overwrite=True
    )
    env.registry.clear_cache()
    env.invalidate_all()


class ReportsCase(IspSalesDeskCase):
    @classmethod
    @contextmanager
    def moment(cls, when):
        """Run at ``when``: Python's clock (fields.Datetime.now) and the
        transaction's (cr.now, used for create_date) both say so."""
        cr = cls.env.cr
        original = cr.now
        cr.now = lambda: fields.Datetime.to_datetime(when)
        try:
            with freeze_time(when):
                yield
        finally:
            cr.now = original

    @classmethod
    def _win(cls, ticket):
        ticket.action_create_order("installation").action_done()

    @classmethod
    def _lose(cls, ticket, reason=None):
        ticket.action_set_lost((reason or cls.reason_price).id)

    def render_pdf(self, report_xmlid, res_ids, data=None, user=None):
        """A real PDF from wkhtmltopdf (Odoo's test mode would give HTML)."""
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        pdf, report_type = Report.with_context(
            force_report_rendering=True
        )._render_qweb_pdf(report_xmlid, res_ids, data=data)
        self.assertEqual(report_type, "pdf")
        return pdf


class ReportsPdfCase(HttpCase, ReportsCase):
    """wkhtmltopdf fetches the report's styles from the server: as an
    HttpCase, the server answers it inside the test's transaction instead of
    waiting for it (a TransactionCase would deadlock on the asset bundle)."""
