import logging
from collections import Counter
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import pacing
from ..tools.segments import count_segments

_logger = logging.getLogger(__name__)

REVIEW_WARNING_ABOVE = 500
MAX_ATTEMPTS = 5
CONTENT_FIELDS = {"name", "job_id", "body", "template_id", "recipient_ids", "schedule", "scheduled_at"}


class RecruitSmsCampaign(models.Model):
    """A bulk text (seed 004's Text Campaign, PivotCX's blast): one individual SMS per
    recipient, on their own conversation, sent by a paced, resumable cron."""

    _name = "recruit.sms.campaign"
    _description = "Text campaign"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    job_id = fields.Many2one("hr.job", "Job position")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    channel = fields.Selection([("sms", "SMS")], required=True, default="sms")
    template_id = fields.Many2one("sms.template", domain=[("model", "=", "hr.applicant")])
    body = fields.Text(help="Merge fields: {{ object.partner_name }}, {{ object.job_id.name }}, ...")
    recipient_ids = fields.Many2many("hr.applicant", string="Recipients")
    schedule = fields.Selection([("now", "Send now"), ("later", "At a date and time")], required=True, default="now")
    scheduled_at = fields.Datetime("Send at")
    state = fields.Selection(
        [("draft", "Draft"), ("scheduled", "Scheduled"), ("sending", "Sending"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="draft", required=True, tracking=True, index=True,
    )
    rate = fields.Float("Messages per second", compute="_compute_rate")
    line_ids = fields.One2many("recruit.sms.campaign.line", "campaign_id", "Recipient messages")

    # review
    review_recipients = fields.Integer("Selected recipients", compute="_compute_review")
    review_eligible = fields.Integer("Will receive it", compute="_compute_review")
    review_exclusions = fields.Text("Excluded", compute="_compute_review")
    review_segments = fields.Integer("SMS per message", compute="_compute_review")
    review_total_segments = fields.Integer("SMS in all", compute="_compute_review")
    review_duration = fields.Char("Expected duration", compute="_compute_review")
    review_warning = fields.Char(compute="_compute_review")

    # dashboard
    count_sent = fields.Integer("Sent", compute="_compute_counts")
    count_delivered = fields.Integer("Delivered", compute="_compute_counts")
    count_failed = fields.Integer("Failed", compute="_compute_counts")
    count_replied = fields.Integer("Replied", compute="_compute_counts")
    count_opted_out = fields.Integer("Opted out", compute="_compute_counts")
    count_pending = fields.Integer("To send", compute="_compute_counts")
    count_held = fields.Integer("Held", compute="_compute_counts")
    progress = fields.Float(compute="_compute_counts")

    @api.depends("company_id")
    def _compute_rate(self):
        for campaign in self:
            campaign.rate = campaign.company_id.recruit_sms_rate or 1.0

    @api.onchange("template_id")
    def _onchange_template_id(self):
        if self.template_id:
            self.body = self.template_id.body

    # ------------------------------------------------------------
    # Who gets it: the same gate as every SMS
    # ------------------------------------------------------------

    def _recruit_sms_split_recipients(self):
        """(eligible applicants, {applicant: exclusion reason})."""
        self.ensure_one()
        eligible, excluded, seen = self.env["hr.applicant"], {}, set()
        for applicant in self.recipient_ids.sorted("id"):
            reason = applicant._recruit_sms_blocked_reason()
            if not reason and applicant.recruit_sms_number in seen:
                reason = self.env._("Duplicate number in this campaign (%(number)s)", number=applicant.recruit_sms_number)
            if reason:
                excluded[applicant] = reason
            else:
                seen.add(applicant.recruit_sms_number)
                eligible |= applicant
        return eligible, excluded

    @staticmethod
    def _exclusion_kind(reason):
        for words, kind in (("opted out", "opted out"), ("not agreed", "no consent"), ("cannot be texted", "invalid number"),
                            ("no phone", "no phone number"), ("Duplicate", "duplicate number")):
            if words in reason:
                return kind
        return "other"

    @api.depends("recipient_ids", "body", "rate")
    def _compute_review(self):
        for campaign in self:
            eligible, excluded = campaign._recruit_sms_split_recipients()
            segments = count_segments(campaign.body or "").segments
            kinds = Counter(self._exclusion_kind(reason) for reason in excluded.values())
            seconds = len(eligible) / (campaign.rate or 1.0)
            campaign.review_recipients = len(campaign.recipient_ids)
            campaign.review_eligible = len(eligible)
            campaign.review_exclusions = "\n".join(f"{kind}: {count}" for kind, count in sorted(kinds.items())) or False
            campaign.review_segments = segments
            campaign.review_total_segments = segments * len(eligible)
            campaign.review_duration = str(timedelta(seconds=round(seconds)))
            campaign.review_warning = self.env._(
                "More than %(limit)s recipients: consider smaller campaigns (carriers watch large bursts).",
                limit=REVIEW_WARNING_ABOVE,
            ) if len(campaign.recipient_ids) > REVIEW_WARNING_ABOVE else False

    @api.depends("line_ids.state", "line_ids.delivery_state")
    def _compute_counts(self):
        for campaign in self:
            lines = campaign.line_ids
            counted = Counter(lines.mapped("state"))
            campaign.count_sent = counted["sent"]
            campaign.count_failed = counted["failed"]
            campaign.count_pending = counted["pending"]
            campaign.count_held = counted["held"]
            campaign.count_delivered = len(lines.filtered(lambda line: line.delivery_state == "delivered"))
            campaign.count_replied = len(lines.filtered("replied"))
            campaign.count_opted_out = len(lines.filtered("opted_out"))
            todo = len(lines.filtered(lambda line: line.state != "excluded"))
            campaign.progress = 100.0 * (counted["sent"] + counted["failed"]) / todo if todo else 0.0

    # ------------------------------------------------------------
    # Edit rules: content only while unsent; finished campaigns are immutable
    # ------------------------------------------------------------

    def write(self, vals):
        if self.env.context.get("recruit_sms_campaign_state_only"):
            return super().write(vals)
        if self.filtered(lambda c: c.state in ("done", "cancelled")) and set(vals) - {"message_follower_ids"}:
            raise UserError(self.env._("A finished campaign cannot be changed."))
        if CONTENT_FIELDS & set(vals) and self.filtered(lambda c: c.state not in ("draft", "scheduled")):
            raise UserError(self.env._("A campaign can only be edited while it is unsent (draft or scheduled)."))
        return super().write(vals)

    def _set_state(self, state):
        """The engine's and the actions' own moves, past the edit rules."""
        return self.with_context(recruit_sms_campaign_state_only=True).write({"state": state})

    @api.ondelete(at_uninstall=False)
    def _unlink_only_unsent(self):
        if self.filtered(lambda c: c.state not in ("draft", "scheduled")):
            raise UserError(self.env._("Only an unsent campaign (draft or scheduled) can be deleted."))

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_send(self):
        """Review done: freeze the recipients into one line each, then send now or at the
        scheduled time."""
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(self.env._("Only a draft campaign can be sent."))
            if not (campaign.body or "").strip():
                raise UserError(self.env._("Body is required: write the message to send."))
            if campaign.schedule == "later" and not campaign.scheduled_at:
                raise UserError(self.env._("Send at is required for a scheduled campaign."))
            eligible, excluded = campaign._recruit_sms_split_recipients()
            if not eligible:
                raise UserError(self.env._("No recipient can receive this campaign: see the review."))
            self.env["recruit.sms.campaign.line"].sudo().create(
                [{"campaign_id": campaign.id, "applicant_id": a.id, "number": a.recruit_sms_number} for a in eligible]
                + [{"campaign_id": campaign.id, "applicant_id": a.id, "number": a.recruit_sms_number or a.partner_phone,
                    "state": "excluded", "failure_reason": reason} for a, reason in excluded.items()]
            )
            later = campaign.schedule == "later" and campaign.scheduled_at > fields.Datetime.now()
            campaign._set_state("scheduled" if later else "sending")
            self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger(
                campaign.scheduled_at if later else None)
        return True

    def action_cancel(self):
        for campaign in self:
            if campaign.state not in ("draft", "scheduled", "sending"):
                raise UserError(self.env._("This campaign is finished."))
            campaign.line_ids.filtered(lambda line: line.state == "pending").sudo().write({"state": "cancelled"})
            campaign._set_state("cancelled")
        return True

    def action_retry_failed(self):
        for campaign in self:
            failed = campaign.line_ids.filtered(lambda line: line.state == "failed")
            if not failed:
                raise UserError(self.env._("No failed message to retry."))
            failed.sudo().write({"state": "pending", "attempts": 0, "next_attempt_at": False, "failure_reason": False})
            campaign._set_state("sending")
            self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger()
        return True

    # ------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------

    @api.model
    def _cron_send(self):
        """Cron: send what is due, one committed message at a time, so a worker that dies
        loses nothing and the next run continues where it stopped."""
        self._recruit_sms_send_due(commit=self.env["ir.cron"]._commit_progress)

    @api.model
    def _recruit_sms_send_due(self, limit=None, clock=None, commit=None):
        """Send due campaign messages, paced per company; returns how many were handed to
        the provider. ``clock`` is (now, sleep) for the pacer; ``commit`` is called after
        each message (the cron commits there)."""
        now = fields.Datetime.now()
        self.search([("state", "=", "scheduled"), ("scheduled_at", "<=", now)])._set_state("sending")
        handed = 0
        pacers = {}
        for campaign in self.search([("state", "=", "sending")], order="id"):
            pacer = pacers.setdefault(campaign.company_id, pacing.Pacer(
                campaign.rate, **({"clock": clock[0], "sleep": clock[1]} if clock else {})))
            while limit is None or handed < limit:
                line = self.env["recruit.sms.campaign.line"]._recruit_sms_claim_next(campaign)
                if not line:
                    break
                pacer.wait()
                with self.env.cr.savepoint():
                    handed += line._recruit_sms_send()
                if commit:
                    commit(1)
            campaign._recruit_sms_close_if_done()
        return handed

    def _recruit_sms_close_if_done(self):
        lines = self.line_ids
        if not lines.filtered(lambda line: line.state == "pending"):
            return self._set_state("done")
        if waiting := lines.filtered(lambda line: line.state == "pending" and line.next_attempt_at):
            self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger(min(waiting.mapped("next_attempt_at")))
        return True


class RecruitSmsCampaignLine(models.Model):
    """One recipient of a campaign: exactly one SMS, retried on transient errors."""

    _name = "recruit.sms.campaign.line"
    _description = "Text campaign message"
    _order = "id"

    campaign_id = fields.Many2one("recruit.sms.campaign", required=True, ondelete="cascade", index=True)
    applicant_id = fields.Many2one("hr.applicant", required=True, ondelete="cascade")
    number = fields.Char()
    state = fields.Selection(
        [("pending", "To send"), ("held", "Held (quiet hours)"), ("sent", "Sent"), ("failed", "Failed"),
         ("excluded", "Excluded"), ("cancelled", "Cancelled")],
        default="pending", required=True, index=True,
    )
    attempts = fields.Integer(default=0)
    next_attempt_at = fields.Datetime()
    failure_reason = fields.Char()
    mail_message_id = fields.Many2one("mail.message", "Message")
    sent_at = fields.Datetime()
    delivery_state = fields.Char(compute="_compute_delivery_state")
    replied = fields.Boolean(compute="_compute_delivery_state")
    opted_out = fields.Boolean(compute="_compute_delivery_state")

    _applicant_once = models.Constraint(
        "unique(campaign_id, applicant_id)",
        "An applicant receives a campaign once.",
    )

    def _compute_delivery_state(self):
        numbers = [n for n in self.mapped("number") if n]
        blacklisted = set(self.env["phone.blacklist"].sudo().search([("number", "in", numbers)]).mapped("number"))
        for line in self:
            notification = line.mail_message_id.notification_ids.filtered(lambda n: n.notification_type == "sms")[:1]
            line.delivery_state = "delivered" if notification.notification_status == "sent" else (notification.notification_status or False)
            last_in = line.applicant_id.recruit_sms_last_inbound_date
            line.replied = bool(line.sent_at and last_in and last_in > line.sent_at)
            line.opted_out = line.number in blacklisted

    @api.model
    def _recruit_sms_claim_next(self, campaign):
        """Lock the next due line of ``campaign`` (another worker skips it)."""
        self.flush_model()
        self.env.cr.execute("""
            SELECT id FROM recruit_sms_campaign_line
             WHERE campaign_id = %s AND state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= %s)
             ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
        """, [campaign.id, fields.Datetime.now()])
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    def _recruit_sms_send(self):
        """Send this line's SMS; returns 1 when the provider was called."""
        self.ensure_one()
        campaign, applicant = self.campaign_id, self.applicant_id.with_company(self.campaign_id.company_id)
        reason = applicant._recruit_sms_blocked_reason()
        if reason:
            self.write({"state": "failed", "failure_reason": reason})
            return 0
        if self.mail_message_id:
            sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", self.mail_message_id.id)], limit=1)
            sms.action_set_outgoing()
        else:
            body = self.env["mail.render.mixin"]._render_template(
                campaign.body, "hr.applicant", applicant.ids, engine="inline_template")[applicant.id]
            if applicant.partner_id:
                recipients = {"partner_ids": applicant.partner_id.ids, "sms_pid_to_number": {applicant.partner_id.id: self.number}}
            else:
                recipients = {"partner_ids": [], "sms_numbers": [self.number]}
            message = applicant.with_context(recruit_sms_manual=False).sudo()._message_sms(
                body, subject=campaign.name, put_in_queue=True, **recipients)
            self.mail_message_id = message
            sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)], limit=1)
        sms.send(raise_exception=False)
        sms = sms.exists()
        self.attempts += 1
        if sms and sms.state == "outgoing" and sms.recruit_sms_hold_until:
            # outside the recipient's hours: the SMS queue sends it when they open
            self.write({"state": "held", "failure_reason": self.env._(
                "Held until %(when)s (UTC), the recipient's texting hours", when=sms.recruit_sms_hold_until)})
        elif not sms or sms.state in ("pending", "sent"):
            self.write({"state": "sent", "sent_at": fields.Datetime.now(), "failure_reason": False})
        elif sms.failure_type == "sms_server" and self.attempts < MAX_ATTEMPTS:
            self.write({"next_attempt_at": fields.Datetime.now() + timedelta(seconds=pacing.backoff(self.attempts)),
                        "failure_reason": self.env._("Provider unavailable, retrying")})
        else:
            notification = self.mail_message_id.notification_ids.filtered(lambda n: n.notification_type == "sms")[:1]
            self.write({"state": "failed", "failure_reason": notification.failure_reason or sms.failure_type or "error"})
        return 1
