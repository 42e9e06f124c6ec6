from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import UserError

from ..tools import quiet_hours


class HrApplicant(models.Model):
    """Who may be texted, and when: opt-out (phone blacklist), consent ledger, first-contact
    notice and quiet hours."""

    # one concern per file: compliance lives beside the texting rules
    _inherit = "hr.applicant"  # pylint: disable=consider-merging-classes-inherited

    recruit_sms_tz = fields.Selection(
        _tz_get, "Applicant time zone",
        help="Where the applicant lives, for quiet hours; empty: the phone number's zones, else the company's.",
    )
    recruit_sms_opted_out = fields.Boolean("Opted out of SMS", compute="_compute_recruit_sms_opted_out")
    recruit_sms_consent_event_ids = fields.One2many("recruit.sms.consent.event", "applicant_id", "SMS consent ledger")

    @api.depends("recruit_sms_number")
    def _compute_recruit_sms_opted_out(self):
        numbers = set(self.env["phone.blacklist"].sudo().search(
            [("number", "in", [n for n in self.mapped("recruit_sms_number") if n])]).mapped("number"))
        for applicant in self:
            applicant.recruit_sms_opted_out = applicant.recruit_sms_number in numbers

    # ------------------------------------------------------------
    # The gate: why a text cannot go
    # ------------------------------------------------------------

    def _recruit_sms_blocked_reason(self, opted_out=None):
        reason = super()._recruit_sms_blocked_reason(opted_out=opted_out)
        if reason or not self.recruit_sms_number:
            return reason
        if opted_out is not None:
            is_opted_out = self.recruit_sms_number in opted_out
        else:
            is_opted_out = self.env["phone.blacklist"].sudo().search_count([("number", "=", self.recruit_sms_number)], limit=1)
        if is_opted_out:
            last = self.env["recruit.sms.consent.event"]._last_opt_out(self.recruit_sms_number)
            if last.source in ("keyword", "twilio_21610"):
                return self.env._(
                    "%(number)s opted out (replied STOP on %(date)s): texts can resume only when they text START.",
                    number=self.recruit_sms_number, date=fields.Date.to_string(last.date.date()),
                )
            return self.env._(
                "%(number)s is opted out of SMS%(reason)s: use ^opt-in <reason> if it was a mistake.",
                number=self.recruit_sms_number, reason=f" ({last.reason})" if last.reason else "",
            )
        return None

    # ------------------------------------------------------------
    # Consent ledger
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        applicants = super().create(vals_list)
        for applicant in applicants.filtered("recruit_sms_consent"):
            applicant._recruit_sms_log_consent("consent")
        return applicants

    def write(self, vals):
        before = {a.id: a.recruit_sms_consent for a in self} if "recruit_sms_consent" in vals else {}
        result = super().write(vals)
        for applicant in self.filtered(lambda a: a.id in before and a.recruit_sms_consent != before[a.id]):
            applicant._recruit_sms_log_consent("consent" if applicant.recruit_sms_consent else "consent_withdrawn")
        return result

    def _recruit_sms_log_consent(self, event):
        source = self.env.context.get("recruit_sms_consent_source", "form")
        self.env["recruit.sms.consent.event"]._log(
            self.recruit_sms_number or self.partner_phone or "", event, source, applicant=self,
        )

    def action_recruit_sms_export_consent(self):
        """The evidence pack: the ledger of this applicant's numbers, as CSV."""
        self.ensure_one()
        self.check_access("read")
        numbers = [n for n in {self.recruit_sms_number, self.partner_phone_sanitized} if n]
        events = self.env["recruit.sms.consent.event"].sudo().search(
            ["|", ("applicant_id", "=", self.id), ("number", "in", numbers)])
        attachment = self.env["ir.attachment"].sudo().create({
            "name": f"sms-consent-{self.id}.csv",
            "raw": events._to_csv().encode(),
            "mimetype": "text/csv",
            "res_model": self._name,
            "res_id": self.id,
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

    def _recruit_sms_command_opt_in(self, reason, **_kwargs):
        number = self._recruit_sms_known_number()
        if not self.env["phone.blacklist"].sudo().search_count([("number", "=", number)], limit=1):
            raise UserError(self.env._("^opt-in: %(number)s is not opted out.", number=number))
        last = self.env["recruit.sms.consent.event"]._last_opt_out(number)
        if last.source != "command":
            raise UserError(self.env._(
                "^opt-in: %(number)s opted out themselves (by texting STOP); only they can opt back in, by "
                "texting START to your number.", number=number))
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
        number = self.recruit_sms_number
        if not number:
            return False
        texted = self.env["mail.notification"].sudo().search_count(
            [("notification_type", "=", "sms"), ("sms_number", "=", number)], limit=1)
        return not texted and not self.env["sms.sms"].sudo().search_count([("number", "=", number)], limit=1)

    def _recruit_sms_first_contact_suffix(self):
        notice = self._recruit_sms_company().recruit_sms_first_contact_notice
        return f"\n{notice}" if notice and self._recruit_sms_is_first_contact() else ""

    def _recruit_sms_post_sms(self, subject, body):
        manual = self.env.context.get("recruit_sms_manual", True)
        return super(HrApplicant, self.with_context(recruit_sms_manual=manual))._recruit_sms_post_sms(
            subject, body + self._recruit_sms_first_contact_suffix())

    # ------------------------------------------------------------
    # Quiet hours
    # ------------------------------------------------------------

    def _recruit_sms_zones(self, number=None):
        self.ensure_one()
        company = self._recruit_sms_company()
        company_tz = company.partner_id.tz or self.env.user.tz
        return quiet_hours.recipient_zones(self.recruit_sms_tz, number or self.recruit_sms_number, company_tz)

    def _recruit_sms_window(self):
        company = self._recruit_sms_company()
        return quiet_hours.hour_to_time(company.recruit_sms_quiet_start), quiet_hours.hour_to_time(company.recruit_sms_quiet_end)

    def _recruit_sms_hold_until(self, now=None, number=None, manual=False):
        """None when a text may go to the applicant now, else when it may (naive UTC)."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        company = self._recruit_sms_company()
        if company.recruit_sms_quiet_start <= 0 and company.recruit_sms_quiet_end >= 24:
            return None  # texting at any hour
        start, end = self._recruit_sms_window()
        zones = self._recruit_sms_zones(number)
        if quiet_hours.is_open(now, zones, start, end):
            return None
        wrote_lately = self.recruit_sms_last_inbound_date and self.recruit_sms_last_inbound_date >= now - timedelta(hours=24)
        if manual and wrote_lately and not company.recruit_sms_quiet_hold_replies:
            return None
        return quiet_hours.next_opening(now, zones, start, end) or now + timedelta(days=1)

    def _recruit_sms_closes_at(self, now, number=None):
        """While the applicant's texting hours are open: when they close (None: never)."""
        self.ensure_one()
        company = self._recruit_sms_company()
        if company.recruit_sms_quiet_start <= 0 and company.recruit_sms_quiet_end >= 24:
            return None
        start, end = self._recruit_sms_window()
        return quiet_hours.next_closing(now, self._recruit_sms_zones(number), start, end)

    def _recruit_sms_gate_batch(self, numbers, now, hours=True):
        """The gate for many applicants at once (a campaign's batch), with one look-up of
        the opt-outs: {applicant id: (reason it may not go, held until, hours close at)}.
        ``numbers`` maps each applicant's id to the number texted."""
        opted_out = self.env["phone.blacklist"]._recruit_sms_opted_out(numbers.values())
        gate = {}
        for applicant in self:
            number = numbers[applicant.id]
            reason = applicant._recruit_sms_blocked_reason(opted_out=opted_out)
            if not reason and number in opted_out:
                reason = self.env._("Not sent: %(number)s is opted out of SMS.", number=number)
            hold = closes = None
            if not reason and hours:
                hold = applicant._recruit_sms_hold_until(now=now, number=number)
                closes = None if hold else applicant._recruit_sms_closes_at(now, number)
            gate[applicant.id] = (reason, hold, closes)
        return gate

    def recruit_sms_get_conversation(self):
        result = super().recruit_sms_get_conversation()
        held = self.recruit_sms_can_text and self._recruit_sms_hold_until(manual=True)
        result["applicant"]["opted_out"] = self.recruit_sms_opted_out
        result["applicant"]["quiet_note"] = self.env._(
            "Outside texting hours for the candidate: an SMS sent now is held until %(when)s (UTC).",
            when=fields.Datetime.to_string(held)[:16],
        ) if held else False
        return result

    # ------------------------------------------------------------
    # Confirmations (the only texts that pass the gate regardless)
    # ------------------------------------------------------------

    def _recruit_sms_send_confirmation(self, number, text):
        """Answer a STOP/START/HELP at once, whatever the hour or the opt-out."""
        exempt = self.with_context(recruit_sms_exempt=True, recruit_sms_manual=False)
        if self:
            self.ensure_one()
            if self.partner_id:
                recipients = {"partner_ids": self.partner_id.ids, "sms_pid_to_number": {self.partner_id.id: number}}
            else:
                recipients = {"partner_ids": [], "sms_numbers": [number]}
            return exempt.sudo()._message_sms(text, **recipients)
        sms = exempt.env["sms.sms"].sudo().create({"number": number, "body": text})
        sms.send(raise_exception=False)
        return sms

