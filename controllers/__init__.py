from . import coverage_page
