import contextlib
import uuid
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.addons.mail.tools.discuss import Store
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_datetime, html2plaintext, plaintext2html

from ..tools import age, commands, gate, phone, quiet_hours, user_input, whatsapp
from ..tools import inbound as inbound_rules
from ..tools.server_flag import ServerFlag
from .recruit_sms_consent_event import EXPORT_PREFIX
from .recruit_sms_gate import GateRequest
from .sms_sms import TEXT_CHANNELS, sending

CHANNELS = [("email", "Email"), *TEXT_CHANNELS]
PREVIEW_LENGTH = 120
# what the composers take: a subject line, and an email body of a few pages
MAX_SUBJECT = 500
MAX_EMAIL_BODY = 100_000
INBOX_LIMIT = 30
# pasted text scanned for phone numbers: what a page or a CV holds, and the numbers shown
SCAN_TEXT_LIMIT = 100_000
SCAN_MAX_NUMBERS = 20
# merge fields every recruiter may put in a campaign (Odoo restricts other expressions to
# template editors)
CAMPAIGN_MERGE_FIELDS = (
    "object.partner_name",
    "object.job_id.name",
    "object.user_id.name",
    "object.company_id.name",
    "object.department_id.name",
)
CONSENT_SOURCES = [
    ("form", "Entered by a recruiter"),
    ("application", "Application form"),
    ("candidate", "Candidate's own message"),
    ("import", "Import"),
]
# How consent being recorded now was given: set by the server code of each channel (an
# import, a candidate's message), never by a caller; by default a recruiter's form.
_CONSENT_SOURCE = ServerFlag("recruit_sms_consent_source", default="form")
_CONSENT_REASON = ServerFlag("recruit_sms_consent_reason")
_CONSENT_NUMBER = ServerFlag("recruit_sms_consent_number")  # the number a withdrawal is about, when not the current one
# set by the server as the conversation goes (under sudo), never from a caller's values
_SERVER_FACTS = ("recruit_sms_last_inbound_date", "recruit_sms_waiting_since", "recruit_sms_last_message_date",
                 "recruit_sms_escalated_since", "recruit_sms_apply_texted", "recruit_sms_optout_asked_inbound_id")


@contextlib.contextmanager
def consent_source(source, reason=None):
    """Consent recorded inside the ``with`` block comes from ``source`` (one of
    CONSENT_SOURCES), with ``reason`` in the ledger (the evidence an import gives)."""
    with _CONSENT_SOURCE.set(source), _CONSENT_REASON.set(reason):
        yield

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
    """Texting and email with the applicant: who may be texted and when (the gate's
    facts: number, consent and its ledger, opt-out, texting hours), sending, the
    Communications tab, replies, and the conversation as the inbox sees it (who answers,
    whether it waits for a response and since when, who has read it).

    What the inbox sorts and filters on is stored on the applicant and indexed, so the
    counts do not grow with the number of messages."""

    _inherit = "hr.applicant"

    recruit_sms_consent = fields.Boolean(
        "SMS consent",
        tracking=True,
        copy=False,
        help='"Yes, I want to be contacted by SMS": the applicant agreed to receive text messages.',
    )
    recruit_sms_consent_date = fields.Datetime(
        "SMS consent date", readonly=True, copy=False, help="Set by Odoo when consent is recorded.")
    recruit_sms_consent_source = fields.Selection(
        CONSENT_SOURCES, "SMS consent source", readonly=True, copy=False,
        help="How consent was given, set by Odoo from the channel that recorded it.")
    # texts are matched to applicants by it: indexed
    phone_sanitized = fields.Char(index="btree_not_null")
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
    recruit_sms_inbound_ids = fields.One2many("recruit.sms.inbound", "applicant_id", "Text messages received",
                                              groups="hr_recruitment.group_hr_recruitment_user")

    recruit_sms_tz = fields.Selection(
        _tz_get, "Applicant time zone",
        help="Where the applicant lives, for quiet hours; empty: the phone number's zones, else the company's.",
    )
    recruit_sms_consent_event_ids = fields.One2many("recruit.sms.consent.event", "applicant_id", "SMS consent ledger",
                                                    groups="hr_recruitment.group_hr_recruitment_user")

    recruit_sms_assigned_user_id = fields.Many2one(
        "res.users",
        "Conversation assigned to",
        compute="_compute_recruit_sms_assigned_user_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        help="Who answers this applicant's messages; empty: the recruiting team.",
    )
    recruit_sms_state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], "Conversation", default="open", required=True, tracking=True,
    )
    recruit_sms_last_inbound_date = fields.Datetime("Last message received", copy=False)
    recruit_sms_apply_texted = fields.Boolean("Texted on apply", copy=False, readonly=True,
                                              help="The job's text on apply went to this application.")
    recruit_sms_last_preview = fields.Char("Last message preview", copy=False)
    recruit_sms_last_channel = fields.Selection(CHANNELS, "Last message channel", copy=False)
    recruit_sms_channel = fields.Selection(
        TEXT_CHANNELS, "Texts on", default="sms", required=True, copy=False,
        help="Where texts to this candidate go: SMS, or WhatsApp (when the company uses it). It follows where the "
             "candidate last wrote.")
    recruit_sms_whatsapp_window_end = fields.Datetime(
        "WhatsApp window closes", compute="_compute_recruit_sms_whatsapp_window_end",
        help="Until then free text may go on WhatsApp (24 hours after the candidate's last WhatsApp message); "
             "afterwards only an approved template.")
    recruit_sms_colour = fields.Selection(
        [(age.GREEN, "Under 12 h"), (age.ORANGE, "12 to 24 h"), (age.RED, "Over 24 h"), (age.BLUE, "Responded")],
        "Response age", compute="_compute_recruit_sms_colour", search="_search_recruit_sms_colour",
    )
    recruit_sms_inbox = fields.Selection(
        [("mine", "For you"), ("team", "For the team"), ("others", "Others")],
        "Inbox", compute="_compute_recruit_sms_inbox", search="_search_recruit_sms_inbox",
    )
    recruit_sms_unread = fields.Boolean(
        "Unread", compute="_compute_recruit_sms_unread", search="_search_recruit_sms_unread",
    )
    recruit_sms_read_ids = fields.One2many("recruit.sms.read", "applicant_id", "Read by")
    recruit_sms_scheduled_ids = fields.One2many("recruit.sms.scheduled", "applicant_id", "Scheduled messages",
                                                groups="hr_recruitment.group_hr_recruitment_user")

    # a message that seems to ask to stop without being a keyword, until a recruiter decides
    recruit_sms_optout_asked_inbound_id = fields.Many2one(
        "recruit.sms.inbound", "Message that may ask to stop", copy=False, readonly=True, index="btree_not_null",
        groups="hr_recruitment.group_hr_recruitment_user", ondelete="set null")
    recruit_sms_optout_asked = fields.Boolean(
        "May have asked to stop", compute="_compute_recruit_sms_optout_asked", store=True,
        help="Their message seems to ask to stop being texted: no automated text goes to them until a recruiter "
             "opts them out or dismisses it.")
    recruit_sms_optout_asked_text = fields.Char("Words asking to stop", compute="_compute_recruit_sms_optout_asked",
                                                store=True)

    # the waiting that was escalated (the SLA ran out): a new waiting is not escalated
    recruit_sms_escalated_since = fields.Datetime("Escalated waiting", copy=False, readonly=True)
    recruit_sms_escalated = fields.Boolean(
        "Escalated", compute="_compute_recruit_sms_escalated", search="_search_recruit_sms_escalated",
        help="Waiting longer than the company's response time, counted in working hours: an activity was given "
             "to whoever answers.")

    recruit_sms_campaign_id = fields.Many2one(
        "recruit.sms.campaign", "Replied to campaign", copy=False, readonly=True, index="btree_not_null",
        help="The campaign the applicant's latest reply answers.",
    )

    # the inbox: open conversations waiting for an answer, per assignee
    _recruit_sms_inbox_idx = models.Index(
        "(recruit_sms_assigned_user_id, recruit_sms_waiting_since)"
        " WHERE recruit_sms_waiting_since IS NOT NULL AND recruit_sms_state = 'open' AND active")

    # ------------------------------------------------------------
    # Phone and consent
    # ------------------------------------------------------------

    def _recruit_sms_country_code(self):
        self.ensure_one()
        country = self.partner_id.country_id or self.company_id.country_id or self.env.company.country_id
        return country.code

    # The number texts go to and come from is core's ``phone_sanitized`` (E.164 when the
    # phone is a valid number, read in the contact's country, else the applicant's company's)

    def _phone_get_country(self):
        countries = super()._phone_get_country()
        for applicant in self:
            if applicant.id not in countries and applicant.company_id.country_id:
                countries[applicant.id] = applicant.company_id.country_id
        return countries

    def _phone_get_sanitize_triggers(self):
        # the country the phone is read in may come from the contact or the company
        return [*super()._phone_get_sanitize_triggers(), "partner_id.country_id", "company_id.country_id"]

    @api.depends("phone_sanitized")
    def _compute_recruit_sms_whatsapp_window_end(self):
        pairs = {applicant: (applicant.phone_sanitized, applicant._recruit_sms_company().id)
                 for applicant in self if applicant.phone_sanitized}
        last = self.env["recruit.sms.inbound"]._recruit_sms_whatsapp_last(pairs.values())
        for applicant in self:
            applicant.recruit_sms_whatsapp_window_end = whatsapp.window_closes(last.get(pairs.get(applicant)))

    @api.depends("phone_sanitized", "recruit_sms_consent")
    def _compute_recruit_sms_can_text(self):
        for applicant in self:
            applicant.recruit_sms_can_text = bool(applicant.phone_sanitized and applicant.recruit_sms_consent)

    @api.depends("partner_phone", "phone_sanitized", "recruit_sms_consent")
    def _compute_recruit_sms_blocked_reason(self):
        for applicant in self:
            applicant.recruit_sms_blocked_reason = applicant._recruit_sms_blocked_reason() or False

    def _recruit_sms_gate_request(self, kind=gate.MANUAL, number=None, channel=gate.SMS):
        self.ensure_one()
        return GateRequest(number, self, self._recruit_sms_company(), kind, channel)

    def _recruit_sms_verdict(self, kind=gate.MANUAL, hours=True, channel=gate.SMS):
        """What the gate says of a text of ``kind`` on ``channel`` to this applicant now."""
        return self.env["recruit.sms.gate"]._decide([self._recruit_sms_gate_request(kind, channel=channel)], hours=hours)[0]

    def _recruit_sms_blocked_reason(self, channel=gate.SMS, kind=gate.MANUAL):
        """Why this applicant can never be texted on ``channel`` a text of ``kind`` as
        things stand (no or invalid number, opted out, no consent, WhatsApp's window closed,
        an automated text while their message may ask to stop), or None; the texting hours
        only delay a text."""
        self.ensure_one()
        verdict = self._recruit_sms_verdict(kind, hours=False, channel=channel)
        request = self._recruit_sms_gate_request(channel=channel)
        return self.env["recruit.sms.gate"]._message(verdict, request) if verdict.blocked else None

    def _recruit_sms_check_sendable(self, channel=gate.SMS, kind=gate.MANUAL):
        for applicant in self:
            reason = applicant._recruit_sms_blocked_reason(channel, kind)
            if reason:
                raise UserError(reason)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._recruit_sms_drop_server_facts(vals)
            if "recruit_sms_consent" in vals:
                self._recruit_sms_stamp_consent(vals)
            else:  # said in the values or not at all: never a default from the caller's context
                vals.update(recruit_sms_consent=False, recruit_sms_consent_date=False, recruit_sms_consent_source=False)
        applicants = super().create(vals_list)
        if any(vals.get("recruit_sms_assigned_user_id") for vals in vals_list):
            applicants._check_recruit_sms_assignee()
        for applicant in applicants.filtered("recruit_sms_consent"):
            applicant._recruit_sms_log_consent("consent")
        return applicants

    def write(self, vals):
        self._recruit_sms_drop_server_facts(vals)
        self._recruit_sms_stamp_consent(vals)
        before = {a.id: a.recruit_sms_consent for a in self} if "recruit_sms_consent" in vals else {}
        # consent is given for a number: the one each consent was for, should the number change
        numbers = ({a.id: a.phone_sanitized for a in self if a.recruit_sms_consent and a.phone_sanitized}
                   if "partner_phone" in vals else {})
        result = super().write(vals)
        if vals.get("recruit_sms_assigned_user_id"):
            self._check_recruit_sms_assignee()
        moved = {a.id: numbers[a.id] for a in self if a.id in numbers and a.phone_sanitized != numbers[a.id]}
        for applicant in self.filtered(lambda a: a.id in before and a.recruit_sms_consent != before[a.id]):
            if applicant.recruit_sms_consent:
                applicant._recruit_sms_log_consent("consent")
            else:  # about the number the consent was for
                applicant._recruit_sms_log_consent("consent_withdrawn", number=moved.get(applicant.id))
        for applicant in self.filtered(lambda a: a.id in moved and a.recruit_sms_consent):
            applicant._recruit_sms_consent_left_with(moved[applicant.id], given_again="recruit_sms_consent" in vals)
        return result

    def _recruit_sms_consent_left_with(self, number, given_again=False):
        """The phone number changed from ``number``, which the consent was for: it is
        withdrawn, in the ledger of that number; ``given_again`` with the new number, the
        ledger also records the consent for that one."""
        self.ensure_one()
        reason = self.env._("The phone number changed to %(number)s", number=self.phone_sanitized or self.partner_phone or "-")
        if given_again:
            with _CONSENT_REASON.set(reason):
                self._recruit_sms_log_consent("consent_withdrawn", number=number)
            self._recruit_sms_log_consent("consent")
            return
        with _CONSENT_REASON.set(reason), _CONSENT_NUMBER.set(number):
            self.sudo().write({"recruit_sms_consent": False})
        self._recruit_sms_log(self.env._(
            "The phone number changed: the SMS consent given for %(old)s does not carry over. Tick SMS consent again "
            "once the candidate agreed to be texted at the new number.", old=number))

    @api.model
    def load(self, fields, data):
        # an import records consent as imported; who may not create applicants is
        # refused at once (Odoo's import would only report it row by row)
        self.check_access("create")
        with consent_source("import"):
            return super().load(fields, data)

    def _recruit_sms_drop_server_facts(self, vals):
        """What the conversation's own events set (when the candidate last wrote, since when
        they wait, what was escalated or texted on apply, the message that may ask to stop)
        is never taken from a caller's values: the gate and the inbox rely on it."""
        if not self.env.su:
            for name in _SERVER_FACTS:
                vals.pop(name, None)

    @api.model
    def _recruit_sms_check_officer(self, message):
        """Only a recruitment officer goes on (record rules keep them to their companies)."""
        if not self.env.su and not self.env.user.has_group("hr_recruitment.group_hr_recruitment_user"):
            raise AccessError(message)

    def _recruit_sms_stamp_consent(self, vals):
        """Consent is evidence: only a recruitment officer records it (record rules keep
        them to their companies), and Odoo sets when and how, whatever the values say."""
        vals.pop("recruit_sms_consent_date", None)
        vals.pop("recruit_sms_consent_source", None)
        if "recruit_sms_consent" not in vals:
            return
        self._recruit_sms_check_officer(self.env._(
            "SMS consent: only a recruitment officer can record or withdraw a candidate's consent."))
        if vals["recruit_sms_consent"]:
            vals.update(recruit_sms_consent_date=fields.Datetime.now(), recruit_sms_consent_source=_CONSENT_SOURCE.get())
        else:
            vals.update(recruit_sms_consent_date=False, recruit_sms_consent_source=False)

    # ------------------------------------------------------------
    # Sending: the one path used by the composer and the Communications tab
    # ------------------------------------------------------------

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

    @api.model
    def _recruit_sms_input(self, label, value, check=user_input.text, *args, **kwargs):
        """``value``, an argument a browser sent a public method, checked by ``check`` (one
        of tools/user_input's), else a UserError naming ``label`` and the fix."""
        try:
            return check(value, *args, **kwargs)
        except user_input.InputError as error:
            problem, limit = error.problem, error.limit
        fixes = {
            user_input.NOT_TEXT: lambda: self.env._("%(field)s must be text.", field=label),
            user_input.TOO_LONG: lambda: self.env._(
                "%(field)s is longer than %(limit)s characters; shorten it.", field=label, limit=limit),
            user_input.NUL: lambda: self.env._("%(field)s contains a NUL character; remove it.", field=label),
            user_input.NOT_UNICODE: lambda: self.env._(
                "%(field)s contains characters that are not valid Unicode; type it again.", field=label),
            user_input.NOT_ID: lambda: self.env._("%(field)s: choose one of the records offered.", field=label),
            user_input.NOT_NUMBER: lambda: self.env._(
                "%(field)s must be a whole number from %(low)s to %(high)s.", field=label, low=limit[0], high=limit[1]),
        }
        raise UserError(fixes[problem]())

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
        if channel == gate.SMS:
            body += self._recruit_sms_first_contact_suffix()
        sms = self._recruit_sms_post_sms_batch({self.id: body}, subject=subject, kind=kind,
                                               sms_values={self.id: sms_values or {}})
        sms.send(raise_exception=False)
        return sms.mail_message_id

    def _recruit_sms_post_whatsapp(self, subject, body, kind, template=None):
        """Post and send a WhatsApp message: free text within WhatsApp's 24-hour window,
        else the approved ``template`` with its variables filled from the applicant. The
        gate decides as for an SMS, and refuses free text outside the window."""
        company = self._recruit_sms_company()
        if not company._recruit_sms_whatsapp_ready():
            raise UserError(company._recruit_sms_whatsapp_missing())
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
        author_partner = (author or self.env.user).partner_id
        messages = self.sudo()._message_log_batch(
            bodies={applicant_id: plaintext2html(body) for applicant_id, body in bodies.items()},
            subject=subject, author_id=author_partner.id, message_type="sms",
        )
        message_of = {message.res_id: message for message in messages}
        with sending(kind):
            sms_all = self.env["sms.sms"].sudo().create([{
                "body": bodies[applicant.id],
                "number": numbers.get(applicant.id, applicant.phone_sanitized),
                "partner_id": applicant.partner_id.id,
                "mail_message_id": message_of[applicant.id].id,
                "state": "outgoing",
                # sent through the applicant's company (its provider, account, WhatsApp sender and
                # window), whichever company the user works in: core reads it from here
                "record_company_id": applicant._recruit_sms_company().id,
                **sms_values.get(applicant.id, {}),
            } for applicant in self])
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
        automatic = set(self.env["recruit.sms.auto.reply.log"].sudo().search(
            [("mail_message_id", "in", messages.ids)]).mail_message_id.ids)
        # one decision for both notices: the gate decides what blocks before the hours
        verdict = self._recruit_sms_verdict(gate.MANUAL)
        blocked_reason = verdict.blocked and self.env["recruit.sms.gate"]._message(verdict, self._recruit_sms_gate_request())
        held = verdict.hold_until if verdict.code == gate.QUIET_HOURS else None
        return {
            "applicant": {
                "id": self.id,
                "name": self.partner_name or self.display_name,
                "can_text": not blocked_reason,
                "sms_blocked_reason": blocked_reason or False,
                "has_email": bool(self.email_from),
                "sandbox": self._recruit_sms_company().sms_provider == "sandbox",
                "channel": self.recruit_sms_channel,
                "whatsapp": self._recruit_sms_whatsapp_state(),
                "waiting_since": fields.Datetime.to_string(self.recruit_sms_waiting_since) or False,
                "opted_out": self.phone_sanitized_blacklisted,
                "quiet_note": self.env._(
                    "Outside texting hours for the candidate: an SMS sent now is held until %(when)s "
                    "(%(local)s for the candidate).",
                    when=format_datetime(self.env, held, dt_format="short"),
                    local=format_datetime(self.env, held, tz=self._recruit_sms_zones()[0], dt_format="short"),
                ) if held else False,
            },
            "messages": [self._recruit_sms_bubble(message, inbound_by_message.get(message.id), message.id in automatic)
                         for message in messages],
            # mail's own data for these messages, read as the caller, for mail's Message
            # component: one round trip instead of paging /mail/thread/messages
            "store_data": Store().add(messages.with_env(self.env)).get_result(),
        }

    def _recruit_sms_whatsapp_window(self):
        """(whether free text may go on WhatsApp now, the sentence that says for how long
        or why not)."""
        self.ensure_one()
        end, now = self.recruit_sms_whatsapp_window_end, fields.Datetime.now()
        if end and end > now:
            minutes = int((end - now).total_seconds() // 60)
            return True, self.env._("WhatsApp: free text for %(hours)sh%(minutes)02d more (the candidate wrote on "
                                    "WhatsApp within 24 hours).", hours=minutes // 60, minutes=minutes % 60)
        return False, self.env._("WhatsApp: the candidate has not written there in the last 24 hours, so only an "
                                 "approved template can go.")

    def _recruit_sms_whatsapp_state(self):
        """What the composers show of WhatsApp for this applicant (False when the company
        does not use it): whether free text may go, until when, and the approved
        templates the user may send, each as the candidate would read it."""
        company = self._recruit_sms_company()
        if not company._recruit_sms_whatsapp_ready():
            return False
        window_open, note = self._recruit_sms_whatsapp_window()
        end = self.recruit_sms_whatsapp_window_end
        templates = self.env["recruit.sms.whatsapp.template"].search([("company_id", "=", company.id)])
        return {
            "window_open": window_open,
            "window_closes": fields.Datetime.to_string(end) if end else False,
            "note": note,
            "templates": [{"id": template.id, "name": template.name, "text": template._recruit_sms_fill(self)[1]}
                          for template in templates],
        }

    def _recruit_sms_bubble(self, message, inbound=None, automatic=False):
        incoming = bool(inbound) or message.message_type == "email"
        notification = message.notification_ids.filtered(lambda n: n.notification_type == "sms")[:1]
        channel = "sms" if message.message_type == "sms" else "email"
        if (inbound and inbound.channel == "whatsapp") or (not inbound and notification.recruit_sms_whatsapp):
            channel = "whatsapp"
        bubble = {
            "id": message.id,
            "channel": channel,
            "direction": "in" if incoming else "out",
            "subject": message.subject or "",
            "body": html2plaintext(message.body or "") if channel != "email" else str(message.body or ""),
            "date": fields.Datetime.to_string(message.date),
            "author": message.author_id.name or message.email_from or "",
            "state": False,
            "failure_reason": False,
            "can_resend": False,
            "media": [],
            "held_until": False,
            "campaign": inbound.campaign_id.name if inbound and inbound.campaign_id else False,
            "automatic": automatic,
        }
        if inbound:
            bubble["body"] = inbound.body or ""
            bubble["media"] = inbound._recruit_sms_media_items()  # only https addresses are links
        if channel != "email" and not incoming:
            if notification:
                bubble["state"] = SMS_BUBBLE_STATE.get(notification.notification_status, notification.notification_status)
                if bubble["state"] == "delivered" and notification.recruit_sms_read_date:
                    bubble["state"] = "read"
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
            if notification.recruit_sms_whatsapp and not self._recruit_sms_company()._recruit_sms_whatsapp_ready():
                raise UserError(self._recruit_sms_company()._recruit_sms_whatsapp_missing())
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
                with sending(notification.recruit_sms_kind or gate.AUTOMATED):  # what it was sent as
                    sms = sms_model.create({
                        "body": html2plaintext(message.body or ""),
                        "mail_message_id": message.id,
                        "partner_id": notification.res_partner_id.id,
                        "number": self.phone_sanitized,
                        "state": "outgoing",
                        "record_company_id": self._recruit_sms_company().id,
                        **on_whatsapp,
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
        number = self.phone_sanitized or self.partner_phone_sanitized
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

    def _recruit_sms_mark_waiting(self, when, preview="", channel="sms"):
        """The applicant wrote: the conversation waits for a response from then on."""
        for applicant in self.sudo():
            applicant.write({
                "recruit_sms_waiting_since": applicant.recruit_sms_waiting_since or when,
                "recruit_sms_last_message_date": when,
                "recruit_sms_last_inbound_date": when,
                "recruit_sms_last_preview": (preview or "")[:PREVIEW_LENGTH],
                "recruit_sms_last_channel": channel,
            })

    def _recruit_sms_users_to_notify(self):
        """The applicant's recruiter; without one, the internal followers of the job
        position (the recruiting team), else those of the applicant. Only users who may
        read the applicant, in its company, are told: anyone can follow a job position."""
        self.ensure_one()
        applicant = self.sudo()

        def readers(users):
            return users.filtered(lambda user: (
                user.active and user._is_internal()
                and (not applicant.company_id or applicant.company_id in user.company_ids)
                and applicant.with_user(user).with_context(allowed_company_ids=user.company_ids.ids).has_access("read")
            ))

        for users in (applicant.user_id, applicant.job_id.message_partner_ids.user_ids, applicant.message_partner_ids.user_ids):
            if users := readers(users):
                return users
        return self.env["res.users"]

    def _recruit_sms_notify_inbound(self, inbound):
        """Tell the recruiter, live (bus, for the systray) and by email unless they turned
        it off in their preferences.

        Not through mail's follower notifications (a subtype on the posted message): those
        reach every follower of the applicant and, through subtypes, of the job, and send
        them the message without checking that each may read the applicant; a candidate's
        text must reach only the recruiter (or, without one, the team) among its readers."""
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
            # a notification to the user, not a message of the applicant's chatter
            "message_type": "user_notification",
            "auto_delete": True,
        } for user in email_users])

    def recruit_sms_simulate_reply(self, body, channel="sms"):
        """Sandbox only: receive ``body`` as if the applicant had texted it (by SMS, or on
        WhatsApp with ``channel``), through the same path as the provider's webhook
        (minus the signature)."""
        self.ensure_one()
        self.check_access("write")
        company = self._recruit_sms_company()
        if company.sms_provider != "sandbox":
            raise UserError(self.env._("Simulating a reply is only possible with the sandbox SMS provider."))
        if not self.company_id:
            # an applicant of no company is every company's: what a reply opens (the texting
            # hours' grace to answer) would open for companies that text for real
            raise UserError(self.env._(
                "Simulating a reply needs the applicant to belong to a company: set their Company first."))
        number = self._recruit_sms_known_number()
        body = self._recruit_sms_input(self.env._("Reply"), body, user_input.text, inbound_rules.MAX_BODY)
        if not body.strip():
            raise UserError(self.env._("Write the reply to simulate."))
        if channel not in ("sms", "whatsapp"):
            raise UserError(self.env._("Received on: SMS or WhatsApp, not %(channel)r.", channel=channel))
        if channel == "whatsapp" and not company._recruit_sms_whatsapp_ready():
            raise UserError(company._recruit_sms_whatsapp_missing())
        sms = inbound_rules.InboundSms(
            message_sid=f"SMsandbox{uuid.uuid4().hex}", account_sid="", from_number=number, to_number="", body=body,
            channel=channel,
        )
        # marked simulated here only: it may not change the opt-out of a real candidate
        record, _created = self.env["recruit.sms.inbound"]._recruit_sms_receive(sms, company, simulated=True)
        if record.state == "error":
            raise UserError(record.error_reason)
        return record.mail_message_id.id

    # ------------------------------------------------------------
    # Consent ledger
    # ------------------------------------------------------------

    def _recruit_sms_log_consent(self, event, number=None):
        """A row of the consent ledger, about ``number`` (default: the applicant's own, or
        the one a withdrawal in progress is about)."""
        source = self.recruit_sms_consent_source if event == "consent" else _CONSENT_SOURCE.get()
        self.env["recruit.sms.consent.event"]._log(
            number or _CONSENT_NUMBER.get() or self.phone_sanitized or self.partner_phone or "", event, source,
            applicant=self, reason=_CONSENT_REASON.get(),
        )

    def action_recruit_sms_export_consent(self):
        """The evidence pack: the ledger of this applicant's numbers, as CSV, for the
        recruitment officer who asks (consent is theirs to record; the number's history
        names other applicants of the company)."""
        self.ensure_one()
        self.check_access("read")
        self._recruit_sms_check_officer(self.env._("Only a recruitment officer can export the consent evidence."))
        numbers = [n for n in {self.phone_sanitized, self.partner_phone_sanitized} if n]
        # the number's history in this applicant's company only: another company's
        # candidates with the same number are none of this reader's business
        events = self.env["recruit.sms.consent.event"].sudo().search([
            "|", ("applicant_id", "=", self.id), ("number", "in", numbers),
            ("company_id", "in", [self._recruit_sms_company().id, False]),
        ])
        attachment = self.env["ir.attachment"].sudo().create({
            "name": f"{EXPORT_PREFIX}{self.id}.csv",
            "raw": events._to_csv().encode(),
            "mimetype": "text/csv",
            # on no record: only who exported it (and administrators) may download it
        })
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    # ------------------------------------------------------------
    # Opting out and back in
    # ------------------------------------------------------------

    def _recruit_sms_command_opt_out(self, reason, **_kwargs):
        number = self._recruit_sms_known_number()
        self.env["phone.blacklist"].sudo()._add([number], message=self.env._("Opted out by %(user)s: %(reason)s",
                                                                            user=self.env.user.name, reason=reason))
        self.env["recruit.sms.consent.event"]._log(number, "opt_out", "command", applicant=self, reason=reason)
        self._recruit_sms_log(self.env._("%(user)s opted %(number)s out of SMS: %(reason)s",
                                         user=self.env.user.name, number=number, reason=reason))
        return self.env._("%(number)s is opted out; no text will reach it.", number=number)

    @api.depends("recruit_sms_optout_asked_inbound_id")
    def _compute_recruit_sms_optout_asked(self):
        for applicant in self:
            inbound = applicant.sudo().recruit_sms_optout_asked_inbound_id
            applicant.recruit_sms_optout_asked = bool(inbound)
            applicant.recruit_sms_optout_asked_text = inbound.opt_out_intent or False

    def action_recruit_sms_optout_asked(self):
        """Opt out the number of the message that asked to stop, as the candidate asked:
        the ledger keeps that message as the evidence, and the candidate gets the
        confirmation. Any recruiter who may change the applicant may do it."""
        self.check_access("write")
        for applicant in self:
            inbound = applicant.sudo().recruit_sms_optout_asked_inbound_id
            if not inbound:
                raise UserError(self.env._("%(name)s has no message asking to stop.", name=applicant.partner_name))
            inbound._recruit_sms_opt_out("intent", user=self.env.user)
            applicant._recruit_sms_log(self.env._("%(user)s opted %(number)s out of SMS, as the candidate asked: "
                                                  "\"%(body)s\"", user=self.env.user.name, number=inbound.from_number,
                                                  body=inbound.body))

    def action_recruit_sms_optout_dismiss(self):
        """The message does not ask to stop: automated texts may go again (a recruitment
        officer's call, as recording consent is)."""
        self.check_access("write")
        self._recruit_sms_check_officer(
            self.env._("Only a recruitment officer can decide that a message does not ask to stop."))
        for applicant in self.sudo().filtered("recruit_sms_optout_asked_inbound_id"):
            body = applicant.recruit_sms_optout_asked_inbound_id.body
            applicant.recruit_sms_optout_asked_inbound_id = False
            applicant._recruit_sms_log(self.env._("%(user)s judged that \"%(body)s\" does not ask to stop texts.",
                                                  user=self.env.user.name, body=body))

    def _recruit_sms_command_opt_in(self, reason, **_kwargs):
        number = self._recruit_sms_known_number()
        if number not in self.env["phone.blacklist"]._recruit_sms_opted_out([number]):
            raise UserError(self.env._("^opt-in: %(number)s is not opted out.", number=number))
        last = self.env["recruit.sms.consent.event"]._last_opt_out(number)
        if last.source != "command":
            raise UserError(self.env._(
                "^opt-in: %(number)s opted out themselves (by texting STOP); only they can opt back in, by "
                "texting START to your number.", number=number))
        if last.company_id != self._recruit_sms_company():
            # opt-outs are shared by every company: only the one that decided it undoes it
            raise UserError(self.env._(
                "^opt-in: %(number)s was opted out by another company; only that company can opt it back in (or the "
                "candidate, by texting START).", number=number))
        self.env["phone.blacklist"].sudo()._remove([number], message=self.env._(
            "Opted back in by %(user)s: %(reason)s", user=self.env.user.name, reason=reason))
        self.env["recruit.sms.consent.event"]._log(number, "opt_in", "command", applicant=self, reason=reason)
        self._recruit_sms_log(self.env._("%(user)s opted %(number)s back in to SMS: %(reason)s",
                                         user=self.env.user.name, number=number, reason=reason))
        return self.env._("%(number)s can be texted again.", number=number)

    # ------------------------------------------------------------
    # First contact
    # ------------------------------------------------------------

    def _recruit_sms_is_first_contact(self):
        number = self.phone_sanitized
        if not number:
            return False
        texted = self.env["mail.notification"].sudo().search_count(
            [("notification_type", "=", "sms"), ("sms_number", "=", number)], limit=1)
        return not texted and not self.env["sms.sms"].sudo().search_count([("number", "=", number)], limit=1)

    # ------------------------------------------------------------
    # A text when someone applies
    # ------------------------------------------------------------

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
            body += applicant._recruit_sms_first_contact_suffix()
            applicant._recruit_sms_post_sms_batch({applicant.id: body}, subject=template.name, kind=gate.AUTOMATED)
            applicant.recruit_sms_apply_texted = True
            queued = True
        if queued:
            # Odoo's SMS queue sends it once this transaction is committed (an import or an
            # email that fails later takes its text back with it), through the gate, which
            # holds it until the candidate's texting hours
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        applicant = super().message_new(msg_dict, custom_values=custom_values)
        applicant._recruit_sms_text_on_apply()
        return applicant

    def recruit_sms_booking_link(self):
        """A new interview booking link for this applicant, offering the current user's
        free time: the sentence the composer inserts into the message."""
        self.ensure_one()
        self.check_access("write")
        link = self.env["recruit.sms.booking"]._recruit_sms_create_for(self)
        return self.env._("Pick a time for your interview: %(url)s", url=link.url)

    # ------------------------------------------------------------
    # Response time (SLA) in working hours
    # ------------------------------------------------------------

    @api.depends("recruit_sms_waiting_since", "recruit_sms_escalated_since")
    def _compute_recruit_sms_escalated(self):
        for applicant in self:
            applicant.recruit_sms_escalated = bool(applicant.recruit_sms_waiting_since) and (
                applicant.recruit_sms_escalated_since == applicant.recruit_sms_waiting_since)

    def _search_recruit_sms_escalated(self, operator, value):
        if operator != "in":
            return NotImplemented
        self.flush_model(["recruit_sms_waiting_since", "recruit_sms_escalated_since"])
        self.env.cr.execute("""SELECT id FROM hr_applicant WHERE recruit_sms_waiting_since IS NOT NULL
                               AND recruit_sms_escalated_since = recruit_sms_waiting_since""")
        ids = [row[0] for row in self.env.cr.fetchall()]
        return Domain("id", "in", ids) if True in value else Domain("id", "not in", ids)

    def _recruit_sms_answerer(self):
        """Who must answer: the conversation's assignee, else the applicant's recruiter,
        else the job's, else a recruitment manager of the company."""
        self.ensure_one()
        for user in (self.recruit_sms_assigned_user_id, self.user_id, self.job_id.user_id):
            if user and self._recruit_sms_may_answer(user):
                return user
        return self.env["res.users"].sudo().search([
            ("all_group_ids", "in", self.env.ref("hr_recruitment.group_hr_recruitment_manager").id),
            ("company_ids", "in", self._recruit_sms_company().id), ("share", "=", False)], limit=1)

    def _recruit_sms_working_hours_waited(self, now):
        """Working hours between the start of the waiting and ``now``, in the calendar of
        whoever must answer (their employee's, else the company's)."""
        self.ensure_one()
        user, company = self._recruit_sms_answerer(), self._recruit_sms_company()
        calendar = user._recruit_sms_working_time(company)[1] if user else company.resource_calendar_id
        if not calendar:  # no working time known: every hour counts
            return (now - self.recruit_sms_waiting_since).total_seconds() / 3600
        utc = pytz.utc
        return calendar.get_work_hours_count(utc.localize(self.recruit_sms_waiting_since), utc.localize(now))

    @api.model
    def _cron_recruit_sms_escalate(self):
        """Give an activity to whoever must answer each conversation waiting longer than its
        company's response time in working hours (a Friday-evening text is not late on
        Monday at 9:00), once per waiting."""
        now = fields.Datetime.now()
        Applicant = self.sudo().with_context(active_test=True)
        main = self.env.ref("base.main_company")
        for company in self.env["res.company"].sudo().search([("recruit_sms_sla_hours", ">", 0)]):
            # working hours never outrun wall-clock hours: only those waiting that long
            # (applicants of no company follow the main company's response time)
            companies = [company.id, False] if company == main else [company.id]
            waiting = Applicant.search([
                ("company_id", "in", companies), ("recruit_sms_state", "=", "open"),
                ("recruit_sms_waiting_since", "!=", False),
                ("recruit_sms_waiting_since", "<=", now - timedelta(hours=company.recruit_sms_sla_hours)),
            ]).filtered(lambda a: not a.recruit_sms_escalated)
            for applicant in waiting:
                if applicant._recruit_sms_working_hours_waited(now) >= company.recruit_sms_sla_hours:
                    applicant._recruit_sms_escalate(company.recruit_sms_sla_hours)

    def _recruit_sms_escalate(self, hours):
        self.ensure_one()
        user = self._recruit_sms_answerer()
        if user:
            self.activity_schedule(
                "mail.mail_activity_data_todo", user_id=user.id,
                summary=self.env._("Answer %(name)s", name=self.partner_name or self.display_name),
                note=self.env._("%(name)s has waited for an answer since %(since)s (UTC), more than %(hours)s working "
                                "hours: \"%(last)s\"", name=self.partner_name or self.display_name,
                                since=fields.Datetime.to_string(self.recruit_sms_waiting_since)[:16], hours=hours,
                                last=self.recruit_sms_last_preview or ""))
        self.recruit_sms_escalated_since = self.recruit_sms_waiting_since
        self._recruit_sms_notify_inbox()

    def _recruit_sms_last_human_message_date(self):
        """When a person (a user, not Odoo itself) last wrote on this conversation."""
        self.ensure_one()
        # texts and emails to the candidate, not internal notes
        message = self.env["mail.message"].sudo().search(
            Domain("model", "=", self._name) & Domain("res_id", "=", self.id)
            & (Domain("message_type", "=", "sms") | (Domain("message_type", "=", "comment")
                                                   & Domain("subtype_id", "=", self.env.ref("mail.mt_comment").id)))
            & Domain("author_id", "!=", self.env.ref("base.partner_root").id)
            & Domain("author_id.user_ids.share", "=", False),
            order="date desc, id desc", limit=1)
        return message.date or None

    def _recruit_sms_first_contact_suffix(self):
        notice = self._recruit_sms_company().recruit_sms_first_contact_notice
        return f"\n{notice}" if notice and self._recruit_sms_is_first_contact() else ""

    # ------------------------------------------------------------
    # Quiet hours
    # ------------------------------------------------------------

    def _recruit_sms_zones(self, number=None):
        self.ensure_one()
        company = self._recruit_sms_company()
        company_tz = company.partner_id.tz or self.env.user.tz
        return quiet_hours.recipient_zones(self.recruit_sms_tz, number or self.phone_sanitized, company_tz)

    # ------------------------------------------------------------
    # Confirmations (the only texts that pass the gate regardless)
    # ------------------------------------------------------------

    def _recruit_sms_text_channel(self):
        """Where a text the server writes goes: WhatsApp when the candidate texts there and
        may receive free text now, else SMS."""
        self.ensure_one()
        if (self.recruit_sms_channel == gate.WHATSAPP and self._recruit_sms_company()._recruit_sms_whatsapp_ready()
                and self._recruit_sms_whatsapp_window()[0]):
            return gate.WHATSAPP
        return gate.SMS

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
            with sending(kind):
                sms = self.env["sms.sms"].sudo().create({"number": number, "body": text, **values})
        sms.send(raise_exception=False)
        return sms

    # ------------------------------------------------------------
    # The conversation's state
    # ------------------------------------------------------------

    @api.depends("user_id")
    def _compute_recruit_sms_assigned_user_id(self):
        for applicant in self:
            applicant.recruit_sms_assigned_user_id = applicant.user_id

    @api.depends("recruit_sms_waiting_since")
    def _compute_recruit_sms_colour(self):
        now = fields.Datetime.now()
        for applicant in self:
            applicant.recruit_sms_colour = age.response_colour(applicant.recruit_sms_waiting_since, now)

    def _search_recruit_sms_colour(self, operator, value):
        if operator not in ("in", "="):
            return NotImplemented
        now = fields.Datetime.now()
        domains = {
            age.BLUE: Domain("recruit_sms_waiting_since", "=", False),
            age.GREEN: Domain("recruit_sms_waiting_since", ">", now - age.ORANGE_FROM),
            age.ORANGE: Domain("recruit_sms_waiting_since", "<=", now - age.ORANGE_FROM)
            & Domain("recruit_sms_waiting_since", ">=", now - age.RED_AFTER),
            age.RED: Domain("recruit_sms_waiting_since", "<", now - age.RED_AFTER),
        }
        values = [value] if isinstance(value, str) else value
        return Domain.OR(domains[v] for v in values if v in domains)

    def _recruit_sms_may_answer(self, user):
        """Whether ``user`` may be given this conversation (assignee, answerer, escalation):
        an internal user of the applicant's company who may read the applicant there."""
        self.ensure_one()
        company = self._recruit_sms_company()
        if not user or user.share or not user.active or (company and company not in user.company_ids):
            return False
        companies = company.ids if company else user.company_ids.ids
        return self.with_user(user).with_context(allowed_company_ids=companies).has_access("read")

    def _check_recruit_sms_assignee(self):
        """An assignee written by anyone may answer the conversation (checked when written,
        not when copied from the applicant's recruiter, which is core's choice)."""
        for applicant in self.sudo():
            user = applicant.recruit_sms_assigned_user_id
            if user and not applicant._recruit_sms_may_answer(user):
                raise ValidationError(self.env._(
                    "Conversation assigned to: %(user)s cannot see %(name)s in %(company)s; choose someone of that "
                    "company's recruiting team.", user=user.name, name=applicant.partner_name or applicant.display_name,
                    company=applicant._recruit_sms_company().name or ""))

    def _recruit_sms_is_team_member(self, user=None):
        user = user or self.env.user
        return user.has_group("hr_recruitment.group_hr_recruitment_user")

    @api.depends_context("uid")
    @api.depends("recruit_sms_assigned_user_id")
    def _compute_recruit_sms_inbox(self):
        for applicant in self:
            if applicant.recruit_sms_assigned_user_id == self.env.user:
                applicant.recruit_sms_inbox = "mine"
            elif not applicant.recruit_sms_assigned_user_id:
                applicant.recruit_sms_inbox = "team"
            else:
                applicant.recruit_sms_inbox = "others"

    def _search_recruit_sms_inbox(self, operator, value):
        if operator not in ("in", "="):
            return NotImplemented
        values = [value] if isinstance(value, str) else value
        domains = {
            "mine": Domain("recruit_sms_assigned_user_id", "=", self.env.uid),
            "team": Domain("recruit_sms_assigned_user_id", "=", False),
            "others": Domain("recruit_sms_assigned_user_id", "not in", [self.env.uid, False]),
        }
        return Domain.OR(domains[v] for v in values if v in domains)

    @api.depends_context("uid")
    @api.depends("recruit_sms_last_inbound_date", "recruit_sms_read_ids.read_date")
    def _compute_recruit_sms_unread(self):
        reads = {
            read.applicant_id.id: read.read_date
            for read in self.env["recruit.sms.read"].sudo().search([("applicant_id", "in", self.ids), ("user_id", "=", self.env.uid)])
        }
        for applicant in self:
            last = applicant.recruit_sms_last_inbound_date
            applicant.recruit_sms_unread = bool(last) and (applicant.id not in reads or reads[applicant.id] < last)

    def _search_recruit_sms_unread(self, operator, value):
        if operator != "in":
            return NotImplemented
        self.env.cr.execute("""
            SELECT a.id FROM hr_applicant a
              LEFT JOIN recruit_sms_read r ON r.applicant_id = a.id AND r.user_id = %s
             WHERE a.recruit_sms_last_inbound_date IS NOT NULL
               AND (r.read_date IS NULL OR r.read_date < a.recruit_sms_last_inbound_date)
        """, [self.env.uid])
        ids = [row[0] for row in self.env.cr.fetchall()]
        return Domain("id", "in", ids) if True in value else Domain("id", "not in", ids)

    # ------------------------------------------------------------
    # The inbox (systray and Conversations menu)
    # ------------------------------------------------------------

    @api.model
    def _recruit_sms_inbox_domain(self):
        """Open conversations waiting for an answer, or whose candidate may have asked to
        stop (they stay until a recruiter decides)."""
        return Domain("recruit_sms_state", "=", "open") & (
            Domain("recruit_sms_waiting_since", "!=", False) | Domain("recruit_sms_optout_asked", "=", True))

    @api.model
    def _recruit_sms_waiting_domain(self):
        domain = self._recruit_sms_inbox_domain()
        mine = Domain("recruit_sms_assigned_user_id", "=", self.env.uid)
        if self._recruit_sms_is_team_member():
            mine |= Domain("recruit_sms_assigned_user_id", "=", False)
        return domain & mine

    @api.model
    def recruit_sms_inbox_count(self):
        """Conversations waiting for the current user: assigned to them, or unassigned
        when they are in the recruiting team. Record rules apply."""
        return self.search_count(self._recruit_sms_waiting_domain())

    @api.model
    def recruit_sms_inbox_data(self, limit=INBOX_LIMIT):
        """The systray panel: conversations waiting for me and for the team, those that may
        ask to stop first, then the oldest first."""
        limit = self._recruit_sms_input(self.env._("Limit"), limit, user_input.whole_number, 1, 1000)
        base = self._recruit_sms_inbox_domain()
        order = "recruit_sms_optout_asked desc, recruit_sms_waiting_since asc, id asc"
        groups = {"mine": self.search(base & Domain("recruit_sms_assigned_user_id", "=", self.env.uid),
                                      order=order, limit=limit)}
        if self._recruit_sms_is_team_member():
            groups["team"] = self.search(base & Domain("recruit_sms_assigned_user_id", "=", False),
                                         order=order, limit=limit)
        else:
            groups["team"] = self.browse()
        return {
            "count": self.recruit_sms_inbox_count(),
            "groups": [
                {"key": "mine", "label": self.env._("For you"), "conversations": groups["mine"]._recruit_sms_inbox_rows()},
                {"key": "team", "label": self.env._("For the team"), "conversations": groups["team"]._recruit_sms_inbox_rows()},
            ],
        }

    def _recruit_sms_inbox_rows(self):
        return [{
            "id": applicant.id,
            "name": applicant.partner_name or applicant.display_name,
            "job": applicant.job_id.name or "",
            "preview": applicant.recruit_sms_last_preview or "",
            "channel": applicant.recruit_sms_last_channel or "sms",
            "colour": applicant.recruit_sms_colour,
            "waiting_since": fields.Datetime.to_string(applicant.recruit_sms_waiting_since) or False,
            "unread": applicant.recruit_sms_unread,
            "assigned": applicant.recruit_sms_assigned_user_id.name or "",
            "campaign": applicant.recruit_sms_campaign_id.name or "",
            "asked_to_stop": applicant.recruit_sms_optout_asked_text or False,
            "escalated": applicant.recruit_sms_escalated,
        } for applicant in self]

    @api.model
    def recruit_sms_search_chat(self, query, limit=8):
        """Start chat: applicants the user may read, by name, email or phone."""
        query = self._recruit_sms_input(self.env._("Search"), query, user_input.text, 200).strip()
        limit = self._recruit_sms_input(self.env._("Limit"), limit, user_input.whole_number, 1, 100)
        if len(query) < 2:
            return []
        domain = Domain.OR([
            Domain("partner_name", "ilike", query),
            Domain("email_from", "ilike", query),
            Domain("partner_phone", "ilike", query),
            Domain("partner_phone_sanitized", "ilike", query.replace(" ", "")),
        ])
        return self.search(domain, limit=limit, order="recruit_sms_last_message_date desc, id desc")._recruit_sms_inbox_rows()

    @api.model
    def _recruit_sms_holding(self, numbers):
        """The applicants whose number, their own or their contact's, is one of ``numbers``
        (E.164), as a domain."""
        numbers = list(numbers)
        return Domain("phone_sanitized", "in", numbers) | Domain("partner_phone_sanitized", "in", numbers)

    @api.model
    def recruit_sms_scan_text(self, text):
        """Phone numbers written in pasted text (a signature, a job-board page, a CV), read
        in the company's country, each with the applicants the user may read who hold it."""
        self.browse().check_access("read")
        text = self._recruit_sms_input(self.env._("Pasted text"), text, user_input.text, 10 * SCAN_TEXT_LIMIT)
        found = phone.find_numbers(text[:SCAN_TEXT_LIMIT], self.env.company.country_id.code)[:SCAN_MAX_NUMBERS]
        numbers = [e164 for _raw, e164 in found]
        holders = self.search(self._recruit_sms_holding(numbers),
                              order="recruit_sms_last_message_date desc, id desc") if numbers else self.browse()
        return [{
            "raw": raw,
            "number": e164,
            "applicants": holders.filtered(
                lambda a, n=e164: n in (a.phone_sanitized, a.partner_phone_sanitized))._recruit_sms_inbox_rows(),
        } for raw, e164 in found]

    @api.model
    def recruit_sms_create_from_number(self, number):
        """A new applicant for a number found in pasted text; the recruiter names them on
        the form. No consent: nothing says they agreed to be texted."""
        number = self._recruit_sms_input(self.env._("Phone number"), number, user_input.text, phone.MAX_INPUT)
        e164 = phone.try_e164(number, self.env.company.country_id.code)
        if not e164:
            raise UserError(self.env._("%(number)s is not a phone number that can be texted: check it and try again.",
                                       number=number))
        applicant = self.create({"partner_name": self.env._("New candidate %(number)s", number=e164), "partner_phone": e164})
        return applicant._recruit_sms_inbox_rows()[0]

    def recruit_sms_mark_read(self):
        """The current user read the conversation."""
        self.check_access("read")
        now = fields.Datetime.now()
        reads = self.env["recruit.sms.read"].sudo()
        for applicant in self:
            read = reads.search([("applicant_id", "=", applicant.id), ("user_id", "=", self.env.uid)], limit=1)
            if read:
                read.read_date = now
            else:
                reads.create({"applicant_id": applicant.id, "user_id": self.env.uid, "read_date": now})
        self._recruit_sms_notify_inbox()
        return True

    def _recruit_sms_inbox_users(self, previous_users=None):
        """Users whose inbox shows this conversation: its assignee (and ``previous_users``,
        whose inbox showed it), or the recruiting team when it is unassigned, and the
        user acting on it; only users of the applicant's company who may read it."""
        self.ensure_one()
        applicant = self.sudo()
        users = applicant.recruit_sms_assigned_user_id | (previous_users or self.env["res.users"])
        if not applicant.recruit_sms_assigned_user_id:
            users |= self.env.ref("hr_recruitment.group_hr_recruitment_user").sudo().all_user_ids
        users |= self.env.user
        return users.filtered(lambda user: (
            user.active and user._is_internal()
            and (not applicant.company_id or applicant.company_id in user.company_ids)
            and applicant.with_user(user).with_context(allowed_company_ids=user.company_ids.ids).has_access("read")
        ))

    def _recruit_sms_notify_inbox(self, previous_users=None):
        """Tell the inboxes concerned to refresh (systray badge and panel)."""
        for applicant in self:
            for user in applicant._recruit_sms_inbox_users(previous_users):
                user._bus_send("recruit_sms/inbox", {"applicant_ids": applicant.ids})

    # ------------------------------------------------------------
    # Commands
    # ------------------------------------------------------------

    def _recruit_sms_now_local(self):
        user_now = fields.Datetime.context_timestamp(self.with_context(tz=self.env.user.tz or "UTC"), fields.Datetime.now())
        return user_now.replace(tzinfo=None)

    def _recruit_sms_run_command(self, text, channel="sms", subject=""):
        """Run the chat command ``text``; return what the user should read."""
        self.ensure_one()
        try:
            command = commands.parse_command(text, now=self._recruit_sms_now_local())
        except commands.CommandError as error:
            raise UserError(str(error)) from error
        handler = getattr(self, f"_recruit_sms_command_{command.name.replace('-', '_')}")
        return handler(channel=channel, subject=subject, **command.args)

    def _recruit_sms_log(self, body):
        self.sudo().message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id)

    def _recruit_sms_assign(self, user):
        previous = self.recruit_sms_assigned_user_id
        self.sudo().recruit_sms_assigned_user_id = user
        self._recruit_sms_notify_inbox(previous_users=previous)

    def _recruit_sms_command_assign(self, user, **_kwargs):
        # the recruiting team of the applicant's company, who may see the applicant
        team = self.env.ref("hr_recruitment.group_hr_recruitment_user").sudo().all_user_ids.filtered(
            self._recruit_sms_may_answer)
        candidates = team.filtered(lambda u: user.lower() in (u.login.lower(), (u.name or "").lower()))
        if not candidates:
            candidates = team.filtered(lambda u: user.lower() in (u.name or "").lower())
        if not candidates:
            raise UserError(self.env._("^assign: no member of the recruiting team matches %(user)r.", user=user))
        if len(candidates) > 1:
            raise UserError(self.env._(
                "^assign: %(user)r matches %(names)s; give the login.", user=user, names=", ".join(candidates.mapped("name")),
            ))
        self._recruit_sms_assign(candidates)
        self._recruit_sms_log(self.env._("Conversation assigned to %(user)s by %(by)s.", user=candidates.name, by=self.env.user.name))
        return self.env._("Assigned to %(user)s.", user=candidates.name)

    def _recruit_sms_command_claim(self, **_kwargs):
        if not self._recruit_sms_is_team_member():
            raise UserError(self.env._("^claim: only members of the recruiting team can claim a conversation."))
        self._recruit_sms_assign(self.env.user)
        self._recruit_sms_log(self.env._("Conversation claimed by %(user)s.", user=self.env.user.name))
        return self.env._("You answer this conversation now.")

    def _recruit_sms_command_unassign(self, **_kwargs):
        self._recruit_sms_assign(self.env["res.users"])
        self._recruit_sms_log(self.env._("Conversation handed to the team by %(user)s.", user=self.env.user.name))
        return self.env._("The conversation is for the team now.")

    def _recruit_sms_command_close(self, **_kwargs):
        self.sudo().recruit_sms_state = "closed"
        self._recruit_sms_log(self.env._("Conversation closed by %(user)s.", user=self.env.user.name))
        self._recruit_sms_notify_inbox()
        return self.env._("Conversation closed.")

    def _recruit_sms_command_open(self, **_kwargs):
        self.sudo().recruit_sms_state = "open"
        self._recruit_sms_log(self.env._("Conversation reopened by %(user)s.", user=self.env.user.name))
        self._recruit_sms_notify_inbox()
        return self.env._("Conversation reopened.")

    def _recruit_sms_command_read(self, **_kwargs):
        self.recruit_sms_mark_read()
        self._recruit_sms_log(self.env._("Conversation marked read by %(user)s.", user=self.env.user.name))
        return self.env._("Marked as read.")

    def _recruit_sms_command_note(self, text, **_kwargs):
        self._recruit_sms_log(text)
        return self.env._("Note added; nothing was sent.")

    def _recruit_sms_command_at(self, when, message, channel="sms", subject="", **_kwargs):
        send_at = commands.local_to_utc(when, self.env.user.tz)
        if channel == "sms":
            self._recruit_sms_check_sendable()
        scheduled = self.env["recruit.sms.scheduled"].sudo().create({
            "applicant_id": self.id,
            "channel": channel,
            "subject": subject or self.env._("Scheduled message"),
            "body": message,
            "send_at": send_at,
            "user_id": self.env.uid,
        })
        self._recruit_sms_log(self.env._(
            "%(user)s scheduled a message for %(when)s (%(tz)s).",
            user=self.env.user.name, when=when.strftime("%Y-%m-%d %H:%M"), tz=self.env.user.tz or "UTC",
        ))
        return self.env._(
            "Scheduled for %(when)s (message %(id)s); it can be cancelled until then.",
            when=when.strftime("%Y-%m-%d %H:%M"), id=scheduled.id,
        )

    # ------------------------------------------------------------
    # Bulk Text (list and kanban action)
    # ------------------------------------------------------------

    def action_recruit_sms_bulk_text(self):
        cap = self.env.company.recruit_sms_bulk_cap
        if len(self) > cap:
            raise UserError(self.env._(
                "You selected %(count)s applicants; Bulk Text takes at most %(cap)s at once. Select %(cap)s or fewer to "
                "create the campaign, then add more recipients inside it (Recipients tab) before sending.",
                count=len(self), cap=cap))
        campaign = self.env["recruit.sms.campaign"].create({
            "name": self.env._("Text campaign %(date)s", date=fields.Date.to_string(fields.Date.today())),
            "job_id": self.job_id.id if len(self.job_id) == 1 else False,
            "recipient_ids": [fields.Command.set(self.ids)],
        })
        return {"type": "ir.actions.act_window", "res_model": "recruit.sms.campaign", "res_id": campaign.id,
                "views": [(False, "form")], "target": "current"}

    def action_send_sms(self):
        """Core's Send SMS on many applicants is Bulk Text: one way to text in bulk, capped
        and paced (core's action is no longer offered in the list's menu)."""
        return self.action_recruit_sms_bulk_text()

    def action_recruit_sms_make_list(self):
        """A text list of the selected applicants, opened to be named."""
        text_list = self.env["recruit.sms.list"].create({
            "name": self.env._("Applicants %(date)s", date=fields.Date.to_string(fields.Date.today())),
            "applicant_ids": [fields.Command.set(self.ids)],
        })
        return {"type": "ir.actions.act_window", "res_model": "recruit.sms.list", "res_id": text_list.id,
                "views": [(False, "form")], "target": "current"}

    # ------------------------------------------------------------
    # Campaigns
    # ------------------------------------------------------------

    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + CAMPAIGN_MERGE_FIELDS
