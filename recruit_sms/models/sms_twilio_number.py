from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SmsTwilioNumber(models.Model):
    _inherit = "sms.twilio.number"

    recruit_sms_rate = fields.Float(
        "Messages per second", default=1.0,
        help="What this number may send per second (1 for a US long code, about 3 for toll-free, "
             "100 for a short code): campaigns sent from it never go faster.",
    )

    @api.constrains("recruit_sms_rate")
    def _check_recruit_sms_rate(self):
        for number in self:
            if number.recruit_sms_rate <= 0:
                raise ValidationError(self.env._(
                    "Messages per second of %(number)s must be positive (1 for a long code).", number=number.number))
