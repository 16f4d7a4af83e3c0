from . import isp_sales_ticket_lost
