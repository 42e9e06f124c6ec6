from . import booking, inbound
