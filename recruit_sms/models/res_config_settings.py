from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..controllers.inbound import INBOUND_ROUTE
from ..providers import RecruitSmsProvider
from ..tools.signatures import webhook_url


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    recruit_sms_twilio_api_url = fields.Char(
        related="company_id.recruit_sms_twilio_api_url", readonly=False, groups="base.group_system",
    )
    recruit_sms_twilio_messaging_service_sid = fields.Char(
        related="company_id.recruit_sms_twilio_messaging_service_sid", readonly=False, groups="base.group_system",
    )

    # what to paste into Twilio: where it posts the texts candidates send, and where it
    # reports each text's delivery (Odoo gives that address with every text it sends)
    recruit_sms_inbound_url = fields.Char("Incoming messages webhook", compute="_compute_recruit_sms_webhook_urls")
    recruit_sms_status_url = fields.Char("Delivery status callback", compute="_compute_recruit_sms_webhook_urls")

    recruit_sms_optout_reply = fields.Char(related="company_id.recruit_sms_optout_reply", readonly=False)
    recruit_sms_optin_reply = fields.Char(related="company_id.recruit_sms_optin_reply", readonly=False)
    recruit_sms_first_contact_notice = fields.Char(related="company_id.recruit_sms_first_contact_notice", readonly=False)
    recruit_sms_sla_hours = fields.Integer(related="company_id.recruit_sms_sla_hours", readonly=False)
    recruit_sms_intent_opt_out = fields.Boolean(related="company_id.recruit_sms_intent_opt_out", readonly=False)
    recruit_sms_provider_answers_keywords = fields.Boolean(
        related="company_id.recruit_sms_provider_answers_keywords", readonly=False)
    recruit_sms_quiet_start = fields.Float(related="company_id.recruit_sms_quiet_start", readonly=False)
    recruit_sms_quiet_end = fields.Float(related="company_id.recruit_sms_quiet_end", readonly=False)
    recruit_sms_quiet_hold_replies = fields.Boolean(related="company_id.recruit_sms_quiet_hold_replies", readonly=False)
    recruit_sms_law_everywhere = fields.Boolean(related="company_id.recruit_sms_law_everywhere", readonly=False)
    recruit_sms_rate = fields.Float(related="company_id.recruit_sms_rate", readonly=False)
    recruit_sms_bulk_cap = fields.Integer(related="company_id.recruit_sms_bulk_cap", readonly=False)
    recruit_sms_brake_sample = fields.Integer(related="company_id.recruit_sms_brake_sample", readonly=False)
    recruit_sms_brake_filtered_pct = fields.Float(related="company_id.recruit_sms_brake_filtered_pct", readonly=False)
    recruit_sms_brake_unregistered = fields.Integer(related="company_id.recruit_sms_brake_unregistered", readonly=False)
    recruit_sms_brake_optout_pct = fields.Float(related="company_id.recruit_sms_brake_optout_pct", readonly=False)
    recruit_sms_daily_cap = fields.Integer(related="company_id.recruit_sms_daily_cap", readonly=False)
    recruit_sms_apply_template_id = fields.Many2one(related="company_id.recruit_sms_apply_template_id", readonly=False)
    recruit_sms_whatsapp = fields.Boolean(related="company_id.recruit_sms_whatsapp", readonly=False)
    recruit_sms_whatsapp_sender = fields.Char(related="company_id.recruit_sms_whatsapp_sender", readonly=False)

    @api.depends("company_id")
    def _compute_recruit_sms_webhook_urls(self):
        for settings in self:
            base = settings.company_id.get_base_url()
            settings.recruit_sms_inbound_url = webhook_url(base, INBOUND_ROUTE)
            settings.recruit_sms_status_url = webhook_url(base, "/sms_twilio/status/") + "…"

    def action_recruit_sms_test_connection(self):
        """Check the saved provider settings against the provider, and say what is wrong."""
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only administrators can test the SMS provider's connection."))
        company = self.company_id
        api = company._get_sms_api_class()(self.env)
        api._set_company(company)
        if isinstance(api, RecruitSmsProvider):
            level, message = api._recruit_sms_check_connection()
        else:
            level, message = "info", self.env._("Texts go through Odoo's SMS service: its credits are in Settings > IAP.")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": self.env._("SMS provider"), "message": message, "type": level, "sticky": level != "success"},
        }
