# the sales desk's own models, one file each
from . import isp_coverage_mixin
from . import isp_service_line_mixin
from . import isp_priced_services_mixin
from . import isp_network_node
from . import isp_sales_tag
from . import isp_sales_loss_reason
from . import isp_sales_lead
from . import isp_sales_prospect
from . import isp_sales_prospect_line
from . import isp_sales_ticket
from . import isp_sales_ticket_line
from . import isp_sales_ticket_state_log
from . import isp_sales_order
from . import isp_coverage_rate_limit

# services: work that is no single record's behaviour
from . import isp_sales_intake
from . import isp_sales_intake_claim
from . import isp_sales_map
from . import isp_sales_status_page

# analysis and printed reports
from . import isp_sales_ticket_report
from . import isp_sales_funnel_report
from . import report_isp_sales_ticket_quote
from . import report_isp_sales_monthly

# Odoo and OCA models the desk extends
from . import base_geocoder
from . import contract_contract
from . import contract_line
from . import fsm_order
from . import fsm_team
from . import ir_actions_act_window_view
from . import ir_config_parameter
from . import ir_http
from . import ir_ui_view
from . import mail_thread
from . import product_template
from . import res_company
from . import res_config_settings
from . import res_partner
from . import res_users
from . import utm_source
