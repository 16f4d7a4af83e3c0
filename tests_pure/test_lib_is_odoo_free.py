"""The pure rules must never pull Odoo in: that is what keeps them fast to test."""

import subprocess
import sys
from pathlib import Path

CONFTEST = Path(__file__).resolve().parent / "conftest.py"

# Runs in a fresh interpreter, so nothing pytest or another test imported counts.
CHECK = """
import importlib, pkgutil, runpy, sys
lib = runpy.run_path({conftest!r})["load_isp_lib"]()
names = [m.name for m in pkgutil.iter_modules(lib.__path__)]
assert names, "lib/ has no module"
for name in names:
    importlib.import_module("isp_lib." + name)
leaked = sorted(m for m in sys.modules if m == "odoo" or m.startswith("odoo."))
assert not leaked, "importing lib/ imported " + ", ".join(leaked)
print(" ".join(names))
"""


def test_every_lib_module_imports_without_odoo():
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(conftest=str(CONFTEST))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(), "no module of lib/ was imported"
