import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..tools import gate
from ..tools.server_flag import ServerFlag
from .hr_applicant import CHANNELS

_logger = logging.getLogger(__name__)

# what the author (or a recruitment manager of the company) may still change
EDITABLE_FIELDS = {"body", "send_at", "channel", "subject"}
# what it says and how it goes: it is sent as its author, so only they write it
AUTHOR_FIELDS = {"body", "channel", "subject"}
# the cron and the Cancel button are writing: the edit rules are theirs to apply
_OWN_WRITE = ServerFlag("recruit_sms_scheduled_own_write", default=False)


class RecruitSmsScheduled(models.Model):
    """A message written now and sent later (``^at``): cancellable until the cron sends it,
    through the same path as the composer, always as its author."""

    _name = "recruit.sms.scheduled"
    _description = "Scheduled message to an applicant"
    _order = "send_at, id"
    _check_company_auto = True

    applicant_id = fields.Many2one("hr.applicant", required=True, ondelete="cascade", index=True, check_company=True)
    company_id = fields.Many2one(related="applicant_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", "Scheduled by", required=True, readonly=True, default=lambda self: self.env.user)
    channel = fields.Selection(CHANNELS, required=True, default="sms")
    subject = fields.Char(required=True)
    body = fields.Text(required=True)
    send_at = fields.Datetime("Send at", required=True, index=True)
    state = fields.Selection(
        [("scheduled", "Scheduled"), ("sent", "Sent"), ("cancelled", "Cancelled"), ("failed", "Failed")],
        default="scheduled", required=True, readonly=True, index=True,
    )
    failure_reason = fields.Char(readonly=True)
    can_change = fields.Boolean(
        compute="_compute_can_change",
        help="Whether the current user may cancel or retry it: its author, or a recruitment manager.")
    mail_message_id = fields.Many2one("mail.message", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # the author is whoever schedules it, and a new message is scheduled
            vals.update(user_id=self.env.uid, state="scheduled")
            vals.pop("mail_message_id", None)
            vals.pop("failure_reason", None)
        records = super().create(vals_list)
        cron = self.env.ref("recruit_sms.ir_cron_recruit_sms_scheduled", raise_if_not_found=False)
        if cron:
            for send_at in set(records.mapped("send_at")):
                cron.sudo()._trigger(send_at)
        return records

    def write(self, vals):
        if _OWN_WRITE.get():
            return super().write(vals)
        if set(vals) - EDITABLE_FIELDS:
            raise UserError(self.env._(
                "A scheduled message: only its subject, body, channel and time can be changed (%(fields)s cannot).",
                fields=", ".join(sorted(set(vals) - EDITABLE_FIELDS))))
        self._recruit_sms_check_editable()
        if set(vals) & AUTHOR_FIELDS and not self.env.su and self.filtered(lambda s: s.user_id != self.env.user):
            raise AccessError(self.env._(
                "A scheduled message goes in its author's name: only they can change its text or channel. Cancel it "
                "and schedule your own instead."))
        result = super().write(vals)
        if "send_at" in vals:
            cron = self.env.ref("recruit_sms.ir_cron_recruit_sms_scheduled", raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger(self[:1].send_at)
        return result

    @api.depends_context("uid")
    def _compute_can_change(self):
        # the same rule as _recruit_sms_check_author_or_manager, asked before the click
        manager = self.env.su or self.env.user.has_group("hr_recruitment.group_hr_recruitment_manager")
        for scheduled in self:
            scheduled.can_change = manager or scheduled.user_id == self.env.user

    def _recruit_sms_check_editable(self):
        """Only while scheduled, and only by its author or a recruitment manager (record
        rules keep managers to their companies)."""
        if self.filtered(lambda s: s.state != "scheduled"):
            raise UserError(self.env._("Only a message that is still scheduled can be changed or cancelled."))
        self._recruit_sms_check_author_or_manager()

    def _recruit_sms_check_author_or_manager(self):
        self.check_access("write")
        if self.filtered(lambda s: not s.can_change):
            raise AccessError(self.env._(
                "A scheduled message can be changed or cancelled only by the person who scheduled it, or by a "
                "recruitment manager."))

    def action_cancel(self):
        self._recruit_sms_check_editable()
        return self._recruit_sms_set_outcome(state="cancelled")

    def action_retry(self):
        """Send a failed message again, now (the gate and the texting hours apply again),
        as its author, in their words: by the author or a recruitment manager."""
        if self.filtered(lambda s: s.state != "failed"):
            raise UserError(self.env._("Only a message that failed can be retried."))
        with _OWN_WRITE.set(True):  # back to scheduled, where the usual edit rules apply
            self._recruit_sms_check_author_or_manager()
            self.sudo().write({"state": "scheduled", "send_at": fields.Datetime.now(), "failure_reason": False})
        self.env.ref("recruit_sms.ir_cron_recruit_sms_scheduled").sudo()._trigger()
        return True

    def _recruit_sms_set_outcome(self, **values):
        with _OWN_WRITE.set(True):
            return self.sudo().write(values)

    @api.model
    def _cron_send_due(self, batch=50):
        while self._send_due(batch, commit=True):
            remaining = self.search_count([("state", "=", "scheduled"), ("send_at", "<=", fields.Datetime.now())])
            if self.env["ir.cron"]._commit_progress(remaining=remaining) <= 0 or not remaining:
                break

    @api.model
    def _send_due(self, batch=50, commit=False):
        """Send a batch of what is due, each as its author (their rights apply), as an
        automated text (the candidate's texting hours hold it); returns how many. Each
        ends sent or failed with the reason, whatever the others do; with ``commit``, each
        outcome is committed before the next one goes (a text the provider took is never
        sent twice)."""
        due = self.search([("state", "=", "scheduled"), ("send_at", "<=", fields.Datetime.now())], limit=batch)
        for scheduled in due:
            applicant = scheduled.applicant_id.with_user(scheduled.user_id).with_company(scheduled.company_id)
            try:
                with self.env.cr.savepoint():
                    message = applicant._recruit_sms_send(scheduled.channel, scheduled.subject, scheduled.body,
                                                          gate.AUTOMATED)
                refused = message.notification_ids.filtered(
                    lambda n: n.notification_type == "sms" and n.notification_status in ("exception", "bounce", "canceled"))
                if refused:  # the gate or the provider refused it: say so, and why
                    scheduled._recruit_sms_set_outcome(state="failed", mail_message_id=message.id,
                                                       failure_reason=refused[0].failure_reason or refused[0].failure_type)
                else:
                    scheduled._recruit_sms_set_outcome(state="sent", mail_message_id=message.id)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise  # the cron's run is retried as a whole; what is committed stays
            except Exception as error:  # any error of one message is that message's outcome
                _logger.info("Scheduled message %s not sent: %s", scheduled.id, type(error).__name__)
                scheduled._recruit_sms_set_outcome(state="failed", failure_reason=str(error) or type(error).__name__)
            if commit:
                self.env["ir.cron"]._commit_progress(1)
        return len(due)
