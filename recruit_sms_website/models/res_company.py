from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    recruit_sms_website_consent_text = fields.Char(
        "SMS consent on the application form", translate=True,
        default="Yes, text me about my application. Message and data rates may apply. Reply STOP to opt out.",
        help="The checkbox's wording on the website's job application form, recorded word for word in the "
             "consent ledger of every candidate who ticks it.",
    )
