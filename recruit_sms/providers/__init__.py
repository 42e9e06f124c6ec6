"""The SMS providers recruit_sms adds behind Odoo's own seam (``res.company._get_sms_api_class``).

Code that needs Odoo but is no model: the sandbox, the Twilio provider (core's, pointed at
the company's API URL and Messaging Service) and the streams the campaign engine sends
through.
"""

from .base import ProviderStream, RecruitSmsProvider, SmsStream, open_sms_stream
from .sandbox import SmsApiSandbox
from .twilio import SmsApiTwilioRecruit, TwilioAccount, TwilioSettingsSession, TwilioStream, twilio_sender
