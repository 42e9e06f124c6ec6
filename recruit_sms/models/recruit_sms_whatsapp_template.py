import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import whatsapp

_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")


class RecruitSmsWhatsappTemplate(models.Model):
    """A WhatsApp template approved by WhatsApp, as Twilio's Content API knows it: the only
    message that may go to a candidate who has not written on WhatsApp in the last 24
    hours. It is sent by its Content SID; its variables are filled from the applicant,
    with plain values chosen from a fixed list (never an expression)."""

    _name = "recruit.sms.whatsapp.template"
    _description = "WhatsApp template"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    content_sid = fields.Char(
        "Content SID", required=True,
        help="The template's SID in Twilio (Messaging > Content Template Builder), HX followed by 32 characters. "
             "Only templates WhatsApp approved can be sent outside the 24-hour window.")
    body = fields.Text(
        "Text", required=True,
        help="The template's text as approved, with its placeholders {{1}}, {{2}}, ...: shown in the conversation.")
    variables = fields.Char(
        help="What fills {{1}}, {{2}}, ... in order, separated by commas, among: first_name, name, job, company, "
             "recruiter.")

    @api.constrains("content_sid", "body", "variables")
    def _check_template(self):
        for template in self:
            if not _CONTENT_SID.match(template.content_sid or ""):
                raise ValidationError(self.env._(
                    "Content SID: %(sid)s is not a Twilio Content SID; copy the HX... identifier of the approved "
                    "template from Twilio's Content Template Builder.", sid=template.content_sid))
            try:
                whatsapp.check_template(template.body, whatsapp.parse_keys(template.variables))
            except whatsapp.TemplateError as error:
                raise ValidationError(self.env._("%(template)s: %(error)s", template=template.name, error=error)) from error

    def _recruit_sms_fill(self, applicant):
        """(ContentVariables as JSON, the text the candidate reads) for ``applicant``."""
        self.ensure_one()
        applicant = applicant.sudo()
        name = applicant.partner_name or applicant.partner_id.name or ""
        values = {
            "first_name": name.split()[0] if name.split() else "",
            "name": name,
            "job": applicant.job_id.name,
            "company": applicant._recruit_sms_company().name,
            "recruiter": applicant.user_id.name,
        }
        variables = whatsapp.fill(whatsapp.parse_keys(self.variables), values)
        return variables, whatsapp.render(self.body, variables)
