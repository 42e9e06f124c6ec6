from odoo.addons.recruit_sms.models.hr_applicant import consent_source
from odoo.addons.website_hr_recruitment.controllers.main import WebsiteHrRecruitment
from odoo.http import request

CONSENT_INPUT = "recruit_sms_consent"


class WebsiteHrRecruitmentSms(WebsiteHrRecruitment):
    """The job application form records the candidate's SMS consent and sends the job's
    text on apply. Consent comes only from the box being ticked on this form: its date,
    source and wording are set here, never taken from what was posted."""

    def extract_data(self, model_sudo, values):
        ticked = bool(values.pop(CONSENT_INPUT, None)) if model_sudo.model == "hr.applicant" else False
        data = super().extract_data(model_sudo, values)
        if ticked and self._recruit_sms_consent_text():
            data["record"]["recruit_sms_consent"] = True
        return data

    def insert_record(self, request, model_sudo, values, custom, meta=None):
        if model_sudo.model != "hr.applicant":
            return super().insert_record(request, model_sudo, values, custom, meta=meta)
        reason = request.env._("Website application form, from %(address)s: \"%(wording)s\"",
                               address=request.httprequest.remote_addr, wording=self._recruit_sms_consent_text())
        with consent_source("application", reason=reason):
            record_id = super().insert_record(request, model_sudo, values, custom, meta=meta)
        request.env["hr.applicant"].sudo().browse(record_id)._recruit_sms_text_on_apply()
        return record_id

    def _recruit_sms_consent_text(self):
        """The checkbox's wording as the form showed it (the website's company, the
        visitor's language); empty when the form shows no checkbox."""
        return request.website.company_id.recruit_sms_website_consent_text or ""
