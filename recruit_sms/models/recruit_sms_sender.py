from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import deliverability


class RecruitSmsSender(models.Model):
    """A number, Messaging Service or WhatsApp sender campaigns go out from, and its health:
    what the carriers answered for its last settled texts, the brake that stopped it, its
    daily cap. Created by the engine the first time it sends from an address."""

    _name = "recruit.sms.sender"
    _inherit = ["mail.thread"]
    _description = "Texting sender"
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char("Sender", required=True, readonly=True,
                       help="The Twilio number, Messaging Service SID or WhatsApp address texts go out from.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    kind = fields.Selection([("number", "Number"), ("service", "Messaging Service"), ("whatsapp", "WhatsApp")],
                            compute="_compute_kind")
    daily_cap = fields.Integer(
        "Daily cap", default=0, tracking=True,
        help="At most this many campaign texts a day (UTC) from this sender; 0: only the company's cap. When it is "
             "reached the campaigns hold the rest until the next day, at each recipient's texting hours.")
    braked = fields.Boolean("Paused by the brake", readonly=True, tracking=True)
    brake_reason = fields.Char(readonly=True)
    paused_until = fields.Datetime(
        "Paused until", readonly=True,
        help="The carrier said the sender's messages of the day were used up: its texts wait until then.")
    paused_reason = fields.Char("Why it waits", readonly=True)
    reset_at = fields.Datetime(
        "Counted since", readonly=True,
        help="When a manager last resumed it: its figures count the texts settled since.")

    health = fields.Selection([(deliverability.GOOD, "Healthy"), (deliverability.WATCH, "To watch"),
                               (deliverability.BRAKED, "Paused")], compute="_compute_health")
    settled_count = fields.Integer("Settled", compute="_compute_health",
                                   help="Of its last texts (the brake's window), those the carrier answered for.")
    delivered_count = fields.Integer("Delivered", compute="_compute_health")
    filtered_count = fields.Integer("Filtered (30007)", compute="_compute_health")
    unregistered_count = fields.Integer("Unregistered (30034)", compute="_compute_health")
    unreachable_count = fields.Integer("Unreachable or unknown (30003, 30005)", compute="_compute_health")
    landline_count = fields.Integer("Landline (30006)", compute="_compute_health")
    opted_out_at_send_count = fields.Integer("Opted out at send (21610)", compute="_compute_health")
    opt_out_count = fields.Integer("Opt-outs after a text", compute="_compute_health")
    reply_count = fields.Integer("Replies", compute="_compute_health")
    sent_today = fields.Integer("Sent today", compute="_compute_health")
    trend = fields.Char("Last 7 days", compute="_compute_health",
                        help="One bar a day: the share of its settled texts filtered or refused as unregistered.")

    _name_company = models.Constraint("unique(company_id, name)", "A sender is listed once per company.")

    def write(self, vals):
        # a manager sets the daily cap; the brake and its resume (recorded) are the server's
        if not self.env.su and set(vals) - {"daily_cap"}:
            raise AccessError(self.env._("Only a sender's daily cap can be changed here; Resume lifts the brake."))
        return super().write(vals)

    @api.depends("name")
    def _compute_kind(self):
        for sender in self:
            name = sender.name or ""
            sender.kind = "whatsapp" if name.startswith("whatsapp:") else "service" if name.startswith("MG") else "number"

    def _compute_health(self):
        Line = self.env["recruit.sms.campaign.line"]
        for sender in self:
            if not sender.id:
                sender.update({"health": deliverability.GOOD, "trend": False, "sent_today": 0,
                               **{f"{name}_count": 0 for name in _FIGURES}})
                continue
            figures = sender._recruit_sms_figures()
            sender.update({f"{name}_count": getattr(figures, attribute) for name, attribute in _FIGURES.items()})
            sender.health = deliverability.health(figures, sender.company_id._recruit_sms_thresholds(),
                                                  braked=sender.braked)
            sender.sent_today = Line._recruit_sms_sent_on(sender.company_id, deliverability.next_day(
                fields.Datetime.now()) - timedelta(days=1), sender.name)
            sender.trend = deliverability.trend(Line._recruit_sms_daily_problem_shares(sender.company_id, sender.name))

    def _recruit_sms_figures(self):
        self.ensure_one()
        return self.env["recruit.sms.campaign.line"]._recruit_sms_figures(
            self.company_id, self.company_id._recruit_sms_thresholds().sample, sender=self.name, since=self.reset_at)

    @api.model
    def _recruit_sms_get(self, company, names):
        """The senders ``names`` of ``company``, created the first time they send."""
        names = {name for name in names if name}
        senders = self.sudo().search([("company_id", "=", company.id), ("name", "in", list(names))])
        missing = names - set(senders.mapped("name"))
        if missing:
            senders |= self.sudo().create([{"company_id": company.id, "name": name} for name in sorted(missing)])
        return senders

    def _recruit_sms_brake(self, reason):
        """Stop sending from these senders until a manager resumes them."""
        for sender in self.filtered(lambda s: not s.braked):
            sender.sudo().write({"braked": True, "brake_reason": reason})
            sender.sudo().message_post(body=self.env._("Paused by the brake: %(reason)s", reason=reason),
                                       subtype_xmlid="mail.mt_note")

    def _recruit_sms_pause_for_the_day(self, code):
        """The carrier said the messages of the day are used up (``code``): wait until tomorrow."""
        until = deliverability.next_day(fields.Datetime.now())
        for sender in self.filtered(lambda s: not s.paused_until or s.paused_until < until):
            sender.sudo().write({"paused_until": until, "paused_reason": self.env._(
                "The carrier's daily limit was reached (error %(code)s): texts wait until the next day.", code=code)})

    def action_resume(self):
        """A manager's decision, recorded: the sender sends again, its figures counted anew."""
        if not self.env.user.has_group("hr_recruitment.group_hr_recruitment_manager"):
            raise AccessError(self.env._("Only a recruitment manager may resume a sender the brake paused."))
        self.check_access("write")
        for sender in self.filtered("braked"):
            sender.sudo().write({"braked": False, "brake_reason": False, "reset_at": fields.Datetime.now()})
            sender.sudo().message_post(body=self.env._("Resumed by %(user)s.", user=self.env.user.name),
                                       subtype_xmlid="mail.mt_note")
        return True


# the figures' fields, named after deliverability.Figures' attributes
_FIGURES = {"settled": "settled", "delivered": "delivered", "filtered": "filtered", "unregistered": "unregistered",
            "unreachable": "unreachable", "landline": "landline", "opted_out_at_send": "opted_out_at_send",
            "opt_out": "opt_outs", "reply": "replies"}
