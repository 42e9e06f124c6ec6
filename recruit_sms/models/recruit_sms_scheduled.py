import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .hr_applicant import CHANNELS

_logger = logging.getLogger(__name__)


class RecruitSmsScheduled(models.Model):
    """A message written now and sent later (``^at``): cancellable until the cron sends it,
    through the same path as the composer."""

    _name = "recruit.sms.scheduled"
    _description = "Scheduled message to an applicant"
    _order = "send_at, id"

    applicant_id = fields.Many2one("hr.applicant", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", "Scheduled by", required=True, default=lambda self: self.env.user)
    channel = fields.Selection(CHANNELS, required=True, default="sms")
    subject = fields.Char(required=True)
    body = fields.Text(required=True)
    send_at = fields.Datetime("Send at", required=True, index=True)
    state = fields.Selection(
        [("scheduled", "Scheduled"), ("sent", "Sent"), ("cancelled", "Cancelled"), ("failed", "Failed")],
        default="scheduled", required=True, index=True,
    )
    failure_reason = fields.Char(readonly=True)
    mail_message_id = fields.Many2one("mail.message", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        cron = self.env.ref("recruit_sms.ir_cron_recruit_sms_scheduled", raise_if_not_found=False)
        if cron:
            for send_at in set(records.mapped("send_at")):
                cron._trigger(send_at)
        return records

    def action_cancel(self):
        if self.filtered(lambda s: s.state != "scheduled"):
            raise UserError(self.env._("Only a message that is still scheduled can be cancelled."))
        self.state = "cancelled"

    @api.model
    def _cron_send_due(self, batch=50):
        while done := self._send_due(batch):
            remaining = self.search_count([("state", "=", "scheduled"), ("send_at", "<=", fields.Datetime.now())])
            if self.env["ir.cron"]._commit_progress(done, remaining=remaining) <= 0 or not remaining:
                break

    @api.model
    def _send_due(self, batch=50):
        """Send a batch of what is due, as the user who scheduled it; returns how many."""
        due = self.search([("state", "=", "scheduled"), ("send_at", "<=", fields.Datetime.now())], limit=batch)
        for scheduled in due:
            applicant = scheduled.applicant_id.with_user(scheduled.user_id).with_context(recruit_sms_manual=False)
            try:
                with self.env.cr.savepoint():
                    message = applicant.recruit_sms_send(scheduled.channel, scheduled.subject, scheduled.body)
                scheduled.write({"state": "sent", "mail_message_id": message.id})
            except UserError as error:
                _logger.info("Scheduled message %s not sent: %s", scheduled.id, error)
                scheduled.write({"state": "failed", "failure_reason": str(error)})
        return len(due)
