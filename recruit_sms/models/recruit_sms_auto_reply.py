from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..tools import auto_reply, gate, keywords

TRIGGERS = [
    ("keywords", "The message contains"),
    ("outside_hours", "Any message outside working hours"),
    ("first_unknown", "The first message from an unknown number"),
    ("help", "HELP or INFO"),
]


class RecruitSmsAutoReply(models.Model):
    """A rule that answers inbound texts by itself: when a message matches, it replies
    with its text (and may assign, tag or close the conversation), within limits that keep
    it from answering too often or talking to another automaton.

    The reply is fixed text, never an expression: whoever writes a rule runs nothing."""

    _name = "recruit.sms.auto.reply"
    _description = "SMS automatic reply"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10, help="The first rule that matches a message answers it; the others do not.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    job_ids = fields.Many2many("hr.job", string="Job positions",
                               help="Only for applicants of these job positions; empty: every message.")
    trigger = fields.Selection(TRIGGERS, required=True, default="keywords")
    keywords = fields.Char(
        "Words or phrases", translate=True,
        help="Separated by commas, matched as whole words whatever the case and accents: "
             "\"address, where is, parking\".")
    match = fields.Selection([("any", "Any of them"), ("all", "All of them")], default="any", required=True)
    reply = fields.Text(required=True, translate=True, help="Sent as it is written (no placeholders).")
    assign_user_id = fields.Many2one("res.users", "Then assign to",
                                     domain="[('share', '=', False), ('company_ids', 'in', company_id)]")
    tag_ids = fields.Many2many("hr.applicant.category", string="Then tag with")
    close_conversation = fields.Boolean("Then close the conversation")
    cooldown_hours = fields.Integer(
        "Once per conversation every (hours)", default=24,
        help="This rule answers the same number at most once in this many hours (0: every time).")
    log_ids = fields.One2many("recruit.sms.auto.reply.log", "rule_id", "Replies sent", readonly=True)
    reply_count = fields.Integer("Replies", compute="_compute_reply_count")

    @api.depends("log_ids")
    def _compute_reply_count(self):
        counts = dict(self.env["recruit.sms.auto.reply.log"]._read_group(
            [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]))
        for rule in self:
            rule.reply_count = counts.get(rule, 0)

    @api.constrains("assign_user_id", "company_id")
    def _check_assign_user_id(self):
        for rule in self:
            user = rule.assign_user_id
            if user and (user.share or rule.company_id not in user.company_ids):
                raise ValidationError(self.env._(
                    "Automatic reply %(name)s: Then assign to must be a user of %(company)s; %(user)s is not.",
                    name=rule.name, company=rule.company_id.name, user=user.name))

    @api.constrains("reply")
    def _check_reply(self):
        for rule in self:
            if keywords.classify(rule.reply):
                # two automatons would answer each other's keyword for ever
                raise ValidationError(self.env._(
                    "Automatic reply %(name)s: the reply %(reply)r is itself a keyword (STOP, START, HELP and the "
                    "like) that the other side may answer; write a sentence.", name=rule.name, reply=rule.reply))

    @api.constrains("trigger", "keywords", "cooldown_hours")
    def _check_keywords(self):
        for rule in self:
            if rule.trigger == "keywords" and not auto_reply.phrases(rule.keywords):
                raise ValidationError(self.env._(
                    "Automatic reply %(name)s: fill Words or phrases (separated by commas) for a rule on what the "
                    "message contains.", name=rule.name))
            if rule.cooldown_hours < 0:
                raise ValidationError(self.env._("Automatic reply %(name)s: the hours between two replies cannot be "
                                                 "negative.", name=rule.name))

    # ------------------------------------------------------------
    # Answering a message
    # ------------------------------------------------------------

    @api.model
    def _recruit_sms_answer(self, inbound, help_keyword=False):
        """Answer ``inbound`` with the first rule of its company that matches and may
        answer now; returns that rule (or an empty recordset)."""
        rules = self.sudo().search([("company_id", "=", inbound.company_id.id)])
        for rule in rules:
            if rule._recruit_sms_matches(inbound, help_keyword) and rule._recruit_sms_may_answer(inbound):
                rule._recruit_sms_send(inbound)
                return rule
        return self.browse()

    def _recruit_sms_matches(self, inbound, help_keyword):
        applicant = inbound.applicant_id
        if self.trigger == "help" or help_keyword:  # HELP is answered whoever asks, and only by its rule
            return self.trigger == "help" and bool(help_keyword)
        if self.job_ids and applicant.job_id not in self.job_ids:
            return False
        if self.trigger == "keywords":
            return auto_reply.matches(auto_reply.phrases(self.keywords), inbound.body, require_all=self.match == "all")
        if self.trigger == "outside_hours":
            return not self._recruit_sms_working_at(inbound.received_date)
        if self.trigger == "first_unknown":
            return not applicant and not self.env["recruit.sms.inbound"].sudo().search_count(
                [("from_number", "=", inbound.from_number), ("id", "<", inbound.id)], limit=1)
        return True  # help

    def _recruit_sms_working_at(self, moment):
        """Whether ``moment`` (naive UTC) is in the company's working hours."""
        calendar = self.company_id.resource_calendar_id
        if not calendar:
            return True
        start = pytz.utc.localize(moment)
        intervals = calendar._work_intervals_batch(start - timedelta(minutes=1), start + timedelta(minutes=1))[False]
        return any(begin <= start < end for begin, end, _attendance in intervals)

    def _recruit_sms_may_answer(self, inbound):
        """Never to an opted-out number (but HELP, which is always answered), once per
        cool-down, and not more than a few times in a row without a person writing."""
        number, applicant = inbound.from_number, inbound.applicant_id
        Log = self.env["recruit.sms.auto.reply.log"].sudo()
        if self.trigger == "help":
            # as carriers require: even to an opted-out number, but a few times an hour, so
            # that two automatons cannot keep asking each other for help
            answered = Log.search_count([("rule_id", "=", self.id), ("number", "=", number),
                                         ("date", ">", inbound.received_date - timedelta(hours=1))])
            return answered < auto_reply.HELP_PER_HOUR
        if number in self.env["phone.blacklist"].sudo()._recruit_sms_opted_out([number]):
            return False
        if inbound.opt_out_intent:
            return False  # they may be asking to stop: a person answers
        if applicant and applicant._recruit_sms_verdict(gate.AUTOMATED, hours=False).blocked:
            return False  # no consent, or asked to stop: no reply, nor assigning or tagging
        last = Log.search([("rule_id", "=", self.id), ("number", "=", number)], limit=1)
        since = inbound.applicant_id._recruit_sms_last_human_message_date() if inbound.applicant_id else None
        in_a_row = Log.search_count([("number", "=", number), *([("date", ">", since)] if since else [])])
        return auto_reply.may_answer(inbound.received_date, last.date or None, self.cooldown_hours, in_a_row)

    def _recruit_sms_send(self, inbound):
        """Reply, through the gate (an automated text; HELP's answer goes as a keyword
        confirmation does), then assign, tag or close as the rule says."""
        applicant, number = inbound.applicant_id.sudo(), inbound.from_number
        kind = gate.CONFIRMATION if self.trigger == "help" else gate.AUTOMATED
        reply = self.with_context(lang=applicant.partner_id.lang or self.env.lang).reply
        # the company of the message answered, also for a number no applicant holds
        sms = applicant.with_company(inbound.company_id)._recruit_sms_send_now(
            number, reply, kind, author=self.env.ref("base.user_root"),
            subject=self.env._("Automatic reply: %(rule)s", rule=self.name), channel=inbound._recruit_sms_reply_channel())
        self.env["recruit.sms.auto.reply.log"].sudo().create({
            "rule_id": self.id, "number": number, "applicant_id": applicant.id, "inbound_id": inbound.id,
            "date": inbound.received_date, "mail_message_id": sms.mail_message_id.id,
        })
        if applicant:
            updates = {}
            # only to someone who may answer this applicant (of its company, who may read it)
            if self.assign_user_id and applicant._recruit_sms_may_answer(self.assign_user_id):
                updates["recruit_sms_assigned_user_id"] = self.assign_user_id.id
            if self.tag_ids:
                updates["categ_ids"] = [fields.Command.link(tag.id) for tag in self.tag_ids]
            if self.close_conversation:
                updates["recruit_sms_state"] = "closed"
            if updates:
                applicant.write(updates)
                applicant._recruit_sms_notify_inbox()

    @api.model
    def _recruit_sms_install(self):
        """At install: every existing company gets its HELP rule."""
        companies = self.env["res.company"].sudo().with_context(active_test=False).search([])  # pylint: disable=no-search-all
        self._recruit_sms_default_help(companies)

    @api.model
    def _recruit_sms_default_help(self, companies):
        """Each company's HELP answer, a rule like the others (created with the company)."""
        for company in companies:
            if not self.sudo().with_context(active_test=False).search_count(
                    Domain("company_id", "=", company.id) & Domain("trigger", "=", "help"), limit=1):
                self.sudo().create({
                    "name": self.env._("Help"), "company_id": company.id, "trigger": "help", "cooldown_hours": 0,
                    "sequence": 1,
                    "reply": self.env._("Recruitment messages. Reply STOP to unsubscribe. Msg&Data Rates May Apply."),
                })
