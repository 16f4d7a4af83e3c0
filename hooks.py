def _isp_post_init(env):
    """The desk quotes the prices a customer pays, taxes included (in
    Argentina, a price shown to a consumer must be final), and the first
    invoice of a won ticket must be that estimate to the cent. So when
    accounting arrives with the desk (a company with no chart of accounts and
    no journal entry yet, such as a new database, where Odoo then installs its
    generic chart), its sales prices include taxes. A company whose accounting
    was already set up keeps its choice (see the README)."""
    for company in env["res.company"].search([]):
        if company.chart_template or company.sudo()._existing_accounting():
            continue
        company.account_price_include = "tax_included"
