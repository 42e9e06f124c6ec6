from odoo import fields, models


class HrJob(models.Model):
    _inherit = "hr.job"

    recruit_sms_apply_template_id = fields.Many2one(
        "sms.template", "Text on apply", domain=[("model", "=", "hr.applicant")],
        help="Texted to each new applicant to this position who came by the website's form, by email or by import and agreed to be "
             "texted, at their texting hours, once per person. Empty: the company's.",
    )
    recruit_sms_interview_minutes = fields.Integer(
        "Interview length (booking links)", default=30,
        help="How long the interviews booked through a booking link last, in minutes.",
    )
