import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import texting_law
from .hr_applicant import _CONSENT_NUMBER, _CONSENT_REASON, _CONSENT_SOURCE
from .recruit_sms_consent_event import EXPORT_PREFIX

_logger = logging.getLogger(__name__)


class HrApplicant(models.Model):
    """Consent and opt-out: consent as evidence (its stamp, the ledger, the export),
    opting a number out and back in, and a message that asks to stop."""

    _inherit = "hr.applicant"  # pylint: disable=consider-merging-classes-inherited

    def _recruit_sms_consent_left_with(self, number, given_again=False):
        """The phone number changed from ``number``, which the consent was for: it is
        withdrawn, in the ledger of that number; ``given_again`` with the new number, the
        ledger also records the consent for that one."""
        self.ensure_one()
        reason = self.env._("The phone number changed to %(number)s", number=self.phone_sanitized or self.partner_phone or "-")
        if given_again:
            self._recruit_sms_log_consent("consent_withdrawn", number=number, reason=reason)
            self._recruit_sms_log_consent("consent")
            return
        with _CONSENT_REASON.set(reason), _CONSENT_NUMBER.set(number):
            self.sudo().write({"recruit_sms_consent": False})
        self._recruit_sms_log(self.env._(
            "The phone number changed: the SMS consent given for %(old)s does not carry over. Tick SMS consent again "
            "once the candidate agreed to be texted at the new number.", old=number))

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

    def _recruit_sms_log_consent(self, event, number=None, reason=None):
        """A row of the consent ledger, about ``number`` (default: the applicant's own, or
        the one a withdrawal in progress is about), with ``reason`` (default: the one of
        the write in progress)."""
        source = self.recruit_sms_consent_source if event == "consent" else _CONSENT_SOURCE.get()
        self.env["recruit.sms.consent.event"]._log(
            number or _CONSENT_NUMBER.get() or self.phone_sanitized or self.partner_phone or "", event, source,
            applicant=self, reason=reason or _CONSENT_REASON.get(),
        )

    def action_recruit_sms_export_consent(self):
        """The evidence pack: the ledger of this applicant's numbers and the texts sent to
        them (with the texting law applied to each), as CSV, for the recruitment officer who
        asks (consent is theirs to record; the number's history
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
        # and each text sent to the applicant, with the rules of their place it went under
        texts = self.env["mail.notification"].sudo().search([
            ("notification_type", "=", "sms"), ("mail_message_id.model", "=", self._name),
            ("mail_message_id.res_id", "=", self.id)])
        attachment = self.env["ir.attachment"].sudo().create({
            "name": f"{EXPORT_PREFIX}{self.id}.csv",
            "raw": events._to_csv(texts).encode(),
            "mimetype": "text/csv",
            # on no record: only who exported it (and administrators) may download it
        })
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def _recruit_sms_command_opt_out(self, reason, **_kwargs):
        number = self._recruit_sms_known_number()
        if number in self.env["phone.blacklist"]._recruit_sms_opted_out([number]):
            raise UserError(self.env._("^opt-out: %(number)s is opted out already.", number=number))
        self.env["phone.blacklist"]._recruit_sms_opt_out(
            number, "command", applicant=self, reason=reason,
            note=self.env._("Opted out by %(user)s: %(reason)s", user=self.env.user.name, reason=reason))
        self._recruit_sms_log(self.env._("%(user)s opted %(number)s out of SMS: %(reason)s",
                                         user=self.env.user.name, number=number, reason=reason))
        return self.env._("%(number)s is opted out; no text will reach it.", number=number)

    # consent the candidate gave themselves; an import's is only implied (CASL)
    IMPLIED_SOURCES = ("import",)

    def _recruit_sms_consent_lapses(self, rules):
        """When this applicant's consent lapses under ``rules`` (their place's texting
        rules): only consent that is implied does, counted from their last contact (the
        consent recorded, their last message). None when it does not lapse."""
        if not self.recruit_sms_consent or self.recruit_sms_consent_source not in self.IMPLIED_SOURCES:
            return None
        last = max(filter(None, (self.recruit_sms_consent_date, self.recruit_sms_last_inbound_date)), default=None)
        return texting_law.implied_consent_lapses(rules, last)

    @api.depends("recruit_sms_consent", "recruit_sms_consent_date")
    @api.depends_context("tz")
    def _compute_recruit_sms_consent_evidence(self):
        """The ledger's latest consent row, the one evidence the form shows."""
        rows = self.env["recruit.sms.consent.event"].sudo().search(
            [("applicant_id", "in", self.ids), ("event", "=", "consent")], order="date desc, id desc")
        latest = {}
        for row in rows:
            latest.setdefault(row.applicant_id.id, row)
        sources = dict(rows._fields["source"]._description_selection(self.env))
        for applicant in self:
            row = latest.get(applicant.id) if applicant.recruit_sms_consent else None
            applicant.recruit_sms_consent_evidence = self.env._(
                "%(how)s, %(when)s", how=sources[row.source], when=self.env.user._recruit_sms_moment(row.date),
            ) if row else False

    @api.depends("recruit_sms_consent", "recruit_sms_consent_source", "recruit_sms_consent_date",
                 "recruit_sms_last_inbound_date", "partner_phone")
    def _compute_recruit_sms_consent_basis(self):
        gate_model = self.env["recruit.sms.gate"]
        for applicant in self:
            if not applicant.recruit_sms_consent:
                applicant.recruit_sms_consent_basis = False
                continue
            if applicant.recruit_sms_consent_source not in self.IMPLIED_SOURCES:
                applicant.recruit_sms_consent_basis = self.env._("Express: the candidate gave it")
                continue
            company = applicant._recruit_sms_company()
            rules = gate_model._rules_for(company, applicant, applicant.phone_sanitized)
            lapses = applicant._recruit_sms_consent_lapses(rules)
            applicant.recruit_sms_consent_basis = self.env._(
                "Implied (imported): lapses on %(date)s under %(rule)s", date=self.env.user._recruit_sms_day(lapses),
                rule=next(rule.name for rule in rules if rule.implied_months),
            ) if lapses else self.env._("Implied (imported)")

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

    def _recruit_sms_ask_decision(self, inbound):
        """A message that may ask to stop: whoever answers the conversation is asked to
        decide, before the deadline after which it is honoured as an opt-out."""
        self.ensure_one()
        user = self._recruit_sms_answerer()
        deadline = texting_law.revocation_deadline(inbound.received_date)
        if user:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=deadline.date(), user_id=user.id,
                summary=self.env._("Did %(name)s ask to stop texts?", name=self.partner_name or self.display_name),
                note=self.env._(
                    "\"%(body)s\": opt the number out or dismiss it on the applicant's form. Undecided on %(deadline)s, "
                    "it is taken as an opt-out: a revocation is honoured within 10 business days.",
                    body=inbound.body, deadline=user._recruit_sms_moment(deadline)))

    @api.model
    def _cron_recruit_sms_honour_revocations(self):
        """Messages that may ask to stop and that nobody decided on within the deadline
        are honoured as opt-outs (FCC revocation rule, CASL), with the candidate's
        confirmation."""
        now = fields.Datetime.now()
        pending = self.sudo().with_context(active_test=False).search([("recruit_sms_optout_asked_inbound_id", "!=", False)])
        for inbound in pending.recruit_sms_optout_asked_inbound_id:
            if texting_law.revocation_deadline(inbound.received_date) <= now:
                try:
                    with self.env.cr.savepoint():
                        inbound._recruit_sms_opt_out("deadline")
                except Exception as error:  # the others are honoured all the same; this one is tried again next run
                    _logger.warning("Inbound SMS %s: the undecided request to stop could not be honoured (%s)",
                                    inbound.id, type(error).__name__)

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
        self.env["phone.blacklist"]._recruit_sms_opt_in(
            number, "command", applicant=self, reason=reason,
            note=self.env._("Opted back in by %(user)s: %(reason)s", user=self.env.user.name, reason=reason))
        self._recruit_sms_log(self.env._("%(user)s opted %(number)s back in to SMS: %(reason)s",
                                         user=self.env.user.name, number=number, reason=reason))
        return self.env._("%(number)s can be texted again.", number=number)
