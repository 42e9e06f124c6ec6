from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import html2plaintext, plaintext2html

from ..tools import commands, gate, user_input
from ..tools import inbound as inbound_rules
from .hr_applicant import CHANNELS, MAX_EMAIL_BODY, MAX_SUBJECT, PREVIEW_LENGTH


class HrApplicant(models.Model):
    """Sending: the composers' one path (email, SMS, WhatsApp), first contact, the text
    on apply, booking links, the server's own texts and resending."""

    _inherit = "hr.applicant"  # pylint: disable=consider-merging-classes-inherited

    def recruit_sms_compose(self, channel, subject, body, template_id=False):
        """What the composers call: a chat command when the body starts with ``^``
        (never sent), else a message by ``channel``; on WhatsApp, ``template_id`` sends
        that approved template instead of the body.

        :return: {"message_id": id} or {"feedback": what the command did}
        """
        self.ensure_one()
        self.check_access("write")
        self._recruit_sms_check_compose_args(channel, subject, body, template_id)
        if commands.is_command(body) and not template_id:
            return {"feedback": self._recruit_sms_run_command(body.strip(), channel=channel, subject=subject)}
        return {"message_id": self.recruit_sms_send(channel, subject, body, template_id=template_id).id}

    def _recruit_sms_check_compose_args(self, channel, subject, body, template_id):
        """What a composer may send, checked before anything is read from it: the browser
        calls these methods with whatever it is given."""
        if not isinstance(channel, str) or channel not in dict(CHANNELS):
            raise UserError(self.env._("Channel must be Email, SMS or WhatsApp, not %(channel)r.", channel=channel))
        self._recruit_sms_input(self.env._("Subject"), subject, user_input.text, MAX_SUBJECT)
        body = self._recruit_sms_input(self.env._("Body"), body, user_input.text, MAX_EMAIL_BODY)
        if channel != "email" and len(body) > inbound_rules.MAX_BODY:
            raise UserError(self.env._(
                "Body: %(count)s characters, more than the %(limit)s a text may have; shorten it, or send it by email.",
                count=len(body), limit=inbound_rules.MAX_BODY))
        self._recruit_sms_input(self.env._("WhatsApp template"), template_id, user_input.record_id, optional=True)

    def recruit_sms_send(self, channel, subject, body, template_id=False):
        """Send ``body`` to the applicant by ``channel`` ('email', 'sms' or 'whatsapp'),
        with ``subject``, as the current user's own message; on WhatsApp, ``template_id``
        (a ``recruit.sms.whatsapp.template`` the user may read) replaces the body.

        :return: the posted mail.message
        """
        self._recruit_sms_check_compose_args(channel, subject, body, template_id)
        template = self.env["recruit.sms.whatsapp.template"]
        if template_id:
            template = template.browse(template_id).exists()
            template.check_access("read")  # the user's own right: record rules keep it to their companies
            if not template.active:
                raise UserError(self.env._("WhatsApp template: %(template)s is archived; choose another one.",
                                           template=template.name))
        return self._recruit_sms_send(channel, subject, body, gate.MANUAL, template=template)

    def _recruit_sms_send(self, channel, subject, body, kind, template=None):
        """``recruit_sms_send`` for the server's own paths, which say what ``kind`` of
        text it is (a scheduled message is not typed now: its texting hours hold)."""
        self.ensure_one()
        self.check_access("write")
        subject, body = (subject or "").strip(), (body or "").strip()
        if not subject:
            raise UserError(self.env._("Subject is required: write a subject for your message."))
        if not body and not template:
            raise UserError(self.env._("Body is required: write the message to send."))
        if template and channel != "whatsapp":
            raise UserError(self.env._("WhatsApp template: templates are for WhatsApp; choose WhatsApp, or remove it."))
        if channel == "sms":
            message = self._recruit_sms_post_sms(subject, body, kind)
        elif channel == "whatsapp":
            message = self._recruit_sms_post_whatsapp(subject, body, kind, template)
            body = html2plaintext(message.body or "")
        elif channel == "email":
            message = self._recruit_sms_post_email(subject, body)
        else:
            raise UserError(self.env._("Channel must be Email, SMS or WhatsApp, not %(channel)r.", channel=channel))
        self.sudo().write({
            "recruit_sms_waiting_since": False,
            "recruit_sms_last_message_date": message.date,
            "recruit_sms_last_preview": body[:PREVIEW_LENGTH],
            "recruit_sms_last_channel": channel,
        })
        self._recruit_sms_notify_inbox()
        return message

    def _recruit_sms_post_sms(self, subject, body, kind, channel=gate.SMS, sms_values=None):
        """Post and send one text as the user's: an SMS (with the first-contact notice when
        due), or on WhatsApp (``channel``, with its ``sms_values``), once the gate allows it."""
        self._recruit_sms_check_sendable(channel, kind)
        sms = self._recruit_sms_post_sms_batch({self.id: body}, subject=subject, kind=kind,
                                               sms_values={self.id: sms_values or {}})
        sms.send(raise_exception=False)
        return sms.mail_message_id

    def _recruit_sms_post_whatsapp(self, subject, body, kind, template=None):
        """Post and send a WhatsApp message: free text within WhatsApp's 24-hour window,
        else the approved ``template`` with its variables filled from the applicant. The
        gate decides as for an SMS, and refuses free text outside the window."""
        company = self._recruit_sms_company()
        company._recruit_sms_check_whatsapp()
        values = {"recruit_sms_channel": gate.WHATSAPP}
        if template:
            if template.company_id != company:
                raise UserError(self.env._(
                    "WhatsApp template: %(template)s belongs to another company; choose one of %(company)s.",
                    template=template.name, company=company.name))
            body, values = template._recruit_sms_sms_values(self)
        return self._recruit_sms_post_sms(subject, body, kind, gate.channel_of(True, bool(template)), values)

    def _recruit_sms_post_sms_batch(self, bodies, *, subject, kind, author=None, numbers=None, sms_values=None):
        """Post an SMS on each applicant's conversation: the message (an SMS log, no email
        and no follower notified), its ``sms.sms``, notification and tracker, as core's
        ``_message_sms`` does for one record and its mass composer for many. The one way
        this addon posts an SMS: replies, confirmations, campaigns.

        :param dict bodies: {applicant id: text}
        :param kind: what the SMS is for the gate (one of ``gate.KINDS``)
        :param author: res.users who sends (default: the acting user)
        :param dict numbers: {applicant id: number} (default: the applicant's)
        :param dict sms_values: {applicant id: extra ``sms.sms`` values}
        :return: the outgoing ``sms.sms``, in the applicants' order, not sent yet: the
          caller sends them now (through Odoo's queue and the gate) or through a campaign
        """
        if not self:
            return self.env["sms.sms"]
        numbers, sms_values = numbers or {}, sms_values or {}
        numbers = {applicant.id: numbers.get(applicant.id, applicant.phone_sanitized) for applicant in self}
        bodies = self._recruit_sms_with_first_contact_notice(bodies, numbers, kind, sms_values)
        author_partner = (author or self.env.user).partner_id
        messages = self.sudo()._message_log_batch(
            bodies={applicant_id: plaintext2html(body) for applicant_id, body in bodies.items()},
            subject=subject, author_id=author_partner.id, message_type="sms",
        )
        message_of = {message.res_id: message for message in messages}
        sms_all = self.env["sms.sms"].sudo()._recruit_sms_create([{
            "body": bodies[applicant.id],
            "number": numbers[applicant.id],
            "partner_id": applicant.partner_id.id,
            "mail_message_id": message_of[applicant.id].id,
            "state": "outgoing",
            # sent through the applicant's company (its provider, account, WhatsApp sender and
            # window), whichever company the user works in: core reads it from here
            "record_company_id": applicant._recruit_sms_company().id,
            **sms_values.get(applicant.id, {}),
        } for applicant in self], kind)
        notifications = self.env["mail.notification"].sudo().create([{
            "author_id": author_partner.id,
            "mail_message_id": sms.mail_message_id.id,
            "res_partner_id": sms.partner_id.id,
            "sms_number": sms.number,
            "notification_type": "sms",
            "sms_id_int": sms.id,
            "is_read": True,
            "notification_status": "ready",
        } for sms in sms_all])
        self.env["sms.tracker"].sudo().create([
            {"sms_uuid": sms.uuid, "mail_notification_id": notification.id}
            for sms, notification in zip(sms_all, notifications, strict=True)
        ])
        return sms_all

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

    def recruit_sms_resend(self, message_id):
        """Send a failed SMS (or WhatsApp message) of this applicant's conversation again,
        on its channel."""
        self.ensure_one()
        self.check_access("write")
        message_id = self._recruit_sms_input(self.env._("Message"), message_id, user_input.record_id)
        message = self.env["mail.message"].sudo().search([
            ("id", "=", message_id), ("model", "=", self._name), ("res_id", "=", self.id), ("message_type", "=", "sms"),
        ])
        notifications = message.notification_ids.filtered(
            lambda n: n.notification_type == "sms" and n.notification_status in ("exception", "bounce")
        )
        if not notifications:
            self._recruit_sms_check_sendable()
            raise UserError(self.env._("This message has not failed: there is nothing to resend."))
        sms_model = self.env["sms.sms"].sudo()
        # every check before anything goes
        for notification in notifications:
            if notification.recruit_sms_whatsapp:
                self._recruit_sms_company()._recruit_sms_check_whatsapp()
            self._recruit_sms_check_sendable(notification._recruit_sms_gate_channel(),
                                             notification.recruit_sms_kind or gate.AUTOMATED)
        for notification in notifications:
            on_whatsapp = {}
            if notification.recruit_sms_whatsapp:
                on_whatsapp = {"recruit_sms_channel": gate.WHATSAPP,
                               "recruit_sms_content_sid": notification.recruit_sms_content_sid,
                               "recruit_sms_content_variables": notification.recruit_sms_content_variables}
            sms = sms_model.browse(notification.sms_id_int).exists().filtered(
                lambda s: s.state == "error" and not s.to_delete and s.mail_message_id == message)
            if sms:
                sms.number = self.phone_sanitized
                sms.action_set_outgoing()
            else:
                sms = sms_model._recruit_sms_create([{
                    "body": html2plaintext(message.body or ""),
                    "mail_message_id": message.id,
                    "partner_id": notification.res_partner_id.id,
                    "number": self.phone_sanitized,
                    "state": "outgoing",
                    "record_company_id": self._recruit_sms_company().id,
                    **on_whatsapp,
                }], notification.recruit_sms_kind or gate.AUTOMATED)  # what it was sent as
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

    @api.model
    def _recruit_sms_never_texted(self, numbers, company):
        """Which of ``numbers`` no SMS of ``company`` ever went to (nor is going to): a first
        contact is each sender's, and what another company sent is none of this one's."""
        numbers = {number for number in numbers if number}
        if not numbers:
            return set()
        texted = set()
        for notification in self.env["mail.notification"].sudo().search(
                [("notification_type", "=", "sms"), ("sms_number", "in", list(numbers))]):
            message = notification.mail_message_id
            sender = message.record_company_id or (
                self.sudo().browse(message.res_id).exists().company_id if message.model == "hr.applicant" else None)
            if not sender or sender == company:
                texted.add(notification.sms_number)
        texted |= set(self.env["sms.sms"].sudo().search([
            ("number", "in", list(numbers - texted)), ("record_company_id", "in", [company.id, False]),
        ]).mapped("number"))
        return numbers - texted

    def _recruit_sms_is_first_contact(self):
        number = self.phone_sanitized
        return bool(number) and number in self._recruit_sms_never_texted([number], self._recruit_sms_company())

    def _recruit_sms_with_first_contact_notice(self, bodies, numbers, kind, sms_values):
        """``bodies`` with what the law or the company adds after each SMS, whatever posts
        it (a reply, the text on apply, a campaign, a booking confirmation, an automatic
        reply): the one place it is added. Where the recipient's law asks it (CASL), every
        text names its sender, a way to reach them and how to opt out; elsewhere, the
        company's first-contact notice follows the first text to a number. Not on WhatsApp
        (a template's text is WhatsApp's), nor after a STOP/START/HELP answer."""
        if kind == gate.CONFIRMATION:
            return bodies
        sms_only = [a for a in self if (sms_values.get(a.id) or {}).get("recruit_sms_channel") in (None, False, gate.SMS)]
        identified = {a.id: identification for a in sms_only
                      if (identification := a._recruit_sms_identification(numbers[a.id]))}
        if identified:
            bodies = {applicant_id: body + identified.get(applicant_id, "") for applicant_id, body in bodies.items()}
        noticed = [a for a in sms_only if a.id not in identified and a._recruit_sms_company().recruit_sms_first_contact_notice]
        by_company = defaultdict(list)
        for applicant in noticed:
            by_company[applicant._recruit_sms_company()].append(numbers[applicant.id])
        first = {(company, number) for company, company_numbers in by_company.items()
                 for number in self._recruit_sms_never_texted(company_numbers, company)}
        bodies = dict(bodies)
        for applicant in noticed:
            if (applicant._recruit_sms_company(), numbers[applicant.id]) in first:
                bodies[applicant.id] += f"\n{applicant._recruit_sms_company().recruit_sms_first_contact_notice}"
        return bodies

    def _recruit_sms_text_on_apply(self):
        """Queue for each new applicant their job's (else their company's) text on apply,
        when the gate lets it go (consent, opt-out; held to their texting hours), once per
        person and job: a second application of the same number to the same job gets none."""
        queued = False
        for applicant in self.sudo().filtered("phone_sanitized"):
            template = applicant.job_id.recruit_sms_apply_template_id or applicant.company_id.recruit_sms_apply_template_id
            if not template or applicant.recruit_sms_apply_texted:
                continue
            # the same person for the same job, whoever may see that other application
            if applicant.search_count(Domain("id", "!=", applicant.id) & Domain("recruit_sms_apply_texted", "=", True)
                                      & Domain("job_id", "=", applicant.job_id.id)
                                      & self._recruit_sms_holding([applicant.phone_sanitized]), limit=1):
                continue
            if applicant._recruit_sms_verdict(gate.AUTOMATED, hours=False).blocked:
                continue
            # core's renderer: administrators write SMS templates (a recruiter cannot)
            body = template._render_field("body", applicant.ids, compute_lang=True)[applicant.id]
            applicant._recruit_sms_post_sms_batch({applicant.id: body}, subject=template.name, kind=gate.AUTOMATED)
            applicant.recruit_sms_apply_texted = True
            queued = True
        if queued:
            # Odoo's SMS queue sends it once this transaction is committed (an import or an
            # email that fails later takes its text back with it), through the gate, which
            # holds it until the candidate's texting hours
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()

    def recruit_sms_booking_link(self):
        """A new interview booking link for this applicant, offering the current user's
        free time: the sentence the composer inserts into the message."""
        self.ensure_one()
        self.check_access("write")
        link = self.env["recruit.sms.booking"]._recruit_sms_create_for(self)
        return self.env._("Pick a time for your interview: %(url)s", url=link.url)

    def _recruit_sms_first_contact_suffix(self):
        """What an SMS to this applicant will carry after its text (the composer counts it)."""
        identification = self._recruit_sms_identification(self.phone_sanitized)
        if identification:
            return identification
        notice = self._recruit_sms_company().recruit_sms_first_contact_notice
        return f"\n{notice}" if notice and self._recruit_sms_is_first_contact() else ""

    def _recruit_sms_identification(self, number):
        """The line a text to ``number`` ends with when the law of the recipient's place
        asks the sender to identify itself (CASL: its name, a way to reach it, how to opt
        out), else ""."""
        if not number:
            return ""
        company = self._recruit_sms_company()
        rules = self.env["recruit.sms.gate"]._rules_for(company, self, number)
        if not any(rule.identify for rule in rules):
            return ""
        contact = company.phone or company.email or company.website
        if contact:
            return "\n" + self.env._("%(company)s, %(contact)s. Reply STOP to opt out.", company=company.name,
                                     contact=contact)
        return "\n" + self.env._("%(company)s. Reply STOP to opt out.", company=company.name)

    def _recruit_sms_text_channel(self):
        """Where a text the server writes goes: WhatsApp when the candidate texts there and
        may receive free text now, else SMS."""
        self.ensure_one()
        channel = self._recruit_sms_company()._recruit_sms_channel(self.recruit_sms_channel)
        return channel if channel == gate.SMS or self._recruit_sms_whatsapp_window()[0] else gate.SMS

    def _recruit_sms_send_confirmation(self, number, text, channel=gate.SMS):
        """Answer a STOP/START/HELP at once, whatever the hour or the opt-out: the gate
        lets a confirmation through because this code says it is one."""
        return self._recruit_sms_send_now(number, text, gate.CONFIRMATION, channel=channel)

    def _recruit_sms_send_now(self, number, text, kind, *, subject=False, author=None, channel=gate.SMS):
        """Text ``number`` now, through the gate as ``kind``, as an SMS or as free text
        on WhatsApp (``channel``): in this applicant's conversation, or, without
        applicant, to the bare number."""
        values = {"recruit_sms_channel": gate.WHATSAPP} if channel == gate.WHATSAPP else {}
        if self:
            self.ensure_one()
            sms = self._recruit_sms_post_sms_batch({self.id: text}, subject=subject, kind=kind, author=author,
                                                   numbers={self.id: number}, sms_values={self.id: values})
        else:
            sms = self.env["sms.sms"].sudo()._recruit_sms_create([{"number": number, "body": text, **values}], kind)
        sms.send(raise_exception=False)
        return sms
