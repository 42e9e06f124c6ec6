from odoo import fields, models


class RecruitSmsAutoReplyLog(models.Model):
    """One automatic reply sent: what the rules' limits count, and what marks the reply as
    automatic in the conversation. Written by the server only."""

    _name = "recruit.sms.auto.reply.log"
    _description = "SMS automatic reply sent"
    _order = "date desc, id desc"
    _rec_name = "number"

    rule_id = fields.Many2one("recruit.sms.auto.reply", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="rule_id.company_id", store=True, index=True)
    number = fields.Char(required=True, readonly=True, index=True)
    applicant_id = fields.Many2one("hr.applicant", readonly=True, index="btree_not_null", ondelete="set null")
    inbound_id = fields.Many2one("recruit.sms.inbound", "Message answered", readonly=True, ondelete="set null")
    mail_message_id = fields.Many2one("mail.message", readonly=True, index="btree_not_null", ondelete="set null")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
