import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext, plaintext2html

from ..tools import commands, phone
from ..tools import inbound as inbound_rules

CHANNELS = [("email", "Email"), ("sms", "SMS")]
PREVIEW_LENGTH = 120

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
    recruit_sms_waiting_since = fields.Datetime(
        "Waiting for a response since",
        copy=False,
        index="btree_not_null",
        help="When the oldest message of the applicant that nobody answered yet arrived.",
    )
    recruit_sms_last_message_date = fields.Datetime("Last message", copy=False, index="btree_not_null")
    recruit_sms_inbound_ids = fields.One2many("recruit.sms.inbound", "applicant_id", "Text messages received")

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

    def _recruit_sms_blocked_reason(self, opted_out=None):
        """Why this applicant cannot be texted now, or None. The one gate every SMS
        sent to an applicant passes. ``opted_out``: the opted-out numbers, when the caller
        already looked them up for many applicants."""
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

    def recruit_sms_compose(self, channel, subject, body):
        """What the composers call: a chat command when the body starts with ``^``
        (never sent), else a message by ``channel``.

        :return: {"message_id": id} or {"feedback": what the command did}
        """
        self.ensure_one()
        self.check_access("write")
        if commands.is_command(body):
            return {"feedback": self._recruit_sms_run_command(body.strip(), channel=channel, subject=subject)}
        return {"message_id": self.recruit_sms_send(channel, subject, body).id}

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
            message = self._recruit_sms_post_sms(subject, body)
        elif channel == "email":
            message = self._recruit_sms_post_email(subject, body)
        else:
            raise UserError(self.env._("Channel must be Email or SMS, not %(channel)r.", channel=channel))
        self.sudo().write({
            "recruit_sms_waiting_since": False,
            "recruit_sms_last_message_date": message.date,
            "recruit_sms_last_preview": body[:PREVIEW_LENGTH],
            "recruit_sms_last_channel": channel,
        })
        self._recruit_sms_notify_inbox()
        return message

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
        inbound_by_message = {
            inbound.mail_message_id.id: inbound
            for inbound in self.env["recruit.sms.inbound"].sudo().search([("mail_message_id", "in", messages.ids)])
        }
        blocked_reason = self._recruit_sms_blocked_reason()
        return {
            "applicant": {
                "id": self.id,
                "name": self.partner_name or self.display_name,
                "can_text": not blocked_reason,
                "sms_blocked_reason": blocked_reason or False,
                "has_email": bool(self.email_from),
                "sandbox": self._recruit_sms_company().sms_provider == "sandbox",
                "waiting_since": fields.Datetime.to_string(self.recruit_sms_waiting_since) or False,
            },
            "messages": [self._recruit_sms_bubble(message, inbound_by_message.get(message.id)) for message in messages],
        }

    def _recruit_sms_bubble(self, message, inbound=None):
        incoming = bool(inbound) or message.message_type == "email"
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
            "media": [],
            "held_until": False,
        }
        if inbound:
            bubble["body"] = inbound.body or ""
            bubble["media"] = [{"url": url, "content_type": content_type} for url, content_type in inbound.media or []]
        if channel == "sms" and not incoming:
            notification = message.notification_ids.filtered(lambda n: n.notification_type == "sms")[:1]
            if notification:
                bubble["state"] = SMS_BUBBLE_STATE.get(notification.notification_status, notification.notification_status)
                if bubble["state"] in ("failed", "cancelled"):
                    bubble["failure_reason"] = notification.failure_reason or dict(
                        notification._fields["failure_type"]._description_selection(self.env)
                    ).get(notification.failure_type) or self.env._("Unknown error")
                    bubble["can_resend"] = bubble["state"] == "failed"
                elif bubble["state"] == "queued":
                    held = self.env["sms.sms"].sudo().search([
                        ("mail_message_id", "=", message.id), ("state", "=", "outgoing"), ("recruit_sms_hold_until", "!=", False),
                    ], limit=1)
                    bubble["held_until"] = fields.Datetime.to_string(held.recruit_sms_hold_until) if held else False
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

    # ------------------------------------------------------------
    # Replies from the applicant
    # ------------------------------------------------------------

    def _recruit_sms_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    def _recruit_sms_known_number(self):
        """The applicant's number as texts come from it (E.164), or a clear error."""
        self.ensure_one()
        number = self.recruit_sms_number or self.partner_phone_sanitized
        if not number:
            raise UserError(self.env._("%(name)s has no valid phone number.", name=self.partner_name or self.display_name))
        return number

    def _recruit_sms_ensure_partner(self, number):
        """The applicant's contact, created from the applicant when missing."""
        self.ensure_one()
        if not self.partner_id:
            self.partner_id = self.env["res.partner"].sudo().create({
                "name": self.partner_name or number,
                "phone": self.partner_phone or number,
                "email": self.email_from or False,
                "company_id": self.company_id.id,
            })
        return self.partner_id

    def _recruit_sms_mark_waiting(self, when, preview=""):
        """The applicant wrote: the conversation waits for a response from then on."""
        for applicant in self.sudo():
            applicant.write({
                "recruit_sms_waiting_since": applicant.recruit_sms_waiting_since or when,
                "recruit_sms_last_message_date": when,
                "recruit_sms_last_inbound_date": when,
                "recruit_sms_last_preview": (preview or "")[:PREVIEW_LENGTH],
                "recruit_sms_last_channel": "sms",
            })

    def _recruit_sms_users_to_notify(self):
        """The applicant's recruiter; without one, the internal followers of the job
        position (the recruiting team), else those of the applicant."""
        self.ensure_one()
        if self.user_id:
            return self.user_id
        for record in (self.job_id, self):
            users = record.sudo().message_partner_ids.user_ids.filtered(lambda u: u._is_internal() and u.active)
            if users:
                return users
        return self.env["res.users"]

    def _recruit_sms_notify_inbound(self, inbound):
        """Tell the recruiter, live (bus, for the systray) and by email unless they turned
        it off in their preferences."""
        self.ensure_one()
        users = self._recruit_sms_users_to_notify()
        preview = (inbound.body or "")[:200] or self.env._("(media)")
        payload = {
            "applicant_id": self.id,
            "applicant_name": self.partner_name or self.display_name,
            "inbound_id": inbound.id,
            "message_id": inbound.mail_message_id.id,
            "preview": preview,
        }
        for user in users:
            user._bus_send("recruit_sms/inbound", payload)
        self._recruit_sms_notify_inbox()
        email_users = users.filtered(lambda u: u.recruit_sms_inbound_email and u.email)
        if not email_users:
            return
        company = self._recruit_sms_company()
        link = f"{self.get_base_url()}/odoo/hr.applicant/{self.id}"
        body = self.env["ir.qweb"]._render("recruit_sms.inbound_notification_email", {
            "applicant": self, "inbound": inbound, "link": link, "company": company,
        })
        self.env["mail.mail"].sudo().create([{
            "subject": self.env._("New text from %(name)s", name=payload["applicant_name"]),
            "body_html": body,
            "email_from": company.email_formatted or False,
            "email_to": user.email_formatted,
            "model": self._name,
            "res_id": self.id,
            "auto_delete": True,
        } for user in email_users])

    def recruit_sms_simulate_reply(self, body):
        """Sandbox only: receive ``body`` as if the applicant had texted it, through the
        same path as the provider's webhook (minus the signature)."""
        self.ensure_one()
        self.check_access("write")
        company = self._recruit_sms_company()
        if company.sms_provider != "sandbox":
            raise UserError(self.env._("Simulating a reply is only possible with the sandbox SMS provider."))
        number = self._recruit_sms_known_number()
        if not (body or "").strip():
            raise UserError(self.env._("Write the reply to simulate."))
        sms = inbound_rules.InboundSms(
            message_sid=f"SMsandbox{uuid.uuid4().hex}", account_sid="", from_number=number, to_number="", body=body,
        )
        record, _created = self.env["recruit.sms.inbound"]._recruit_sms_receive(sms, company)
        return record.mail_message_id.id
