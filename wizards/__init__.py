from . import isp_sales_ticket_lost
from . import isp_sales_ticket_create
from . import isp_sales_ticket_create_line
from . import isp_sales_monthly_report
