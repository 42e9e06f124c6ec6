from odoo import api, models
from odoo.fields import Domain

from ..tools import phone


class PhoneBlacklist(models.Model):
    _inherit = "phone.blacklist"

    @api.model
    def _recruit_sms_opted_out(self, numbers):
        """Which of ``numbers`` (E.164, as recruit_sms stores them) are opted out, in one
        indexed look-up: searching ``number`` would re-format every number given."""
        numbers = [n for n in numbers if n]
        if not numbers:
            return set()
        self.flush_model(["number", "active"])
        self.env.cr.execute("SELECT number FROM phone_blacklist WHERE active AND number = ANY(%s)", [numbers])
        return {row[0] for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------
    # The one way a number is opted out, and the one way back in
    # ------------------------------------------------------------

    @api.model
    def _recruit_sms_opt_out(self, number, source, *, note, reason=None, applicant=None, inbound=None, company=None):
        """Opt ``number`` out, whatever decided it (``source``, as the consent ledger names
        it): Odoo's phone blacklist (``note`` in its chatter), a row of the ledger, and no
        applicant of the number waits any more for a recruiter to decide whether a message
        asked to stop, nor for an answer. Returns whether it was opted in until now (an
        opt-out already recorded stands, and nothing is written)."""
        blacklist = self.sudo()
        # the first decision stands, and with it who may lift it: a second opt-out (a
        # recruiter's ^opt-out after a candidate's STOP) records nothing that could let a
        # ^opt-in undo the candidate's own; the question of a message still ends
        was_in = number not in blacklist._recruit_sms_opted_out([number])
        if was_in:
            blacklist._add([number], message=note)
            self.env["recruit.sms.consent.event"]._log(number, "opt_out", source, applicant=applicant or None,
                                                       inbound=inbound or None, reason=reason, company=company)
        Applicant = self.env["hr.applicant"].sudo()
        flagged = Applicant.search(Domain("recruit_sms_optout_asked_inbound_id.from_number", "=", number)
                                   | (Applicant._recruit_sms_holding([number])
                                      & Domain("recruit_sms_optout_asked_inbound_id", "!=", False)))
        if flagged:
            flagged.recruit_sms_optout_asked_inbound_id = False
        # an opt-out ends the conversation: nobody waits for an answer any more
        ended = Applicant.search(Applicant._recruit_sms_holding([number]) & Domain("recruit_sms_waiting_since", "!=", False))
        if ended:
            ended.recruit_sms_waiting_since = False
        (flagged | ended | (applicant or Applicant)).sudo()._recruit_sms_notify_inbox()
        return was_in

    @api.model
    def _recruit_sms_opt_in(self, number, source, *, note, reason=None, applicant=None, inbound=None):
        """Lift ``number``'s opt-out, whatever decided it: Odoo's phone blacklist (``note``)
        and a row of the consent ledger."""
        self.sudo()._remove([number], message=note)
        self.env["recruit.sms.consent.event"]._log(number, "opt_in", source, applicant=applicant or None,
                                                   inbound=inbound or None, reason=reason)
        if applicant:
            applicant.sudo()._recruit_sms_notify_inbox()

    def _recruit_sms_block_unsubscribed(self, numbers, company=None):
        """The provider of ``company`` (default: the current one) reported that these
        numbers unsubscribed (Twilio error 21610)."""
        company = company or self.env.company
        numbers = sorted({phone.try_e164(number) or number for number in numbers if number})
        ledger = self.env["recruit.sms.consent.event"]
        for number in numbers:
            last = ledger._last_opt_out(number)
            if last and last.source == "twilio_21610":
                continue  # said already
            # the candidate whose consent the gate reads for the number, in the ledger
            applicant = self.env["hr.applicant"]._recruit_sms_holders([number], company).sorted(
                lambda a: (not a.recruit_sms_consent, -a.id))[:1]
            self._recruit_sms_opt_out(
                number, "twilio_21610", applicant=applicant, company=company,
                note=self.env._("Opted out: the SMS provider reported the number unsubscribed (Twilio 21610)."),
                reason=self.env._("The provider reported the number unsubscribed"))
