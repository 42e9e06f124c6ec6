import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..providers import RecruitSmsProvider
from ..tools import gate, whatsapp

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

    def _recruit_sms_sms_values(self, applicant):
        """(the text ``applicant`` reads, the ``sms.sms`` values that send this template to
        them on WhatsApp)."""
        variables, text = self._recruit_sms_fill(applicant)
        return text, {"recruit_sms_channel": gate.WHATSAPP, "recruit_sms_content_sid": self.content_sid,
                      "recruit_sms_content_variables": variables}

    @api.model
    def action_recruit_sms_load_from_twilio(self):
        """Add (or update) the company's templates WhatsApp approved, from Twilio's Content
        API; their placeholders get default variables, to check. Managers only."""
        self.check_access("create")
        company = self.env.company
        api = company._get_sms_api_class()(self.env)
        api._set_company(company)
        if not isinstance(api, RecruitSmsProvider):
            raise UserError(self.env._("WhatsApp templates come from Twilio: choose Twilio as SMS provider."))
        existing = {template.content_sid: template for template in self.with_context(active_test=False).search(
            [("company_id", "=", company.id)])}
        added, updated, skipped = 0, 0, []
        for page in api._recruit_sms_content_pages():
            templates, page_skipped = whatsapp.approved_templates(page)
            skipped += page_skipped
            for found in templates:
                template = existing.get(found["sid"])
                if template:
                    keys = whatsapp.parse_keys(template.variables)
                    template.write({"name": found["name"], "body": found["body"],
                                    "variables": template.variables if len(keys) == len(found["keys"])
                                    else ", ".join(found["keys"])})
                    updated += 1
                else:
                    existing[found["sid"]] = self.create({
                        "name": found["name"], "content_sid": found["sid"], "body": found["body"],
                        "variables": ", ".join(found["keys"]), "company_id": company.id})
                    added += 1
        reasons = {"not_approved": self.env._("not approved by WhatsApp"), "no_text": self.env._("no text"),
                   "placeholders": self.env._("placeholders not numbered 1 to 5: add it by hand")}
        message = self.env._("%(added)s template(s) added and %(updated)s updated: check what fills their "
                             "placeholders.", added=added, updated=updated)
        if skipped:
            message += " " + self.env._("Left out: %(names)s.", names="; ".join(
                f"{name} ({reasons[reason]})" for name, reason in skipped))
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("WhatsApp templates"), "message": message, "type": "success" if added or updated else "info",
            "sticky": bool(skipped), "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}
