from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    recruit_sms_inbound_email = fields.Boolean(
        "Email me when a candidate texts",
        default=True,
        help="Receive an email with the message when a candidate you recruit replies by SMS.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "recruit_sms_inbound_email"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "recruit_sms_inbound_email"]
