from odoo import api, fields, models

from ..tools.segments import count_segments


class MailNotification(models.Model):
    _inherit = "mail.notification"

    failure_type = fields.Selection(
        selection_add=[("sms_optout", "Opted Out")],
        ondelete={"sms_optout": "set null"},
    )
    recruit_sms_segments = fields.Integer(
        "SMS segments", readonly=True,
        help="How many SMS the text took (its length and encoding), kept when Odoo deletes the SMS once sent.")

    @api.model_create_multi
    def create(self, vals_list):
        # the SMS's body is known now; Odoo deletes the SMS record once it is sent
        sms_ids = [vals["sms_id_int"] for vals in vals_list if vals.get("notification_type") == "sms" and vals.get("sms_id_int")]
        bodies = {sms.id: sms.body for sms in self.env["sms.sms"].sudo().browse(sms_ids).exists()} if sms_ids else {}
        for vals in vals_list:
            vals.pop("recruit_sms_segments", None)  # set here, never by a caller
            if vals.get("sms_id_int") in bodies:
                vals["recruit_sms_segments"] = count_segments(bodies[vals["sms_id_int"]] or "").segments
        return super().create(vals_list)
