from . import test_ticket_flow
from . import test_bad_input
from . import test_security
from . import test_fsm
from . import test_concurrency
from . import test_performance
from . import test_rpc
from . import test_ui
