from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    recruit_sms_website_consent_text = fields.Char(
        related="company_id.recruit_sms_website_consent_text", readonly=False)
