from odoo import fields, models


class RecruitSmsRead(models.Model):
    """When a user last read an applicant's conversation (their unread flag)."""

    _name = "recruit.sms.read"
    _description = "Conversation read by a user"

    applicant_id = fields.Many2one("hr.applicant", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    read_date = fields.Datetime(required=True, default=fields.Datetime.now)

    _user_applicant_unique = models.Constraint(
        "unique(user_id, applicant_id)",
        "A user reads a conversation once; the date moves.",
    )
