from . import isp_sales_demo
