from odoo import api, models

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

    def _recruit_sms_block_unsubscribed(self, numbers):
        """The provider reported that these numbers unsubscribed (Twilio error 21610)."""
        numbers = sorted({phone.try_e164(number) or number for number in numbers if number})
        if numbers:
            self._add(numbers, message=self.env._("Opted out: the SMS provider reported the number unsubscribed (Twilio 21610)."))
        ledger = self.env["recruit.sms.consent.event"]
        for number in numbers:
            applicant = self.env["hr.applicant"].sudo().search([("phone_sanitized", "=", number)], limit=1)
            last = ledger._last_opt_out(number)
            if not last or last.source != "twilio_21610":
                ledger._log(number, "opt_out", "twilio_21610", applicant=applicant or None,
                            reason=self.env._("The provider reported the number unsubscribed"))
