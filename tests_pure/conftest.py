"""Load the addon's pure rules (``lib/``) as the package ``isp_lib``, without Odoo.

``import odoo.addons.isp_sales_desk.lib`` would run the addon's root ``__init__``,
which imports the models and so Odoo. These tests must run in milliseconds on a
machine without Odoo, so ``lib/`` is loaded straight from its files under its own
name; its modules use relative imports only, so they resolve inside ``isp_lib``.
Tests then write ``from isp_lib import pricing``.

This file imports nothing but the standard library: the sanity test runs it in a
bare subprocess with ``runpy``.
"""

import importlib.util
import sys
from pathlib import Path

LIB_DIR = Path(__file__).resolve().parent.parent / "lib"


def load_isp_lib():
    if "isp_lib" in sys.modules:
        return sys.modules["isp_lib"]
    spec = importlib.util.spec_from_file_location(
        "isp_lib",
        LIB_DIR / "__init__.py",
        submodule_search_locations=[str(LIB_DIR)],
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["isp_lib"] = module
    spec.loader.exec_module(module)
    return module


load_isp_lib()
