"""Pure rules of recruit_sms: no Odoo import anywhere in this package, so they can be
tested (and reused) without a database."""

from . import age, commands, inbound, keywords, moments, pacing, phone, quiet_hours, segments, signatures, twilio_api, twilio_client
