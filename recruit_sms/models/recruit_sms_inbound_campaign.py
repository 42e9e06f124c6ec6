from datetime import timedelta

from odoo import fields, models

# a text is a reply to the campaign the applicant received within this many days before it
REPLY_WINDOW = timedelta(days=7)


class RecruitSmsInbound(models.Model):
    """Replies to a campaign land in the normal inbox, with the campaign shown."""

    # one concern per file: what campaigns add to received messages
    _inherit = "recruit.sms.inbound"  # pylint: disable=consider-merging-classes-inherited

    campaign_line_id = fields.Many2one(
        "recruit.sms.campaign.line", "Reply to campaign message", readonly=True, index="btree_not_null",
        ondelete="set null",
    )
    campaign_id = fields.Many2one(related="campaign_line_id.campaign_id", string="Reply to campaign")

    def _recruit_sms_attach(self, applicant):
        result = super()._recruit_sms_attach(applicant)
        line = self.env["recruit.sms.campaign.line"].sudo().search([
            ("applicant_id", "=", applicant.id), ("state", "=", "sent"),
            ("sent_at", "<=", self.received_date), ("sent_at", ">=", self.received_date - REPLY_WINDOW),
        ], order="sent_at desc, id desc", limit=1)
        if line:
            self.campaign_line_id = line
            applicant.sudo().recruit_sms_campaign_id = line.campaign_id
        return result

