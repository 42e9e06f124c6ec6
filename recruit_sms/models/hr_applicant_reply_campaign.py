from odoo import fields, models

# merge fields every recruiter may put in a campaign (Odoo restricts other expressions to
# template editors)
CAMPAIGN_MERGE_FIELDS = (
    "object.partner_name",
    "object.job_id.name",
    "object.user_id.name",
    "object.company_id.name",
    "object.department_id.name",
)


class HrApplicant(models.Model):
    # one concern per file: what campaigns add to the applicant and their conversation
    _inherit = "hr.applicant"  # pylint: disable=consider-merging-classes-inherited

    recruit_sms_campaign_id = fields.Many2one(
        "recruit.sms.campaign", "Replied to campaign", copy=False, readonly=True, index="btree_not_null",
        help="The campaign the applicant's latest reply answers.",
    )

    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + CAMPAIGN_MERGE_FIELDS

    def _recruit_sms_bubble(self, message, inbound=None):
        bubble = super()._recruit_sms_bubble(message, inbound=inbound)
        bubble["campaign"] = inbound.campaign_id.name if inbound and inbound.campaign_id else False
        return bubble

    def _recruit_sms_inbox_rows(self):
        rows = super()._recruit_sms_inbox_rows()
        for row, applicant in zip(rows, self, strict=True):
            row["campaign"] = applicant.recruit_sms_campaign_id.name or ""
        return rows
