from . import controllers
from . import models
from . import wizards
from . import demo
from .hooks import _isp_post_init
