import logging
from datetime import timedelta

from odoo import fields
from odoo.addons.recruit_sms.models.hr_applicant import consent_source
from odoo.addons.website_hr_recruitment.controllers.main import WebsiteHrRecruitment
from odoo.http import request

_logger = logging.getLogger(__name__)

CONSENT_INPUT = "recruit_sms_consent"
# texts on apply one address may trigger in an hour: a form anybody can post must not let
# anybody text any number (SMS pumping); past it, consent is still recorded but not texted
TEXTS_PER_ADDRESS_PER_HOUR = 3


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
        if self._recruit_sms_address_may_text(reason):
            request.env["hr.applicant"].sudo().browse(record_id)._recruit_sms_text_on_apply()
        else:
            _logger.warning("Website application %s: no text on apply, too many from one address this hour", record_id)
        return record_id

    def _recruit_sms_address_may_text(self, reason):
        """Whether the address posting the form sent fewer than the hourly limit of
        applications with consent (the ledger keeps the address of each)."""
        recent = request.env["recruit.sms.consent.event"].sudo().search_count([
            ("source", "=", "application"), ("reason", "=", reason),
            ("date", ">=", fields.Datetime.now() - timedelta(hours=1)),
        ])
        return recent <= TEXTS_PER_ADDRESS_PER_HOUR

    def _recruit_sms_consent_text(self):
        """The checkbox's wording as the form showed it (the website's company, the
        visitor's language); empty when the form shows no checkbox."""
        return request.website.company_id.recruit_sms_website_consent_text or ""
