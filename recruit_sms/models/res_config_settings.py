from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    recruit_sms_twilio_api_url = fields.Char(
        related="company_id.recruit_sms_twilio_api_url", readonly=False, groups="base.group_system",
    )
    recruit_sms_twilio_messaging_service_sid = fields.Char(
        related="company_id.recruit_sms_twilio_messaging_service_sid", readonly=False, groups="base.group_system",
    )
