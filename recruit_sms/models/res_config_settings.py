from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    recruit_sms_twilio_api_url = fields.Char(
        related="company_id.recruit_sms_twilio_api_url", readonly=False, groups="base.group_system",
    )
    recruit_sms_twilio_messaging_service_sid = fields.Char(
        related="company_id.recruit_sms_twilio_messaging_service_sid", readonly=False, groups="base.group_system",
    )

    recruit_sms_optout_reply = fields.Char(related="company_id.recruit_sms_optout_reply", readonly=False)
    recruit_sms_optin_reply = fields.Char(related="company_id.recruit_sms_optin_reply", readonly=False)
    recruit_sms_help_reply = fields.Char(related="company_id.recruit_sms_help_reply", readonly=False)
    recruit_sms_first_contact_notice = fields.Char(related="company_id.recruit_sms_first_contact_notice", readonly=False)
    recruit_sms_provider_answers_keywords = fields.Boolean(
        related="company_id.recruit_sms_provider_answers_keywords", readonly=False)
    recruit_sms_quiet_start = fields.Float(related="company_id.recruit_sms_quiet_start", readonly=False)
    recruit_sms_quiet_end = fields.Float(related="company_id.recruit_sms_quiet_end", readonly=False)
    recruit_sms_quiet_hold_replies = fields.Boolean(related="company_id.recruit_sms_quiet_hold_replies", readonly=False)
    recruit_sms_rate = fields.Float(related="company_id.recruit_sms_rate", readonly=False)
    recruit_sms_bulk_cap = fields.Integer(related="company_id.recruit_sms_bulk_cap", readonly=False)
