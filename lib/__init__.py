# Pure business rules of the sales desk. Nothing in this package may import
# ``odoo``: the rules are tested directly, in milliseconds, by tests_pure/.
