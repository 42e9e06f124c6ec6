import contextlib

from odoo import _lt, api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import age, gate, moments, phone, quiet_hours, user_input, whatsapp
from ..tools.server_flag import ServerFlag
from .recruit_sms_gate import GateRequest
from .sms_sms import TEXT_CHANNELS

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

    _name = "hr.applicant"
    _inherit = ["hr.applicant", "recruit.sms.server.fields"]
    # set by the server as the conversation goes, never from a caller's values
    _recruit_sms_server_fields = (
        "recruit_sms_last_inbound_date", "recruit_sms_waiting_since", "recruit_sms_last_message_date",
        "recruit_sms_escalated_since", "recruit_sms_apply_texted", "recruit_sms_optout_asked_inbound_id",
        # computed from what happened, never written: the gate and the inbox read them
        "recruit_sms_optout_asked", "recruit_sms_campaign_id",
        # core's, computed from the phone a consent is for: written, it would carry consent elsewhere
        "phone_sanitized")

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
    recruit_sms_consent_evidence = fields.Char(
        "SMS consent evidence", compute="_compute_recruit_sms_consent_evidence",
        help="How and when the consent was recorded, as the consent ledger's latest row says.")
    recruit_sms_consent_basis = fields.Char(
        "SMS consent basis", compute="_compute_recruit_sms_consent_basis",
        help="Express (the candidate gave it: a recruiter heard it, the application form, their own message) or "
             "implied (an import), and when implied consent lapses under the law of the candidate's place.")
    # texts are matched to applicants by it: indexed
    phone_sanitized = fields.Char(index="btree_not_null")
    recruit_sms_can_text = fields.Boolean(
        "Can be texted",
        compute="_compute_recruit_sms_can_text",
        search="_search_recruit_sms_can_text",
        help="The gate would let a recruiter's text reach the applicant: a valid phone number, consent, and a "
             "number that did not opt out.",
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
        # the group of the team's conversations, not "None"; lazy, as core's project marks its own
        # (the label is not a field attribute the translation export reads)
        falsy_value_label=_lt("Team"),  # pylint: disable=translation-field
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

    # the carrier said the number cannot receive texts (a landline, no such number): excluded
    # from later texts with the reason until a recruiter corrects the number
    recruit_sms_cannot_receive_number = fields.Char(
        "Number that cannot receive texts", copy=False, readonly=True,
        help="The carrier answered that this number cannot receive texts (a landline, or no such number).")
    recruit_sms_cannot_receive_code = fields.Integer("Carrier's error code", copy=False, readonly=True)
    recruit_sms_cannot_receive = fields.Boolean(
        "Cannot receive texts", compute="_compute_recruit_sms_cannot_receive",
        help="The carrier answered that the applicant's number cannot receive texts: no text goes to it until the "
             "number is corrected.")

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
    # Phone, the gate's view and core's overrides (create, write, load)
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
        # the gate's verdict on a recruiter's text, whatever the hour: one decision for all
        applicants = self.filtered("id")
        verdicts = self.env["recruit.sms.gate"]._decide(
            [applicant._recruit_sms_gate_request() for applicant in applicants], hours=False) if applicants else []
        textable = {applicant.id for applicant, verdict in zip(applicants, verdicts, strict=True) if not verdict.blocked}
        for applicant in self:
            applicant.recruit_sms_can_text = applicant.id in textable

    def _search_recruit_sms_can_text(self, operator, value):
        # the gate's rules for a recruiter's text as a domain: a number, consent, not opted out
        if operator != "in":
            return NotImplemented
        textable = (Domain("phone_sanitized", "!=", False) & Domain("recruit_sms_consent", "=", True)
                    & Domain("id", "not in", SQL(
                        "SELECT a.id FROM hr_applicant a JOIN phone_blacklist b ON b.number = a.phone_sanitized"
                        " WHERE b.active")))
        return textable if True in value else ~textable

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

    @api.model
    def load(self, fields, data):
        # an import records consent as imported; who may not create applicants is
        # refused at once (Odoo's import would only report it row by row)
        self.check_access("create")
        with consent_source("import"):
            return super().load(fields, data)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        applicant = super().message_new(msg_dict, custom_values=custom_values)
        applicant._recruit_sms_text_on_apply()
        return applicant

    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + CAMPAIGN_MERGE_FIELDS

    # ------------------------------------------------------------
    # Helpers every concern uses
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

    @api.model
    def _recruit_sms_holders(self, numbers, company):
        """Who holds a number: the applications, archived ones included, whose number
        (their own or their contact's) is one of ``numbers``, of ``company`` or of no
        company (which every company may text). The one rule for the gate, a received
        text and the provider's report of an opt-out; each then picks among them for its
        purpose (``sms.sms.try_lock_for_update`` states the same rule in its SQL)."""
        Applicant = self.sudo().with_context(active_test=False)
        return Applicant.search(self._recruit_sms_holding(numbers) & Domain("company_id", "in", [company.id, False]))

    @api.model
    def _recruit_sms_holding(self, numbers):
        """The applicants whose number, their own or their contact's, is one of ``numbers``
        (E.164), as a domain."""
        numbers = list(numbers)
        return Domain("phone_sanitized", "in", numbers) | Domain("partner_phone_sanitized", "in", numbers)

    def _recruit_sms_zones(self, number=None):
        self.ensure_one()
        company = self._recruit_sms_company()
        company_tz = company.partner_id.tz or self.env.user.tz
        return quiet_hours.recipient_zones(self.recruit_sms_tz, number or self.phone_sanitized, company_tz)

    @api.depends("recruit_sms_cannot_receive_number", "phone_sanitized")
    def _compute_recruit_sms_cannot_receive(self):
        for applicant in self:
            applicant.recruit_sms_cannot_receive = bool(applicant.recruit_sms_cannot_receive_number) and \
                applicant.recruit_sms_cannot_receive_number == applicant.phone_sanitized

    def _recruit_sms_mark_cannot_receive(self, number, code):
        """The carrier answered ``code`` for ``number``: it cannot receive texts. Every
        application of the company holding it is excluded until its number is corrected."""
        for company, applicants in self.grouped(lambda a: a._recruit_sms_company()).items():
            try:
                number_e164 = phone.to_e164(number, applicants[:1]._recruit_sms_country_code())
            except phone.PhoneError:
                number_e164 = number
            self._recruit_sms_holders([number_e164], company).write({
                "recruit_sms_cannot_receive_number": number_e164, "recruit_sms_cannot_receive_code": code})

    def _recruit_sms_lang(self):
        """The language the candidate is written to in: their contact's, else the company's."""
        self.ensure_one()
        return self.partner_id.lang or self._recruit_sms_company().partner_id.lang or self.env.lang or "en_US"

    def _recruit_sms_moment(self, moment):
        """``moment`` (naive UTC or aware) as the candidate reads it: spelled out in their
        language, at their place's clock, and saying which ("Monday, December 7, 2026 at
        9:00 AM (Chicago time)")."""
        zone, lang = self._recruit_sms_zones()[0], self._recruit_sms_lang()
        return self.with_context(lang=lang).env._(
            "%(when)s (%(place)s time)", when=moments.for_candidate(moment, zone, lang), place=moments.place(zone, lang))

    def _recruit_sms_log(self, body):
        self.sudo().message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id)

    @api.model
    def _recruit_sms_check_officer(self, message):
        """Only a recruitment officer goes on (record rules keep them to their companies)."""
        if not self.env.su and not self.env.user.has_group("hr_recruitment.group_hr_recruitment_user"):
            raise AccessError(message)

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
