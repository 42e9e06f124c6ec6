from . import booking, inbound, status
