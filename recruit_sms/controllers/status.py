import hmac
import logging
import re

from odoo.addons.sms_twilio.controllers.controllers import SmsTwilioController
from odoo.addons.sms_twilio.tools.sms_twilio import generate_twilio_sms_callback_signature
from odoo.http import request, route

_logger = logging.getLogger(__name__)


class RecruitSmsStatusController(SmsTwilioController):
    """Core's status callback, which knows SMS statuses only, plus WhatsApp's ``read``:
    the candidate opened the message. Checked as core checks every status (the SMS's
    UUID, Twilio's signature in constant time), then recorded on its notification."""

    @route()
    def update_sms_status(self, uuid, SmsStatus=None, ErrorCode=None, ErrorMessage=None, **kwargs):
        if not request.httprequest.headers.get("X-Twilio-Signature", "").isascii():
            _logger.warning("Twilio status callback refused: the signature is not Twilio's (not ASCII)")
            raise request.not_found()
        if SmsStatus != "read":
            result = super().update_sms_status(uuid, SmsStatus=SmsStatus, ErrorCode=ErrorCode, ErrorMessage=ErrorMessage,
                                               **kwargs)
            # core checked the signature (or raised): Twilio has the message, so a campaign's
            # send that got no answer is confirmed, with the message's SID
            sid = kwargs.get("MessageSid") or kwargs.get("SmsSid")
            request.env["recruit.sms.campaign.line"].sudo()._recruit_sms_confirmed(
                uuid, sid if isinstance(sid, str) and len(sid) <= 64 else None, status=SmsStatus,
                error_code=ErrorCode if isinstance(ErrorCode, str) else None)
            request.env["sms.sms"].sudo()._recruit_sms_confirmed(uuid)
            return result
        if not re.match(r"^[0-9a-f]{32}$", uuid):
            _logger.warning("Twilio status callback refused: not a valid uuid")
            raise request.not_found()
        if not self._validate_twilio_signature(request, uuid):
            _logger.warning("Twilio status callback refused: signature does not match (uuid %s)", uuid)
            raise request.not_found()
        tracker = request.env["sms.tracker"].sudo().search([("sms_uuid", "=", uuid)])
        if not tracker:
            _logger.warning("Twilio status callback: no SMS tracker for uuid %s", uuid)
            return "OK"
        tracker._recruit_sms_read()
        return "OK"

    def _validate_twilio_signature(self, request, uuid):
        # a read receipt comes after the delivery, when Odoo may already have deleted the
        # SMS core reads the company from: the company is then the conversation's
        if request.env["sms.sms"].sudo().search_count([("uuid", "=", uuid)], limit=1):
            return super()._validate_twilio_signature(request, uuid)
        tracker = request.env["sms.tracker"].sudo().search([("sms_uuid", "=", uuid)], limit=1)
        message = tracker.mail_notification_id.mail_message_id
        # as core reads an SMS's company: its message's record's, else the default one
        company = message.record_company_id
        if not company and message.model == "hr.applicant":
            company = request.env["hr.applicant"].sudo().browse(message.res_id).exists()._recruit_sms_company()
        company = (company or request.env.company).sudo()
        if not tracker or not company.sms_twilio_auth_token:
            return False
        computed = generate_twilio_sms_callback_signature(company, uuid, request.httprequest.form.to_dict())
        return hmac.compare_digest(computed, request.httprequest.headers.get("X-Twilio-Signature", ""))
