from odoo import models

from ..tools import phone


class PhoneBlacklist(models.Model):
    _inherit = "phone.blacklist"

    def _recruit_sms_block_unsubscribed(self, numbers):
        """The provider reported that these numbers unsubscribed (Twilio error 21610)."""
        numbers = sorted({phone.try_e164(number) or number for number in numbers if number})
        if numbers:
            self._add(numbers, message=self.env._("Opted out: the SMS provider reported the number unsubscribed (Twilio 21610)."))
        ledger = self.env["recruit.sms.consent.event"]
        for number in numbers:
            applicant = self.env["hr.applicant"].sudo().search([("recruit_sms_number", "=", number)], limit=1)
            last = ledger._last_opt_out(number)
            if not last or last.source != "twilio_21610":
                ledger._log(number, "opt_out", "twilio_21610", applicant=applicant or None,
                            reason=self.env._("The provider reported the number unsubscribed"))
