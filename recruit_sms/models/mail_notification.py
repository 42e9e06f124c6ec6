from odoo import api, fields, models
from odoo.tools.sql import create_index

from ..tools import gate
from ..tools.segments import count_segments
from .sms_sms import KIND_SELECTION


class MailNotification(models.Model):
    _name = "mail.notification"
    _inherit = ["mail.notification", "recruit.sms.server.fields"]
    # what was sent, and how: copied from the SMS when the notification is created (and the
    # read date from WhatsApp's callback), never from a caller's values
    _recruit_sms_server_fields = ("recruit_sms_segments", "recruit_sms_whatsapp", "recruit_sms_kind",
                                  "recruit_sms_content_sid", "recruit_sms_content_variables", "recruit_sms_read_date",
                                  "recruit_sms_law")

    failure_type = fields.Selection(
        selection_add=[("sms_optout", "Opted Out")],
        ondelete={"sms_optout": "set null"},
    )
    recruit_sms_segments = fields.Integer(
        "SMS segments", readonly=True,
        help="How many SMS the text took (its length and encoding), kept when Odoo deletes the SMS once sent.")

    recruit_sms_whatsapp = fields.Boolean(
        "Sent on WhatsApp", readonly=True, help="The text went on WhatsApp rather than as an SMS.")
    recruit_sms_kind = fields.Selection(KIND_SELECTION, "Kind of text", readonly=True)
    recruit_sms_content_sid = fields.Char("WhatsApp template SID", readonly=True)
    recruit_sms_content_variables = fields.Char("WhatsApp template variables", readonly=True)
    recruit_sms_law = fields.Char(
        "Texting law applied", readonly=True,
        help="The rules of the recipient's place the gate let the text go under (the evidence export lists them).")
    recruit_sms_read_date = fields.Datetime(
        "Read", readonly=True, help="When the candidate read it, as WhatsApp reported it (SMS never report it).")

    def init(self):
        result = super().init()
        # the gate counts the texts a number got in the last 24 hours (its law's cap)
        create_index(self.env.cr, "mail_notification_recruit_sms_number_index", self._table, ["sms_number"],
                     where="notification_type = 'sms'")
        return result

    @api.model
    def _recruit_sms_record_law(self, sms_rules):
        """Keep, on the notification of each SMS the gate let go, the rules of the
        recipient's place it went under: {sms.sms id: rule names}."""
        by_rules = {}
        for sms_id, rules in sms_rules.items():
            if rules:
                by_rules.setdefault(", ".join(rules), []).append(sms_id)
        for law, sms_ids in by_rules.items():
            self.sudo().search([("notification_type", "=", "sms"), ("sms_id_int", "in", sms_ids)]).write(
                {"recruit_sms_law": law})

    def _recruit_sms_gate_channel(self):
        """How this text went, for the gate: an SMS, free text on WhatsApp, or a template."""
        self.ensure_one()
        return gate.channel_of(self.recruit_sms_whatsapp, bool(self.recruit_sms_content_sid))

    def _to_store_defaults(self, target):
        # the web client draws a WhatsApp message's channel as WhatsApp, not SMS
        return [*super()._to_store_defaults(target), "recruit_sms_whatsapp"]

    @api.model_create_multi
    def create(self, vals_list):
        # the SMS's body and channel are known now; Odoo deletes the SMS record once it is sent
        sms_ids = [vals["sms_id_int"] for vals in vals_list if vals.get("notification_type") == "sms" and vals.get("sms_id_int")]
        sms_by_id = {sms.id: sms for sms in self.env["sms.sms"].sudo().browse(sms_ids).exists()} if sms_ids else {}
        for vals in vals_list:
            sms = sms_by_id.get(vals.get("sms_id_int"))
            if sms and sms.mail_message_id.id == vals.get("mail_message_id"):  # the SMS of this message only
                # a WhatsApp message is one message, billed as such: it takes no SMS segment
                vals["recruit_sms_whatsapp"] = sms.recruit_sms_channel == "whatsapp"
                # what a resend needs once Odoo has deleted the SMS
                vals["recruit_sms_content_sid"] = sms.recruit_sms_content_sid or False
                vals["recruit_sms_kind"] = sms.recruit_sms_kind or False
                vals["recruit_sms_content_variables"] = sms.recruit_sms_content_variables or False
                vals["recruit_sms_segments"] = 0 if vals["recruit_sms_whatsapp"] else count_segments(sms.body or "").segments
        return super().create(vals_list)

