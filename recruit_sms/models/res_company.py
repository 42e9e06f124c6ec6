from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import twilio_api
from .sms_api import SmsApiSandbox, SmsApiTwilioRecruit


class ResCompany(models.Model):
    _inherit = "res.company"

    sms_provider = fields.Selection(
        selection_add=[("sandbox", "Sandbox (nothing leaves Odoo)")],
        ondelete={"sandbox": "set default"},
    )
    recruit_sms_twilio_api_url = fields.Char(
        "Twilio API base URL",
        default=twilio_api.DEFAULT_API_URL,
        groups="base.group_system",
        help="Base URL of Twilio's REST API, or of a Twilio-compatible service.",
    )
    recruit_sms_twilio_messaging_service_sid = fields.Char(
        "Messaging Service SID",
        groups="base.group_system",
        help="When set, messages are sent through this Messaging Service instead of a From number.",
    )

    @api.constrains("recruit_sms_twilio_api_url", "recruit_sms_twilio_messaging_service_sid")
    def _check_recruit_sms_twilio_settings(self):
        for company in self.sudo():
            try:
                twilio_api.normalize_api_url(company.recruit_sms_twilio_api_url)
                twilio_api.check_messaging_service_sid(company.recruit_sms_twilio_messaging_service_sid)
            except twilio_api.TwilioSettingError as error:
                raise ValidationError(self.env._("%(company)s: %(error)s", company=company.name, error=error)) from error

    def _get_sms_api_class(self):
        self.ensure_one()
        if self.sms_provider == "sandbox":
            return SmsApiSandbox
        if self.sms_provider == "twilio":
            return SmsApiTwilioRecruit
        return super()._get_sms_api_class()

    def _recruit_sms_select_sandbox(self):
        """Select the sandbox provider, unless a provider is already configured.

        Called by the demo data: a database that already sends through Twilio (or has
        an SMS account with Odoo) keeps its provider.
        """
        sms_accounts = self.env["iap.account"].sudo().search([("service_name", "=", "sms")])
        for company in self.sudo():
            configured = (
                company.sms_provider != "iap"
                or company.sms_twilio_account_sid
                or sms_accounts.filtered(lambda a, c=company: not a.company_ids or c in a.company_ids)
            )
            if not configured:
                company.sms_provider = "sandbox"
