import logging
import time
from collections import Counter
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import pacing
from ..tools.segments import count_segments
from .sms_api import open_sms_stream

_logger = logging.getLogger(__name__)

REVIEW_WARNING_ABOVE = 500
BATCH_SECONDS = 10
BATCH_MAX = 500
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
    review_senders = fields.Char("Sent from", compute="_compute_review",
                                 help="Each sender (Twilio number or Messaging Service) and its pace.")
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
        eligible_ids, excluded, seen = [], {}, set()
        opted_out = self.env["phone.blacklist"]._recruit_sms_opted_out(self.recipient_ids.mapped("recruit_sms_number"))
        for applicant in self.recipient_ids.sorted("id"):
            reason = applicant._recruit_sms_blocked_reason(opted_out=opted_out)
            if not reason and applicant.recruit_sms_number in seen:
                reason = self.env._("Duplicate number in this campaign (%(number)s)", number=applicant.recruit_sms_number)
            if reason:
                excluded[applicant] = reason
            else:
                seen.add(applicant.recruit_sms_number)
                eligible_ids.append(applicant.id)
        # one recordset at the end: growing it one applicant at a time is quadratic
        return self.env["hr.applicant"].browse(eligible_ids), excluded

    @staticmethod
    def _exclusion_kind(reason):
        for words, kind in (("opted out", "opted out"), ("not agreed", "no consent"), ("cannot be texted", "invalid number"),
                            ("no phone", "no phone number"), ("Duplicate", "duplicate number")):
            if words in reason:
                return kind
        return "other"

    @api.depends("recipient_ids", "body", "company_id")
    def _compute_review(self):
        for campaign in self:
            eligible, excluded = campaign._recruit_sms_split_recipients()
            segments = count_segments(campaign.body or "").segments
            kinds = Counter(self._exclusion_kind(reason) for reason in excluded.values())
            stream = open_sms_stream(self.env, campaign.company_id)
            per_sender = Counter(stream.sender(number) for number in eligible.mapped("recruit_sms_number"))
            # senders go side by side: the slowest of them sets the duration
            seconds = max((count / stream.rate(sender) for sender, count in per_sender.items()), default=0)
            campaign.review_recipients = len(campaign.recipient_ids)
            campaign.review_eligible = len(eligible)
            campaign.review_exclusions = "\n".join(f"{kind}: {count}" for kind, count in sorted(kinds.items())) or False
            campaign.review_segments = segments
            campaign.review_total_segments = segments * len(eligible)
            campaign.review_duration = str(timedelta(seconds=round(seconds)))
            campaign.review_senders = ", ".join(
                self.env._("%(sender)s at %(rate)g/s", sender=sender or self.env._("the SMS provider"), rate=stream.rate(sender))
                for sender in sorted(per_sender)) or False
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
        if CONTENT_FIELDS & set(vals):
            self._recruit_sms_check_unsent()
        return super().write(vals)

    def _recruit_sms_check_unsent(self):
        if self.filtered(lambda c: c.state not in ("draft", "scheduled")):
            raise UserError(self.env._("A campaign can only be edited while it is unsent (draft or scheduled)."))

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
            campaign._recruit_sms_check_body(eligible[:1])
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

    def _recruit_sms_check_body(self, applicant):
        """Render the body once now, as its author: a merge field the author may not use
        stops the campaign here, with the way out, rather than in the sending engine."""
        try:
            self.env["mail.render.mixin"]._render_template(self.body, "hr.applicant", applicant.ids, engine="inline_template")
        except (AccessError, UserError) as error:
            raise UserError(self.env._(
                "Body: a merge field cannot be used (%(error)s). Use only these, or ask a Mail Template Editor: %(fields)s",
                error=error.args[0] if error.args else error,
                fields=", ".join(f"{{{{ {expression} }}}}" for expression in applicant.mail_allowed_qweb_expressions()),
            )) from error

    def action_cancel(self):
        for campaign in self:
            if campaign.state not in ("draft", "scheduled", "sending"):
                raise UserError(self.env._("This campaign is finished."))
            unsent = campaign.line_ids.filtered(lambda line: line.state in ("pending", "held")).sudo()
            unsent.write({"state": "cancelled", "next_attempt_at": False})
            posted = self.env["sms.sms"].sudo().search([("uuid", "in", [u for u in unsent.mapped("sms_uuid") if u])])
            posted._update_sms_state_and_trackers("canceled")
            campaign._set_state("cancelled")
        return True

    def action_retry_failed(self):
        for campaign in self:
            failed = campaign.line_ids.filtered(lambda line: line.state == "failed")
            if not failed:
                raise UserError(self.env._("No failed message to retry."))
            failed.sudo().write({"state": "pending", "attempts": 0, "next_attempt_at": False, "failure_reason": False,
                                 "to_settle": False})
            campaign._set_state("sending")
            self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger()
        return True

    # ------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------

    @api.model
    def _cron_send(self):
        """Cron: send what is due. Odoo runs a cron job on one worker at a time, whichever
        server it is on, so a sender's pace holds across them all; each message's outcome
        is committed before the next one goes, so a worker that dies loses nothing and the
        next run continues where it stopped."""
        self._recruit_sms_send_due(commit=True)

    @api.model
    def _recruit_sms_send_due(self, limit=None, clock=None, commit=False):
        """Send due campaign messages, each sender at its own pace; returns how many were
        handed to the provider. ``clock`` is (now, sleep) for the pacers: by default the
        wall clock, which every server shares, so that a sender's pace resumes from one run
        to the next wherever they run."""
        now_fn, sleep_fn = clock or (time.time, time.sleep)
        self.search([("state", "=", "scheduled"), ("scheduled_at", "<=", fields.Datetime.now())])._set_state("sending")
        handed = 0
        for company, campaigns in self.search([("state", "=", "sending")], order="id").grouped("company_id").items():
            stream = open_sms_stream(self.env, company)
            pacers = {}

            def make_pacer(sender, stream=stream):
                pacer = pacing.Pacer(stream.rate(sender), clock=now_fn, sleep=sleep_fn)
                pacer.resume_after(self.env["recruit.sms.campaign.line"]._recruit_sms_last_handed(sender))
                return pacer

            try:
                for campaign in campaigns:
                    budget = None if limit is None else limit - handed
                    if budget is not None and budget <= 0:
                        break
                    handed += campaign._recruit_sms_run(stream, pacers, make_pacer, now_fn=now_fn, budget=budget, commit=commit)
            finally:
                stream.close()
        return handed

    def _recruit_sms_run(self, stream, pacers, make_pacer, *, now_fn, budget, commit):
        self.ensure_one()
        lines = self.env["recruit.sms.campaign.line"]
        # outcomes a dead worker recorded without updating the delivery tracking
        lines.search([("campaign_id", "=", self.id), ("to_settle", "=", True)])._recruit_sms_settle(stream, commit=commit)
        # a batch spans about BATCH_SECONDS at the sender's pace: the gate it passed stays fresh
        size = max(1, min(BATCH_MAX, int(stream.max_rate() * BATCH_SECONDS)))
        handed = 0
        while budget is None or handed < budget:
            batch = lines._recruit_sms_claim(self, size if budget is None else min(size, budget - handed))
            if not batch:
                break
            handoffs = batch._recruit_sms_prepare(stream)
            if commit:  # the batch's messages are posted: keep them whatever happens next
                self.env["ir.cron"]._commit_progress(0)
            handed += lines._recruit_sms_hand_off(handoffs, stream, pacers, make_pacer, clock=now_fn, commit=commit)
            batch._recruit_sms_settle(stream, commit=commit)
            # what is left tells Odoo's cron to call again at once rather than at its interval
            if commit and self.env["ir.cron"]._commit_progress(len(batch), remaining=lines._recruit_sms_due_count()) <= 0:
                break  # out of time: the cron calls again for the rest
        self._recruit_sms_close_if_done()
        return handed

    def _recruit_sms_close_if_done(self):
        lines = self.line_ids
        if not lines.filtered(lambda line: line.state in ("pending", "held")):
            return self._set_state("done")
        if waiting := lines.filtered(lambda line: line.state in ("pending", "held") and line.next_attempt_at):
            self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger(min(waiting.mapped("next_attempt_at")))
        return True
