from odoo import models
from odoo.exceptions import UserError


class SmsComposer(models.TransientModel):
    """Core's SMS composer. A person texting many applicants at once does it with Bulk
    Text: a campaign, capped per page, reviewed before it goes and paced at the sender's
    rate. Core's composer in mass mode, opened on applicants by a user (its Send SMS
    action, or by RPC), would go around all three. Odoo's own server paths in mass mode
    (an automation rule's SMS, `_message_sms_schedule_mass`, an SMS mailing's engine) are
    configured by administrators and still go through the gate."""

    _inherit = "sms.composer"

    def action_send_sms(self):
        several = self.composition_mode == "comment" and len(self._get_records() or []) > 1
        if self.res_model == "hr.applicant" and (self.composition_mode == "mass" or several):
            raise UserError(self.env._(
                "Text applicants in bulk with Bulk Text (select them in the Applications list, then Actions > Bulk "
                "Text): it reviews who will receive the text and sends it at your number's pace."))
        return super().action_send_sms()
