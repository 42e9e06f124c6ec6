from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext, plaintext2html

from ..tools import phone

CHANNELS = [("email", "Email"), ("sms", "SMS")]

# mail.notification status of an SMS -> state shown on its bubble
SMS_BUBBLE_STATE = {
    "ready": "queued",
    "process": "sending",
    "pending": "sent",
    "sent": "delivered",
    "bounce": "failed",
    "exception": "failed",
    "canceled": "cancelled",
}


class HrApplicant(models.Model):
    _inherit = "hr.applicant"

    recruit_sms_consent = fields.Boolean(
        "SMS consent",
        tracking=True,
        copy=False,
        help='"Yes, I want to be contacted by SMS": the applicant agreed to receive text messages.',
    )
    recruit_sms_consent_date = fields.Datetime("SMS consent date", readonly=True, copy=False)
    recruit_sms_consent_source = fields.Selection(
        [
            ("form", "Entered by a recruiter"),
            ("application", "Application form"),
            ("candidate", "Candidate's own message"),
            ("import", "Import"),
        ],
        "SMS consent source",
        copy=False,
    )
    recruit_sms_number = fields.Char(
        "SMS number",
        compute="_compute_recruit_sms_number",
        store=True,
        index="btree_not_null",
        help="The applicant's phone in E.164 form, when it is a valid number.",
    )
    recruit_sms_can_text = fields.Boolean(
        "Can be texted",
        compute="_compute_recruit_sms_can_text",
        store=True,
        help="The applicant has a valid phone number and agreed to receive text messages.",
    )
    recruit_sms_blocked_reason = fields.Char(
        "Why SMS is unavailable", compute="_compute_recruit_sms_blocked_reason",
    )

    # ------------------------------------------------------------
    # Phone and consent
    # ------------------------------------------------------------

    def _recruit_sms_country_code(self):
        self.ensure_one()
        country = self.partner_id.country_id or self.company_id.country_id or self.env.company.country_id
        return country.code

    @api.depends("partner_phone", "partner_id.country_id", "company_id.country_id")
    def _compute_recruit_sms_number(self):
        for applicant in self:
            applicant.recruit_sms_number = phone.try_e164(
                applicant.partner_phone, applicant._recruit_sms_country_code()
            ) or False

    @api.depends("recruit_sms_number", "recruit_sms_consent")
    def _compute_recruit_sms_can_text(self):
        for applicant in self:
            applicant.recruit_sms_can_text = bool(applicant.recruit_sms_number and applicant.recruit_sms_consent)

    @api.depends("partner_phone", "recruit_sms_number", "recruit_sms_consent")
    def _compute_recruit_sms_blocked_reason(self):
        for applicant in self:
            applicant.recruit_sms_blocked_reason = applicant._recruit_sms_blocked_reason() or False

    def _recruit_sms_blocked_reason(self):
        """Why this applicant cannot be texted now, or None. The one gate every SMS
        sent to an applicant passes."""
        self.ensure_one()
        if not self.partner_phone:
            return self.env._("%(name)s has no phone number: add one in the Phone field.", name=self.partner_name or self.display_name)
        if not self.recruit_sms_number:
            try:
                phone.to_e164(self.partner_phone, self._recruit_sms_country_code())
            except phone.PhoneError as error:
                return self.env._(
                    "The phone number %(number)s cannot be texted (%(reason)s): correct it in the Phone field, "
                    "in international form (e.g. +1 415 555 2671).",
                    number=self.partner_phone,
                    reason=phone.REASONS[error.reason],
                )
        if not self.recruit_sms_consent:
            return self.env._(
                '%(name)s has not agreed to receive text messages: tick "SMS consent" '
                "once they said \"Yes, I want to be contacted by SMS\".",
                name=self.partner_name or self.display_name,
            )
        return None

    def _recruit_sms_check_sendable(self):
        for applicant in self:
            reason = applicant._recruit_sms_blocked_reason()
            if reason:
                raise UserError(reason)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._recruit_sms_stamp_consent(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._recruit_sms_stamp_consent(vals)
        return super().write(vals)

    def _recruit_sms_stamp_consent(self, vals):
        """Record when (and how) consent was given; forget it when withdrawn."""
        if "recruit_sms_consent" not in vals:
            return
        if vals["recruit_sms_consent"]:
            vals.setdefault("recruit_sms_consent_date", fields.Datetime.now())
            vals.setdefault("recruit_sms_consent_source", self.env.context.get("recruit_sms_consent_source", "form"))
        else:
            vals.update(recruit_sms_consent_date=False, recruit_sms_consent_source=False)

    # ------------------------------------------------------------
    # Sending: the one path used by the composer and the Communications tab
    # ------------------------------------------------------------

    def recruit_sms_send(self, channel, subject, body):
        """Send ``body`` to the applicant by ``channel`` ('email' or 'sms'), with ``subject``.

        :return: the posted mail.message
        """
        self.ensure_one()
        self.check_access("write")
        subject, body = (subject or "").strip(), (body or "").strip()
        if not subject:
            raise UserError(self.env._("Subject is required: write a subject for your message."))
        if not body:
            raise UserError(self.env._("Body is required: write the message to send."))
        if channel == "sms":
            return self._recruit_sms_post_sms(subject, body)
        if channel == "email":
            return self._recruit_sms_post_email(subject, body)
        raise UserError(self.env._("Channel must be Email or SMS, not %(channel)r.", channel=channel))

    def _recruit_sms_post_sms(self, subject, body):
        self._recruit_sms_check_sendable()
        if self.partner_id:
            recipients = {"partner_ids": self.partner_id.ids, "sms_pid_to_number": {self.partner_id.id: self.recruit_sms_number}}
        else:
            recipients = {"partner_ids": [], "sms_numbers": [self.recruit_sms_number]}
        return self._message_sms(body, subject=subject, **recipients)

    def _recruit_sms_post_email(self, subject, body):
        if not self.email_from:
            raise UserError(self.env._(
                "%(name)s has no email address: add one in the Email field, or send by SMS.",
                name=self.partner_name or self.display_name,
            ))
        if not self.partner_id:
            self.partner_id = self._partner_find_from_emails_single([self.email_from], no_create=False)
        return self.message_post(
            subject=subject,
            body=plaintext2html(body),
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------
    # Communications tab
    # ------------------------------------------------------------

    def _recruit_sms_conversation_domain(self):
        return [
            ("model", "=", self._name),
            ("res_id", "in", self.ids),
            "|",
            ("message_type", "in", ("sms", "email")),
            "&",
            ("message_type", "in", ("comment", "email_outgoing")),
            ("subtype_id.internal", "=", False),
        ]

    def recruit_sms_get_conversation(self):
        """Every email and SMS with the applicant, oldest first, as bubbles for the
        Communications tab (and the chat panel)."""
        self.ensure_one()
        self.check_access("read")
        messages = self.env["mail.message"].sudo().search(
            self._recruit_sms_conversation_domain(), order="date asc, id asc",
        )
        return {
            "applicant": {
                "id": self.id,
                "name": self.partner_name or self.display_name,
                "can_text": self.recruit_sms_can_text,
                "sms_blocked_reason": self._recruit_sms_blocked_reason() or False,
                "has_email": bool(self.email_from),
                "sandbox": self.company_id.sms_provider == "sandbox"
                or (not self.company_id and self.env.company.sms_provider == "sandbox"),
            },
            "messages": [self._recruit_sms_bubble(message) for message in messages],
        }

    def _recruit_sms_bubble(self, message):
        incoming = message.message_type == "email" or (
            message.author_id and message.author_id == self.partner_id and not message.author_id.user_ids
        )
        channel = "sms" if message.message_type == "sms" else "email"
        bubble = {
            "id": message.id,
            "channel": channel,
            "direction": "in" if incoming else "out",
            "subject": message.subject or "",
            "body": html2plaintext(message.body or "") if channel == "sms" else str(message.body or ""),
            "date": fields.Datetime.to_string(message.date),
            "author": message.author_id.name or message.email_from or "",
            "state": False,
            "failure_reason": False,
            "can_resend": False,
        }
        if channel == "sms" and not incoming:
            notification = message.notification_ids.filtered(lambda n: n.notification_type == "sms")[:1]
            if notification:
                bubble["state"] = SMS_BUBBLE_STATE.get(notification.notification_status, notification.notification_status)
                if bubble["state"] == "failed":
                    bubble["failure_reason"] = notification.failure_reason or dict(
                        notification._fields["failure_type"]._description_selection(self.env)
                    ).get(notification.failure_type) or self.env._("Unknown error")
                    bubble["can_resend"] = True
        return bubble

    def recruit_sms_resend(self, message_id):
        """Send a failed SMS of this applicant's conversation again."""
        self.ensure_one()
        self.check_access("write")
        self._recruit_sms_check_sendable()
        message = self.env["mail.message"].sudo().search([
            ("id", "=", message_id), ("model", "=", self._name), ("res_id", "=", self.id), ("message_type", "=", "sms"),
        ])
        notifications = message.notification_ids.filtered(
            lambda n: n.notification_type == "sms" and n.notification_status in ("exception", "bounce")
        )
        if not notifications:
            raise UserError(self.env._("This message has not failed: there is nothing to resend."))
        sms_model = self.env["sms.sms"].sudo()
        for notification in notifications:
            sms = sms_model.browse(notification.sms_id_int).exists().filtered(lambda s: s.state == "error" and not s.to_delete)
            if sms:
                sms.number = self.recruit_sms_number
                sms.action_set_outgoing()
            else:
                sms = sms_model.create({
                    "body": html2plaintext(message.body or ""),
                    "mail_message_id": message.id,
                    "partner_id": notification.res_partner_id.id,
                    "number": self.recruit_sms_number,
                    "state": "outgoing",
                })
                notification.sms_tracker_ids.unlink()
                notification.write({
                    "sms_id_int": sms.id,
                    "sms_number": sms.number,
                    "notification_status": "ready",
                    "failure_type": False,
                    "failure_reason": False,
                    "sms_tracker_ids": [fields.Command.create({"sms_uuid": sms.uuid})],
                })
            sms.send(raise_exception=False)
        return True
