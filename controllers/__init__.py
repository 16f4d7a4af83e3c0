from . import coverage_page
from . import status_page
