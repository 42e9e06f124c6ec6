import logging
import time
from ast import literal_eval
from collections import Counter
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..providers import open_sms_stream
from ..tools import deliverability, gsm_repair, pacing, phone
from ..tools.segments import count_segments
from ..tools.server_flag import ServerFlag
from .recruit_sms_campaign_line import UNCONFIRMED_FAILURE
from .sms_sms import TEXT_CHANNELS

_logger = logging.getLogger(__name__)

REVIEW_WARNING_ABOVE = 500
BATCH_SECONDS = 10
BATCH_MAX = 1000  # ten seconds at 100 a second: each batch's preparation pauses the hand-offs
CONTENT_FIELDS = {"name", "job_id", "body", "template_id", "recipient_ids", "list_id", "schedule", "scheduled_at",
                  "company_id", "channel", "whatsapp_template_id"}
# set by the campaign's own actions and engine, never from values a caller sends
SERVER_FIELDS = {"state", "sent_by_id", "line_ids", "sent_exclusions", "pause_reason", "resumed_at"}
# the campaign's own actions and engine are writing: the edit rules are theirs to apply
_OWN_WRITE = ServerFlag("recruit_sms_campaign_own_write", default=False)


class RecruitSmsCampaign(models.Model):
    """A bulk text (a text campaign, a "blast"): one individual SMS per
    recipient, on their own conversation, sent by a paced, resumable cron."""

    _name = "recruit.sms.campaign"
    _description = "Text campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    job_id = fields.Many2one("hr.job", "Job position", check_company=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    template_id = fields.Many2one("sms.template", domain=[("model", "=", "hr.applicant")])
    body = fields.Text(help="Merge fields: {{ object.partner_name }}, {{ object.job_id.name }}, ...")
    channel = fields.Selection(
        TEXT_CHANNELS, "Send on", required=True, default="sms",
        help="WhatsApp campaigns send an approved template: most recipients have not written there in the last 24 "
             "hours, when WhatsApp accepts nothing else.")
    whatsapp_template_id = fields.Many2one(
        "recruit.sms.whatsapp.template", "WhatsApp template", check_company=True, ondelete="restrict",
        help="The approved template each recipient receives, its variables filled from their application.")
    recipient_ids = fields.Many2many("hr.applicant", string="Recipients", check_company=True)
    list_id = fields.Many2one(
        "recruit.sms.list", "Text list", check_company=True,
        help="Its applicants receive the campaign too: a list of conditions is evaluated when the campaign is sent "
             "(the review shows who matches now).",
    )
    recipient_filter_id = fields.Many2one(
        "ir.filters", "Saved filter", domain=[("model_id", "=", "hr.applicant")],
        help="A favorite saved on the applicant list: its domain fills 'Applicants matching'.",
    )
    recipient_domain = fields.Char(
        "Applicants matching", default="[]",
        help="Add recipients: every applicant you can see that matches these conditions.",
    )
    sent_by_id = fields.Many2one("res.users", "Sent by", readonly=True, copy=False,
                                 help="Who sent the campaign: its messages are theirs in each conversation.")
    schedule = fields.Selection([("now", "Send now"), ("later", "At a date and time")], required=True, default="now")
    scheduled_at = fields.Datetime("Send at")
    state = fields.Selection(
        [("draft", "Draft"), ("scheduled", "Scheduled"), ("sending", "Sending"), ("paused", "Paused"), ("done", "Done"),
         ("cancelled", "Cancelled")],
        default="draft", required=True, tracking=True, index=True,
    )
    pause_reason = fields.Text("Why it paused", readonly=True, copy=False)
    resumed_at = fields.Datetime("Resumed", readonly=True, copy=False,
                                 help="When a manager last resumed it: the brake counts its texts settled since.")
    review_senders = fields.Char("Sent from", compute="_compute_review",
                                 help="Each sender (Twilio number or Messaging Service) and its pace.")
    line_ids = fields.One2many("recruit.sms.campaign.line", "campaign_id", "Recipient messages")

    # review
    sent_exclusions = fields.Text(
        "Excluded when sent", readonly=True, copy=False,
        help="The review's exclusions as they stood when the campaign was sent: a sent campaign's review is frozen.")
    review_recipients = fields.Integer("Selected recipients", compute="_compute_review")
    review_eligible = fields.Integer("Will receive it", compute="_compute_review")
    review_exclusions = fields.Text("Excluded", compute="_compute_review")
    review_held = fields.Text(
        "Held if sent now", compute="_compute_review",
        help="Recipients the texting hours or the law of their place (hours, texts per 24 hours) hold now: they "
             "receive it when allowed.")
    review_segments = fields.Integer("SMS per message", compute="_compute_review")
    review_total_segments = fields.Integer("SMS in all", compute="_compute_review")
    review_duration = fields.Char("Expected duration", compute="_compute_review")
    # a float, not a Monetary: SMS cost fractions of a cent, which the currency's rounding would lose
    review_cost = fields.Float("Estimated cost", compute="_compute_review", digits=(16, 4),
                               help="SMS in all at the prices per country of Settings > SMS prices per country, in "
                                    "the company's currency.")
    review_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    review_cost_missing = fields.Char("Countries without a price", compute="_compute_review")
    review_repair = fields.Char("Costly characters", compute="_compute_review")
    review_warning = fields.Char(compute="_compute_review")
    review_words = fields.Text(
        "What carriers may filter", compute="_compute_review_words",
        help="Words and forms carriers filter as spam, each with how to fix it. A warning: the campaign may still go.")

    # dashboard
    count_sent = fields.Integer("Sent", compute="_compute_counts")
    count_delivered = fields.Integer("Delivered", compute="_compute_counts")
    count_failed = fields.Integer("Failed", compute="_compute_counts")
    count_replied = fields.Integer("Replied", compute="_compute_counts")
    count_opted_out = fields.Integer("Opted out", compute="_compute_counts")
    count_pending = fields.Integer("To send", compute="_compute_counts")
    held_note = fields.Char("Held until", compute="_compute_counts")
    count_held = fields.Integer("Held", compute="_compute_counts")
    # what the carriers answered for its texts (tools/deliverability)
    count_filtered = fields.Integer("Filtered (30007)", compute="_compute_counts")
    count_unregistered = fields.Integer("Unregistered (30034)", compute="_compute_counts")
    count_cannot_receive = fields.Integer("Landline or no such number", compute="_compute_counts")
    progress = fields.Float(compute="_compute_counts")

    @api.onchange("template_id")
    def _onchange_template_id(self):
        if self.template_id:
            self.body = self.template_id.body

    # ------------------------------------------------------------
    # Who gets it: the same gate as every SMS
    # ------------------------------------------------------------

    def _recruit_sms_split_recipients(self):
        """(eligible applicants, {applicant: (verdict, request)}), as the gate decides for a
        campaign: one text per number, in the recipients' order."""
        self.ensure_one()
        return self.env["recruit.sms.gate"]._split_for_campaign(self._recruit_sms_recipients().sorted("id"), self.company_id)
    def _recruit_sms_recipients(self):
        """The recipients chosen, and the list's applicants as of now."""
        self.ensure_one()
        if not self.list_id:
            return self.recipient_ids
        return self.recipient_ids | self.list_id._recruit_sms_members()

    @api.onchange("recipient_filter_id")
    def _onchange_recipient_filter_id(self):
        if self.recipient_filter_id:
            self.recipient_domain = self.recipient_filter_id.domain

    def _recruit_sms_recipient_domain(self):
        self.ensure_one()
        try:
            domain = Domain(literal_eval(self.recipient_domain or "[]"))
            self.env["hr.applicant"]._search(domain)  # field names checked now, not at send time
        except (ValueError, SyntaxError, TypeError, KeyError) as error:
            raise UserError(self.env._(
                "Applicants matching: %(domain)s is not a usable condition (%(error)s). Pick the "
                "conditions again with the editor, or choose a saved filter.",
                domain=self.recipient_domain, error=error,
            )) from error
        return domain

    def action_add_recipients(self):
        """Add the applicants matching the domain (as the current user sees them: record
        rules apply) to the recipients, without duplicates."""
        self._recruit_sms_check_unsent()  # before the search: a sent campaign says so, whatever matches
        for campaign in self:
            domain = campaign._recruit_sms_recipient_domain()
            if domain.is_true():
                raise UserError(self.env._(
                    "Applicants matching: set at least one condition (or a saved filter) before adding "
                    "applicants, so that a campaign never goes to every applicant by mistake."))
            try:
                found = self.env["hr.applicant"].search(domain & Domain("id", "not in", campaign.recipient_ids.ids))
            except ValueError as error:  # a value the database cannot take (a NUL byte)
                raise UserError(self.env._("Applicants matching: a condition holds a value that cannot be searched "
                                           "(%(error)s); change it.", error=str(error)[:200])) from None
            if not found:
                raise UserError(self.env._("Applicants matching: no applicant you can see matches that is not already a recipient."))
            campaign.write({"recipient_ids": [fields.Command.link(applicant.id) for applicant in found]})
        return True

    @api.depends("recipient_ids", "list_id", "body", "company_id", "channel", "whatsapp_template_id", "state",
                 "line_ids")
    def _compute_review(self):
        for campaign in self:
            if campaign.state not in ("draft", False) and campaign.line_ids:
                campaign._recruit_sms_frozen_review()
                continue
            try:
                eligible, excluded = campaign._recruit_sms_split_recipients()
            except UserError as error:  # its list cannot be read (conditions cleared): say so, stay open
                eligible, excluded = self.env["hr.applicant"], {}
                campaign.update({"review_recipients": 0, "review_eligible": 0, "review_exclusions": str(error),
                                 "review_segments": 0, "review_total_segments": 0, "review_duration": False,
                                 "review_cost": 0.0, "review_cost_missing": False, "review_repair": False,
                                 "review_senders": False, "review_warning": str(error), "review_held": False})
                continue
            on_whatsapp = campaign.channel == "whatsapp"
            segments = 1 if on_whatsapp else count_segments(campaign.body or "").segments
            stream = open_sms_stream(self.env, campaign.company_id)
            per_sender = Counter(stream.sender(number) for number in eligible.mapped("phone_sanitized"))
            # senders go side by side: the slowest of them sets the duration
            seconds = max((count / stream.rate(sender) for sender, count in per_sender.items()), default=0)
            campaign.review_recipients = len(eligible) + len(excluded)
            campaign.review_eligible = len(eligible)
            campaign.review_exclusions = self.env["recruit.sms.gate"]._summary(
                verdict for verdict, _request in excluded.values())
            campaign.review_held = self.env["recruit.sms.gate"]._held_now(eligible, campaign.company_id) \
                if campaign.state in ("draft", "scheduled") else False
            campaign.review_segments = segments
            campaign.review_total_segments = segments * len(eligible)
            campaign.review_duration = str(timedelta(seconds=round(seconds)))
            prices = self.env["recruit.sms.price"]._recruit_sms_prices(campaign.company_id)
            cost, unpriced = phone.cost(eligible.mapped("phone_sanitized"), segments, prices)
            campaign.review_cost = 0.0 if on_whatsapp else cost
            campaign.review_cost_missing = self.env._("WhatsApp: priced by Twilio per message and country") if on_whatsapp \
                else (", ".join(unpriced) if prices else self.env._(
                    "every country: set the prices in Settings > SMS > SMS prices per country")) if unpriced else False
            campaign.review_repair = not on_whatsapp and self.env["recruit.sms.composer"]._format_repair(campaign.body)
            campaign.review_senders = ", ".join(
                self.env._("%(sender)s at %(rate)g/s", sender=sender or self.env._("the SMS provider"), rate=stream.rate(sender))
                for sender in sorted(per_sender)) or False
            campaign.review_warning = self.env._(
                "More than %(limit)s recipients: consider smaller campaigns (carriers watch large bursts).",
                limit=REVIEW_WARNING_ABOVE,
            ) if len(eligible) + len(excluded) > REVIEW_WARNING_ABOVE else False

    @api.depends("body", "channel", "company_id")
    def _compute_review_words(self):
        for campaign in self:
            if campaign.channel == "whatsapp" or not campaign.body:
                campaign.review_words = False
                continue
            company = campaign.company_id
            names = [company.name, company.partner_id.commercial_company_name, *(company.name or "").split()[:1]]
            advice = campaign._recruit_sms_word_advice()
            campaign.review_words = "\n".join(
                advice[code] % {"words": words} for code, words in deliverability.preflight(campaign.body, names)) or False

    def _recruit_sms_word_advice(self):
        """Why each pre-flight warning matters, and how to fix it."""
        return {
            deliverability.SHORTENER: self.env._(
                "Link shortener (%(words)s): carriers filter public shorteners on sight. Put the full link, or Twilio's "
                "link shortening on your own domain."),
            deliverability.NO_COMPANY: self.env._(
                "No company name: carriers expect the sender to say who they are. Start with your company's name."),
            deliverability.CAPITALS: self.env._(
                "Mostly capital letters: read as shouting and spam. Write in normal case."),
            deliverability.EXCLAMATIONS: self.env._(
                "Several exclamation marks (%(words)s): a spam signal. Keep one at most."),
            deliverability.MONEY: self.env._(
                "Money or 'free' wording (%(words)s): carriers filter it. Say the pay plainly in the job's terms, or "
                "leave it for the conversation."),
        }

    def _recruit_sms_frozen_review(self):
        """A sent (or scheduled) campaign's review: who it was for and what it cost, as
        when it was sent (its recipients are its lines), never recomputed against today's
        opt-outs and consents."""
        lines = self.line_ids
        eligible = lines.filtered(lambda line: line.state != "excluded")
        on_whatsapp = self.channel == "whatsapp"
        segments = 1 if on_whatsapp else count_segments(self.body or "").segments
        prices = self.env["recruit.sms.price"]._recruit_sms_prices(self.company_id)
        cost, unpriced = phone.cost(eligible.mapped("number"), segments, prices)
        self.update({
            "review_recipients": len(lines), "review_eligible": len(eligible),
            "review_exclusions": self.sent_exclusions or False, "review_held": False,
            "review_segments": segments, "review_total_segments": segments * len(eligible),
            "review_duration": False, "review_cost": 0.0 if on_whatsapp else cost,
            "review_cost_missing": (", ".join(unpriced) or False) if prices and not on_whatsapp else False,
            "review_repair": False, "review_warning": False,
            "review_senders": ", ".join(sorted(set(lines.mapped("sender")) - {False, ""})) or False,
        })

    @api.depends("line_ids.state", "line_ids.delivery_state")
    def _compute_counts(self):
        for campaign in self:
            lines = campaign.line_ids
            counted = Counter(lines.mapped("state"))
            campaign.count_sent = counted["sent"]
            campaign.count_failed = counted["failed"]
            campaign.count_pending = counted["pending"]
            campaign.count_held = counted["held"]
            held = lines.filtered(lambda line: line.state == "held" and line.next_attempt_at)
            campaign.held_note = self.env._(
                "%(count)s held until %(when)s at the earliest: their texting hours, or the law of their place "
                "(each line says which).", count=len(held),
                when=self.env.user._recruit_sms_moment(min(held.mapped("next_attempt_at")))) if held else False
            campaign.count_delivered = len(lines.filtered(lambda line: line.delivery_state == "delivered"))
            campaign.count_replied = len(lines.filtered("replied"))
            campaign.count_opted_out = len(lines.filtered("opted_out"))
            codes = Counter(lines.mapped("error_code"))
            campaign.count_filtered = codes[deliverability.FILTERED]
            campaign.count_unregistered = codes[deliverability.UNREGISTERED]
            campaign.count_cannot_receive = sum(codes[code] for code in deliverability.CANNOT_RECEIVE)
            todo = len(lines.filtered(lambda line: line.state != "excluded"))
            campaign.progress = 100.0 * (counted["sent"] + counted["failed"]) / todo if todo else 0.0

    # ------------------------------------------------------------
    # Edit rules: content only while unsent; finished campaigns are immutable
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            for name in SERVER_FIELDS:
                vals.pop(name, None)
        return super().create(vals_list)

    def write(self, vals):
        if _OWN_WRITE.get():
            return super().write(vals)
        if SERVER_FIELDS & set(vals):
            raise UserError(self.env._(
                "A campaign's state and sender change only through its buttons (Send, Cancel, Retry failed)."))
        if self.filtered(lambda c: c.state in ("done", "cancelled")) and set(vals) - {"message_follower_ids"}:
            raise UserError(self.env._("A finished campaign cannot be changed."))
        if CONTENT_FIELDS & set(vals):
            self._recruit_sms_check_unsent()
        return super().write(vals)

    def _recruit_sms_check_unsent(self):
        if self.filtered(lambda c: c.state not in ("draft", "scheduled")):
            raise UserError(self.env._("A campaign can only be edited while it is unsent (draft or scheduled)."))

    def _set_state(self, state, **values):
        """The actions' and the engine's own moves, which the edit rules of ``write`` do
        not apply to."""
        with _OWN_WRITE.set(True):
            return self.write({"state": state, **values})

    @api.constrains("body")
    def _check_body_merge_fields(self):
        """Campaign bodies are rendered in restricted mode, for everyone: only the merge
        fields recruiters may use (checked on every save, whoever writes)."""
        render = self.env["mail.render.mixin"]
        for campaign in self:
            if render._has_unsafe_expression_template_inline_template(campaign.body or "", "hr.applicant"):
                raise ValidationError(self.env._(
                    "Body: only these merge fields can be used in a campaign: %(fields)s. Remove the others.",
                    fields=self._recruit_sms_merge_fields()))

    @api.model
    def _recruit_sms_merge_fields(self):
        expressions = dict.fromkeys(self.env["hr.applicant"].mail_allowed_qweb_expressions())
        return ", ".join(f"{{{{ {expression} }}}}" for expression in expressions)

    @api.model
    def _recruit_sms_render(self, body, applicants):
        """{applicant id: text}: the body rendered in restricted mode (the listed merge
        fields, no code), whoever runs it."""
        return self.env["mail.render.mixin"]._render_template_inline_template_regex(body, "hr.applicant", applicants.ids)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_unsent(self):
        if self.filtered(lambda c: c.state not in ("draft", "scheduled")):
            raise UserError(self.env._("Only an unsent campaign (draft or scheduled) can be deleted."))

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_recruit_sms_analytics(self):
        """The texting analytics of this campaign: its texts and the replies to them."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["recruit.sms.report"].action_recruit_sms_dashboard()
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_repair_body(self):
        """Replace the costly look-alike characters of the draft's text."""
        for campaign in self.filtered(lambda c: c.state in ("draft", "scheduled")):
            campaign.body = gsm_repair.repair(campaign.body or "")[0]
        return True

    def action_send(self):
        """Review done: freeze the recipients into one line each, then send now or at the
        scheduled time."""
        gate_model = self.env["recruit.sms.gate"]
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(self.env._("Only a draft campaign can be sent."))
            if campaign.channel == "whatsapp":
                campaign.company_id._recruit_sms_check_whatsapp()
                if not campaign.whatsapp_template_id:
                    raise UserError(self.env._(
                        "WhatsApp template is required: a campaign on WhatsApp can only send an approved template, "
                        "since most recipients have not written there in the last 24 hours."))
            elif not (campaign.body or "").strip():
                raise UserError(self.env._("Body is required: write the message to send."))
            if campaign.schedule == "later" and not campaign.scheduled_at:
                raise UserError(self.env._("Send at is required for a scheduled campaign."))
            eligible, excluded = campaign._recruit_sms_split_recipients()
            if not eligible:
                raise UserError(self.env._("No recipient can receive this campaign: see the review."))
            if campaign.channel == "sms":
                campaign._recruit_sms_check_body(eligible[:1])
            self.env["recruit.sms.campaign.line"].sudo().create(
                [{"campaign_id": campaign.id, "applicant_id": a.id, "number": a.phone_sanitized} for a in eligible]
                + [{"campaign_id": campaign.id, "applicant_id": a.id, "number": a.phone_sanitized or a.partner_phone,
                    "state": "excluded", "failure_reason": gate_model._message(verdict, request)}
                   for a, (verdict, request) in excluded.items()]
            )
            later = campaign.schedule == "later" and campaign.scheduled_at > fields.Datetime.now()
            campaign._set_state("scheduled" if later else "sending", sent_by_id=self.env.uid,
                                sent_exclusions=gate_model._summary(verdict for verdict, _request in excluded.values()))
            self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger(
                campaign.scheduled_at if later else None)
        return True

    def _recruit_sms_check_body(self, applicant):
        """Render the body once now: a merge field that cannot be rendered stops the
        campaign here, with the way out, rather than in the sending engine."""
        try:
            self._recruit_sms_render(self.body, applicant)
        except (SyntaxError, KeyError, ValueError) as error:
            raise UserError(self.env._(
                "Body: a merge field cannot be used (%(error)s). Use only these: %(fields)s",
                error=error, fields=self._recruit_sms_merge_fields(),
            )) from error

    def action_cancel(self):
        for campaign in self:
            if campaign.state not in ("draft", "scheduled", "sending", "paused"):
                raise UserError(self.env._("This campaign is finished."))
            # as the database has them now: the engine records its outcomes in SQL
            unsent = self.env["recruit.sms.campaign.line"].sudo().search([
                ("campaign_id", "=", campaign.id), ("state", "in", ("pending", "held"))])
            unsent.write({"state": "cancelled", "next_attempt_at": False})
            posted = self.env["sms.sms"].sudo().search([("uuid", "in", [u for u in unsent.mapped("sms_uuid") if u])])
            posted._update_sms_state_and_trackers("canceled")
            campaign._set_state("cancelled")
        return True

    def action_retry_failed(self):
        for campaign in self:
            if campaign.state not in ("sending", "done"):
                raise UserError(self.env._("Only the failed messages of a campaign that was sent can be retried."))
            # a message that may have gone waits for a person's check in the provider's console:
            # Retry failed would text those candidates twice
            failed = campaign.line_ids.filtered(
                lambda line: line.state == "failed" and line.failure_type != UNCONFIRMED_FAILURE)
            if not failed:
                raise UserError(self.env._(
                    "No failed message to retry (a message not confirmed by the provider is resent from its SMS, once "
                    "you checked it did not arrive)."))
            failed.sudo().write({"state": "pending", "attempts": 0, "next_attempt_at": False, "failure_reason": False,
                                 "to_settle": False})
            campaign._set_state("sending")
            self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger()
        return True

    def action_resume(self):
        """A manager's decision, recorded in the chatter: the paused campaign goes on where
        it stopped (a message sent stays sent: nobody gets it twice), and the senders the
        brake paused for it send again, their figures counted anew."""
        if not self.env.user.has_group("hr_recruitment.group_hr_recruitment_manager"):
            raise AccessError(self.env._("Only a recruitment manager may resume a campaign the brake paused."))
        self.check_access("write")
        for campaign in self:
            if campaign.state != "paused":
                raise UserError(self.env._("Only a paused campaign can be resumed."))
            senders = self.env["recruit.sms.sender"].sudo().search([
                ("company_id", "=", campaign.company_id.id), ("name", "in", campaign._recruit_sms_sender_names()),
                ("braked", "=", True)])
            senders.with_user(self.env.user).action_resume()
            reason = campaign.pause_reason
            campaign._set_state("sending", pause_reason=False, resumed_at=fields.Datetime.now())
            campaign.message_post(body=self.env._("Resumed by %(user)s. It had paused: %(reason)s", user=self.env.user.name,
                                                  reason=reason or ""), subtype_xmlid="mail.mt_note")
            campaign.sudo().activity_feedback(["mail.mail_activity_data_todo"], feedback=self.env._(
                "Resumed by %(user)s", user=self.env.user.name))
        self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger()
        return True

    # ------------------------------------------------------------
    # The brake: a campaign pauses itself when carriers start filtering
    # ------------------------------------------------------------

    def _recruit_sms_sender_names(self):
        """The senders this campaign's texts went from."""
        self.ensure_one()
        self.env["recruit.sms.campaign.line"].flush_model(["campaign_id", "sender"])
        self.env.cr.execute("SELECT DISTINCT sender FROM recruit_sms_campaign_line WHERE campaign_id = %s"
                            " AND sender IS NOT NULL AND sender != ''", [self.id])
        return [row[0] for row in self.env.cr.fetchall()]

    def _recruit_sms_brake(self, senders=None):
        """Pause this campaign, saying why, when the carriers' answers call for it: a sender
        it sends from is filtered or unregistered (the sender is paused too, for every
        campaign), or its own texts are (or are followed by opt-outs). ``senders``: those
        it is about to send from, besides those it sent from. True when it is paused."""
        self.ensure_one()
        if self._recruit_sms_current_state() != "sending":
            return True
        company = self.company_id
        thresholds = company._recruit_sms_thresholds()
        Sender = self.env["recruit.sms.sender"]
        names = set(self._recruit_sms_sender_names()) | set(senders or ())
        for sender in Sender._recruit_sms_get(company, names) if names else Sender:
            if not sender.braked:
                figures = sender._recruit_sms_figures()
                reason = deliverability.brake(figures, thresholds)
                if reason in (deliverability.BRAKE_FILTERED, deliverability.BRAKE_UNREGISTERED):
                    sender._recruit_sms_brake(self._recruit_sms_brake_words(reason, figures, thresholds, sender.name))
            if sender.braked:
                self._recruit_sms_pause(self.env._("Its sender %(sender)s is paused: %(reason)s", sender=sender.name,
                                                   reason=sender.brake_reason or ""))
                return True
        figures = self.env["recruit.sms.campaign.line"]._recruit_sms_figures(
            company, thresholds.sample, campaign=self, since=self.resumed_at)
        reason = deliverability.brake(figures, thresholds)
        if reason:
            self._recruit_sms_pause(self._recruit_sms_brake_words(reason, figures, thresholds))
            return True
        return False

    def _recruit_sms_brake_on_news(self, since):
        """The brake, asked while the campaign sends only when something that may change its
        answer came since ``since`` (naive UTC; None: ask anyway): a text of the company
        the carriers did not deliver, or an opt-out. A delivery only dilutes the figures,
        and the check must cost less than the gap between two texts. Returns the moment to
        look from next time."""
        now = fields.Datetime.now()
        if since is not None:
            self.env["recruit.sms.campaign.line"].flush_model(["carrier_outcome", "settled_at"])
            self.env.cr.execute("""
                SELECT EXISTS(SELECT 1 FROM recruit_sms_campaign_line WHERE company_id = %(company)s
                                 AND carrier_outcome = 'failed' AND settled_at >= %(since)s)
                    OR EXISTS(SELECT 1 FROM recruit_sms_consent_event WHERE event = 'opt_out' AND date >= %(since)s)
            """, {"company": self.company_id.id, "since": since})
            if not self.env.cr.fetchone()[0]:
                return since
        self._recruit_sms_brake()
        return now

    def _recruit_sms_brake_words(self, reason, figures, thresholds, sender=None):
        """Why the brake stopped, in figures, and what to check."""
        whose = self.env._("sender %(sender)s", sender=sender) if sender else self.env._("this campaign")
        if reason == deliverability.BRAKE_UNREGISTERED:
            return self.env._(
                "%(count)s of the last %(settled)s texts of %(whose)s were refused because the sender is not registered "
                "for A2P 10DLC (30034; the limit is %(limit)s). Check the brand and campaign registration in Twilio's "
                "Console (Messaging > Regulatory Compliance) before resuming.",
                count=figures.unregistered, settled=figures.settled, whose=whose, limit=thresholds.unregistered)
        if reason == deliverability.BRAKE_FILTERED:
            return self.env._(
                "%(count)s of the last %(settled)s texts of %(whose)s were filtered by the carriers as spam (30007; the "
                "limit is %(limit)s, %(pct)s %% of %(sample)s). Check the words (links, capitals, money), that the "
                "message names the company, and the list (old or bought numbers) before resuming.",
                count=figures.filtered, settled=figures.settled, whose=whose, limit=thresholds.filtered_limit(),
                pct=f"{thresholds.filtered_pct:g}", sample=thresholds.sample)
        return self.env._(
            "%(count)s recipients of the last %(settled)s texts of %(whose)s opted out after it (the limit is "
            "%(limit)s, %(pct)s %% of %(sample)s). Check that the list is of candidates who expect these texts, and "
            "the message, before resuming.",
            count=figures.opt_outs, settled=figures.settled, whose=whose, limit=thresholds.opt_out_limit(),
            pct=f"{thresholds.opt_out_pct:g}", sample=thresholds.sample)

    def _recruit_sms_pause(self, reason):
        """Pause (a state, not a failure: nothing is lost, Resume goes on), say why in the
        chatter, and ask the company's recruitment managers to check."""
        self.ensure_one()
        if self._recruit_sms_current_state() != "sending":
            return
        self._set_state("paused", pause_reason=reason)
        _logger.info("Campaign %s paused by the brake", self.id)
        self.message_post(body=self.env._("Paused by the brake: %(reason)s", reason=reason), subtype_xmlid="mail.mt_note")
        managers = self.env.ref("hr_recruitment.group_hr_recruitment_manager").sudo().all_user_ids.filtered(
            lambda user: not user.share and self.company_id in user.company_ids)
        for manager in managers:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo", user_id=manager.id,
                summary=self.env._("Campaign paused: check before resuming"),
                note=self.env._("%(reason)s Resume the campaign when it is fixed: it goes on where it stopped.",
                                reason=reason))

    def _recruit_sms_within_limits(self, handoffs):
        """The ``handoffs`` that may go now by their senders' state: none when a sender is
        paused by the brake (the campaign pauses); those past a daily cap (the sender's,
        the company's) or from a sender the carrier's daily limit stopped are held until
        the next day, and go then at each recipient's texting hours."""
        if not handoffs:
            return handoffs
        company = self.company_id
        senders = {sender.name: sender for sender in self.env["recruit.sms.sender"]._recruit_sms_get(
            company, {h.sender for h in handoffs})}
        if self._recruit_sms_brake(senders):
            return []
        now = fields.Datetime.now()
        tomorrow = deliverability.next_day(now)
        Line = self.env["recruit.sms.campaign.line"]
        today = tomorrow - timedelta(days=1)
        company_left = company.recruit_sms_daily_cap - Line._recruit_sms_sent_on(company, today) \
            if company.recruit_sms_daily_cap else None
        left = {name: sender.daily_cap - Line._recruit_sms_sent_on(company, today, name)
                for name, sender in senders.items() if sender.daily_cap}
        ready, held = [], {}
        for handoff in handoffs:
            sender = senders.get(handoff.sender)
            if sender and sender.paused_until and sender.paused_until > now:
                held.setdefault((sender.paused_until, sender.paused_reason), []).append(handoff.line_id)
                continue
            if (company_left is not None and company_left <= 0) or left.get(handoff.sender, 1) <= 0:
                cap = company.recruit_sms_daily_cap if company_left is not None and company_left <= 0 else sender.daily_cap
                held.setdefault((tomorrow, self.env._(
                    "Daily cap of %(cap)s texts reached: held until the next day, at the recipient's texting hours.",
                    cap=cap)), []).append(handoff.line_id)
                continue
            if company_left is not None:
                company_left -= 1
            if handoff.sender in left:
                left[handoff.sender] -= 1
            ready.append(handoff)
        for (until, reason), line_ids in held.items():
            Line.browse(line_ids).write({"state": "held", "next_attempt_at": until, "failure_reason": reason})
        return ready

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
        Line = self.env["recruit.sms.campaign.line"]
        by_company = self.search([("state", "=", "sending")], order="id").grouped("company_id")
        unconfirmed = Line.search([("state", "=", "unconfirmed"), ("next_attempt_at", "<=", fields.Datetime.now())])
        for company in unconfirmed.company_id - self.env["res.company"].union(*by_company):
            by_company[company] = self.browse()
        for company, campaigns in by_company.items():
            stream = open_sms_stream(self.env, company)
            pacers = {}

            def make_pacer(sender, stream=stream):
                pacer = pacing.Pacer(stream.rate(sender), clock=now_fn, sleep=sleep_fn)
                pacer.resume_after(self.env["recruit.sms.campaign.line"]._recruit_sms_last_handed(sender))
                return pacer

            try:
                # sends that may have gone without an answer saying so: confirmed first
                Line._recruit_sms_confirm_due(company, stream, commit=commit)
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
        while (budget is None or handed < budget) and self._recruit_sms_current_state() == "sending":
            batch = lines._recruit_sms_claim(self, size if budget is None else min(size, budget - handed))
            if not batch:
                break
            handoffs = self._recruit_sms_within_limits(batch._recruit_sms_prepare_or_fail(stream))
            if commit:  # the batch's messages are posted: keep them whatever happens next
                self.env["ir.cron"]._commit_progress(0)
            handed += lines._recruit_sms_hand_off(handoffs, stream, pacers, make_pacer, clock=now_fn, commit=commit,
                                                  campaign=self)
            batch._recruit_sms_settle(stream, commit=commit)
            # what is left tells Odoo's cron to call again at once rather than at its interval
            if commit and self.env["ir.cron"]._commit_progress(len(batch), remaining=lines._recruit_sms_due_count()) <= 0:
                break  # out of time: the cron calls again for the rest
        self._recruit_sms_close_if_done()
        return handed

    def _recruit_sms_current_state(self):
        """The campaign's state as committed now: a recruiter may cancel it while the
        engine sends (SQL: the engine's cache does not see another transaction's write)."""
        self.ensure_one()
        self.flush_recordset(["state"])
        self.env.cr.execute("SELECT state FROM recruit_sms_campaign WHERE id = %s", [self.id])
        row = self.env.cr.fetchone()
        return row[0] if row else None

    def _recruit_sms_close_if_done(self):
        if self._recruit_sms_current_state() != "sending":
            return True  # cancelled meanwhile: it stays cancelled
        self.invalidate_recordset(["state", "line_ids"])
        lines = self.line_ids
        # a message awaiting the provider's confirmation may still have to go again
        if not lines.filtered(lambda line: line.state in ("pending", "held", "unconfirmed")):
            return self._set_state("done")
        if waiting := lines.filtered(lambda line: line.state in ("pending", "held", "unconfirmed") and line.next_attempt_at):
            self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger(min(waiting.mapped("next_attempt_at")))
        return True
