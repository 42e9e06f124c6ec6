import uuid
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.addons.mail.tools.discuss import Store
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import html2plaintext

from ..tools import age, gate, moments, user_input
from ..tools import inbound as inbound_rules
from .hr_applicant import PREVIEW_LENGTH, SMS_BUBBLE_STATE


class HrApplicant(models.Model):
    """The conversation: the Communications tab, what a reply does, who answers it
    (assignee, colour, unread) and the response time's escalation."""

    _inherit = "hr.applicant"  # pylint: disable=consider-merging-classes-inherited

    def _recruit_sms_conversation_domain(self):
        return [
            ("model", "=", self._name),
            ("res_id", "in", self.ids),
            "|",
            ("message_type", "in", ("sms", "email")),
            "&",
            ("message_type", "in", ("comment", "email_outgoing")),
            ("subtype_id.internal", "=", False),
        ]

    def _recruit_sms_default_subject(self):
        """The subject a reply takes when the recruiter writes none (the chat window asks
        for none): the conversation's last subject, else the job, else the company."""
        self.ensure_one()
        last = self.env["mail.message"].sudo().search(
            Domain(self._recruit_sms_conversation_domain()) & Domain("subject", "not in", (False, "")),
            order="date desc, id desc", limit=1)
        return last.subject or self.job_id.name or self._recruit_sms_company().name

    def recruit_sms_get_conversation(self):
        """Every email and SMS with the applicant, oldest first, as bubbles for the
        Communications tab (and the chat panel)."""
        self.ensure_one()
        self.check_access("read")
        messages = self.env["mail.message"].sudo().search(
            self._recruit_sms_conversation_domain(), order="date asc, id asc",
        )
        inbound_by_message = {
            inbound.mail_message_id.id: inbound
            for inbound in self.env["recruit.sms.inbound"].sudo().search([("mail_message_id", "in", messages.ids)])
        }
        automatic = set(self.env["recruit.sms.auto.reply.log"].sudo().search(
            [("mail_message_id", "in", messages.ids)]).mail_message_id.ids)
        # one decision for both notices: the gate decides what blocks before the hours
        verdict = self._recruit_sms_verdict(gate.MANUAL)
        blocked_reason = verdict.blocked and self.env["recruit.sms.gate"]._message(verdict, self._recruit_sms_gate_request())
        return {
            "applicant": {
                "id": self.id,
                "name": self.partner_name or self.display_name,
                "can_text": not blocked_reason,
                "sms_blocked_reason": blocked_reason or False,
                "has_email": bool(self.email_from),
                "sandbox": self._recruit_sms_company().sms_provider == "sandbox",
                "channel": self.recruit_sms_channel,
                "whatsapp": self._recruit_sms_whatsapp_state(),
                "waiting_since": fields.Datetime.to_string(self.recruit_sms_waiting_since) or False,
                "subject": self._recruit_sms_default_subject(),
                "opted_out": self.phone_sanitized_blacklisted,
                "quiet_note": self._recruit_sms_quiet_note(verdict),
            },
            "messages": [self._recruit_sms_bubble(message, inbound_by_message.get(message.id), message.id in automatic)
                         for message in messages],
            # mail's own data for these messages, read as the caller, for mail's Message
            # component: one round trip instead of paging /mail/thread/messages
            "store_data": Store().add(messages.with_env(self.env)).get_result(),
        }

    def _recruit_sms_whatsapp_window(self):
        """(whether free text may go on WhatsApp now, the sentence that says for how long
        or why not)."""
        self.ensure_one()
        end, now = self.recruit_sms_whatsapp_window_end, fields.Datetime.now()
        if end and end > now:
            minutes = int((end - now).total_seconds() // 60)
            return True, self.env._("WhatsApp: free text for %(hours)sh%(minutes)02d more (the candidate wrote on "
                                    "WhatsApp within 24 hours).", hours=minutes // 60, minutes=minutes % 60)
        return False, self.env._("WhatsApp: the candidate has not written there in the last 24 hours, so only an "
                                 "approved template can go.")

    def _recruit_sms_whatsapp_state(self):
        """What the composers show of WhatsApp for this applicant (False when the company
        does not use it): whether free text may go, until when, and the approved
        templates the user may send, each as the candidate would read it."""
        company = self._recruit_sms_company()
        if not company._recruit_sms_whatsapp_ready():
            return False
        window_open, note = self._recruit_sms_whatsapp_window()
        end = self.recruit_sms_whatsapp_window_end
        templates = self.env["recruit.sms.whatsapp.template"].search([("company_id", "=", company.id)])
        return {
            "window_open": window_open,
            "window_closes": fields.Datetime.to_string(end) if end else False,
            "note": note,
            "templates": [{"id": template.id, "name": template.name, "text": template._recruit_sms_fill(self)[1]}
                          for template in templates],
        }

    def _recruit_sms_bubble(self, message, inbound=None, automatic=False):
        incoming = bool(inbound) or message.message_type == "email"
        notification = message.notification_ids.filtered(lambda n: n.notification_type == "sms")[:1]
        channel = "sms" if message.message_type == "sms" else "email"
        if (inbound and inbound.channel == "whatsapp") or (not inbound and notification.recruit_sms_whatsapp):
            channel = "whatsapp"
        bubble = {
            "id": message.id,
            "channel": channel,
            "direction": "in" if incoming else "out",
            "subject": message.subject or "",
            "body": html2plaintext(message.body or "") if channel != "email" else str(message.body or ""),
            "date": fields.Datetime.to_string(message.date),
            "author": message.author_id.name or message.email_from or "",
            "state": False,
            "failure_reason": False,
            "can_resend": False,
            "media": [],
            "held_until": False,
            "held_reason": False,
            "campaign": inbound.campaign_id.name if inbound and inbound.campaign_id else False,
            "automatic": automatic,
        }
        if inbound:
            bubble["body"] = inbound.body or ""
            bubble["media"] = inbound._recruit_sms_media_items()  # only https addresses are links
        if channel != "email" and not incoming:
            if notification:
                bubble["state"] = SMS_BUBBLE_STATE.get(notification.notification_status, notification.notification_status)
                if bubble["state"] == "delivered" and notification.recruit_sms_read_date:
                    bubble["state"] = "read"
                if bubble["state"] in ("failed", "cancelled"):
                    bubble["failure_reason"] = notification.failure_reason or dict(
                        notification._fields["failure_type"]._description_selection(self.env)
                    ).get(notification.failure_type) or self.env._("Unknown error")
                    bubble["can_resend"] = bubble["state"] == "failed"
                elif bubble["state"] == "queued":
                    held = self.env["sms.sms"].sudo().search([
                        ("mail_message_id", "=", message.id), ("state", "=", "outgoing"), ("recruit_sms_hold_until", "!=", False),
                    ], limit=1)
                    bubble["held_until"] = fields.Datetime.to_string(held.recruit_sms_hold_until) if held else False
                    bubble["held_reason"] = held.recruit_sms_hold_reason or False
        return bubble

    def _recruit_sms_quiet_note(self, verdict):
        """What the composer says when an SMS sent now would be held (``verdict``, the
        gate's on a manual text): why, and until when, in the recruiter's time and the
        candidate's."""
        if not verdict.held:
            return False
        if verdict.code == gate.FREQUENCY_CAP:
            why = self.env._("Texts per 24 hours reached under %(rule)s", rule=verdict.rule)
        elif verdict.code == gate.STATE_HOURS:
            why = self.env._("Outside %(rule)s's texting hours", rule=verdict.rule)
        else:
            why = self.env._("Outside texting hours for the candidate")
        zone, user = self._recruit_sms_zones()[0], self.env.user
        return self.env._(
            "%(why)s: an SMS sent now is held until %(when)s (%(local)s in %(place)s, the candidate's time).",
            why=why, when=user._recruit_sms_moment(verdict.hold_until),
            local=moments.for_user(verdict.hold_until, zone, user.lang), place=moments.place(zone, user.lang))

    def _recruit_sms_mark_received(self, when, preview="", channel="sms", waiting=True):
        """The applicant wrote: the conversation waits for a response from then on (unless
        not ``waiting``: their message ends it)."""
        for applicant in self.sudo():
            applicant.write({
                "recruit_sms_waiting_since": (applicant.recruit_sms_waiting_since or when) if waiting else False,
                "recruit_sms_last_message_date": when,
                "recruit_sms_last_inbound_date": when,
                "recruit_sms_last_preview": (preview or "")[:PREVIEW_LENGTH],
                "recruit_sms_last_channel": channel,
            })

    def _recruit_sms_users_to_notify(self):
        """The applicant's recruiter; without one, the internal followers of the job
        position (the recruiting team), else those of the applicant. Only users who may
        read the applicant, in its company, are told: anyone can follow a job position."""
        self.ensure_one()
        applicant = self.sudo()

        def readers(users):
            return users.filtered(lambda user: (
                user.active and user._is_internal()
                and (not applicant.company_id or applicant.company_id in user.company_ids)
                and applicant.with_user(user).with_context(allowed_company_ids=user.company_ids.ids).has_access("read")
            ))

        for users in (applicant.user_id, applicant.job_id.message_partner_ids.user_ids, applicant.message_partner_ids.user_ids):
            if users := readers(users):
                return users
        return self.env["res.users"]

    def _recruit_sms_notify_inbound(self, inbound):
        """Tell the recruiter, live (bus, for the systray) and by email unless they turned
        it off in their preferences.

        Not through mail's follower notifications (a subtype on the posted message): those
        reach every follower of the applicant and, through subtypes, of the job, and send
        them the message without checking that each may read the applicant; a candidate's
        text must reach only the recruiter (or, without one, the team) among its readers."""
        self.ensure_one()
        users = self._recruit_sms_users_to_notify()
        preview = (inbound.body or "")[:200] or self.env._("(media)")
        payload = {
            "applicant_id": self.id,
            "applicant_name": self.partner_name or self.display_name,
            "inbound_id": inbound.id,
            "message_id": inbound.mail_message_id.id,
            "preview": preview,
        }
        for user in users:
            user._bus_send("recruit_sms/inbound", payload)
        self._recruit_sms_notify_inbox()
        email_users = users.filtered(lambda u: u.recruit_sms_inbound_email and u.email)
        if not email_users:
            return
        company = self._recruit_sms_company()
        link = f"{self.get_base_url()}/odoo/hr.applicant/{self.id}"
        body = self.env["ir.qweb"]._render("recruit_sms.inbound_notification_email", {
            "applicant": self, "inbound": inbound, "link": link, "company": company,
        })
        self.env["mail.mail"].sudo().create([{
            "subject": self.env._("New text from %(name)s", name=payload["applicant_name"]),
            "body_html": body,
            "email_from": company.email_formatted or False,
            "email_to": user.email_formatted,
            "model": self._name,
            "res_id": self.id,
            # a notification to the user, not a message of the applicant's chatter
            "message_type": "user_notification",
            "auto_delete": True,
        } for user in email_users])

    def recruit_sms_simulate_reply(self, body, channel="sms"):
        """Sandbox only: receive ``body`` as if the applicant had texted it (by SMS, or on
        WhatsApp with ``channel``), through the same path as the provider's webhook
        (minus the signature)."""
        self.ensure_one()
        self.check_access("write")
        company = self._recruit_sms_company()
        if company.sms_provider != "sandbox":
            raise UserError(self.env._("Simulating a reply is only possible with the sandbox SMS provider."))
        if not self.company_id:
            # an applicant of no company is every company's: what a reply opens (the texting
            # hours' grace to answer) would open for companies that text for real
            raise UserError(self.env._(
                "Simulating a reply needs the applicant to belong to a company: set their Company first."))
        number = self._recruit_sms_known_number()
        body = self._recruit_sms_input(self.env._("Reply"), body, user_input.text, inbound_rules.MAX_BODY)
        if not body.strip():
            raise UserError(self.env._("Write the reply to simulate."))
        if channel not in ("sms", "whatsapp"):
            raise UserError(self.env._("Received on: SMS or WhatsApp, not %(channel)r.", channel=channel))
        if channel == "whatsapp":
            company._recruit_sms_check_whatsapp()
        sms = inbound_rules.InboundSms(
            message_sid=f"SMsandbox{uuid.uuid4().hex}", account_sid="", from_number=number, to_number="", body=body,
            channel=channel,
        )
        # marked simulated here only: it may not change the opt-out of a real candidate
        record, _created = self.env["recruit.sms.inbound"]._recruit_sms_receive(sms, company, simulated=True)
        if record.state == "error":
            raise UserError(record.error_reason)
        return record.mail_message_id.id

    @api.depends("recruit_sms_waiting_since", "recruit_sms_escalated_since")
    def _compute_recruit_sms_escalated(self):
        for applicant in self:
            applicant.recruit_sms_escalated = bool(applicant.recruit_sms_waiting_since) and (
                applicant.recruit_sms_escalated_since == applicant.recruit_sms_waiting_since)

    def _search_recruit_sms_escalated(self, operator, value):
        if operator != "in":
            return NotImplemented
        self.flush_model(["recruit_sms_waiting_since", "recruit_sms_escalated_since"])
        self.env.cr.execute("""SELECT id FROM hr_applicant WHERE recruit_sms_waiting_since IS NOT NULL
                               AND recruit_sms_escalated_since = recruit_sms_waiting_since""")
        ids = [row[0] for row in self.env.cr.fetchall()]
        return Domain("id", "in", ids) if True in value else Domain("id", "not in", ids)

    def _recruit_sms_answerer(self):
        """Who must answer: the conversation's assignee, else the applicant's recruiter,
        else the job's, else a recruitment manager of the company."""
        self.ensure_one()
        for user in (self.recruit_sms_assigned_user_id, self.user_id, self.job_id.user_id):
            if user and self._recruit_sms_may_answer(user):
                return user
        return self.env["res.users"].sudo().search([
            ("all_group_ids", "in", self.env.ref("hr_recruitment.group_hr_recruitment_manager").id),
            ("company_ids", "in", self._recruit_sms_company().id), ("share", "=", False)], limit=1)

    def _recruit_sms_working_hours_waited(self, now):
        """Working hours between the start of the waiting and ``now``, in the calendar of
        whoever must answer (their employee's, else the company's)."""
        self.ensure_one()
        user, company = self._recruit_sms_answerer(), self._recruit_sms_company()
        calendar = user._recruit_sms_working_time(company)[1] if user else company.resource_calendar_id
        if not calendar:  # no working time known: every hour counts
            return (now - self.recruit_sms_waiting_since).total_seconds() / 3600
        utc = pytz.utc
        return calendar.get_work_hours_count(utc.localize(self.recruit_sms_waiting_since), utc.localize(now))

    @api.model
    def _cron_recruit_sms_escalate(self):
        """Give an activity to whoever must answer each conversation waiting longer than its
        company's response time in working hours (a Friday-evening text is not late on
        Monday at 9:00), once per waiting."""
        now = fields.Datetime.now()
        Applicant = self.sudo().with_context(active_test=True)
        main = self.env.ref("base.main_company")
        for company in self.env["res.company"].sudo().search([("recruit_sms_sla_hours", ">", 0)]):
            # working hours never outrun wall-clock hours: only those waiting that long
            # (applicants of no company follow the main company's response time)
            companies = [company.id, False] if company == main else [company.id]
            waiting = Applicant.search([
                ("company_id", "in", companies), ("recruit_sms_state", "=", "open"),
                ("recruit_sms_waiting_since", "!=", False),
                ("recruit_sms_waiting_since", "<=", now - timedelta(hours=company.recruit_sms_sla_hours)),
            ]).filtered(lambda a: not a.recruit_sms_escalated)
            for applicant in waiting:
                if applicant._recruit_sms_working_hours_waited(now) >= company.recruit_sms_sla_hours:
                    applicant._recruit_sms_escalate(company.recruit_sms_sla_hours)

    def _recruit_sms_escalate(self, hours):
        self.ensure_one()
        user = self._recruit_sms_answerer()
        if user:
            self.activity_schedule(
                "mail.mail_activity_data_todo", user_id=user.id,
                summary=self.env._("Answer %(name)s", name=self.partner_name or self.display_name),
                note=self.env._("%(name)s has waited for an answer since %(since)s, more than %(hours)s working "
                                "hours: \"%(last)s\"", name=self.partner_name or self.display_name,
                                since=user._recruit_sms_moment(self.recruit_sms_waiting_since), hours=hours,
                                last=self.recruit_sms_last_preview or ""))
        self.recruit_sms_escalated_since = self.recruit_sms_waiting_since
        self._recruit_sms_notify_inbox()

    def _recruit_sms_last_human_message_date(self):
        """When a person (a user, not Odoo itself) last wrote on this conversation."""
        self.ensure_one()
        # texts and emails to the candidate, not internal notes
        message = self.env["mail.message"].sudo().search(
            Domain("model", "=", self._name) & Domain("res_id", "=", self.id)
            & (Domain("message_type", "=", "sms") | (Domain("message_type", "=", "comment")
                                                   & Domain("subtype_id", "=", self.env.ref("mail.mt_comment").id)))
            & Domain("author_id", "!=", self.env.ref("base.partner_root").id)
            & Domain("author_id.user_ids.share", "=", False),
            order="date desc, id desc", limit=1)
        return message.date or None

    @api.depends("user_id")
    def _compute_recruit_sms_assigned_user_id(self):
        for applicant in self:
            applicant.recruit_sms_assigned_user_id = applicant.user_id

    @api.depends("recruit_sms_waiting_since")
    def _compute_recruit_sms_colour(self):
        now = fields.Datetime.now()
        for applicant in self:
            applicant.recruit_sms_colour = age.response_colour(applicant.recruit_sms_waiting_since, now)

    def _search_recruit_sms_colour(self, operator, value):
        if operator not in ("in", "="):
            return NotImplemented
        now = fields.Datetime.now()
        domains = {
            age.BLUE: Domain("recruit_sms_waiting_since", "=", False),
            age.GREEN: Domain("recruit_sms_waiting_since", ">", now - age.ORANGE_FROM),
            age.ORANGE: Domain("recruit_sms_waiting_since", "<=", now - age.ORANGE_FROM)
            & Domain("recruit_sms_waiting_since", ">=", now - age.RED_AFTER),
            age.RED: Domain("recruit_sms_waiting_since", "<", now - age.RED_AFTER),
        }
        values = [value] if isinstance(value, str) else value
        return Domain.OR(domains[v] for v in values if v in domains)

    def _recruit_sms_may_answer(self, user):
        """Whether ``user`` may be given this conversation (assignee, answerer, escalation):
        an internal user of the applicant's company who may read the applicant there."""
        self.ensure_one()
        company = self._recruit_sms_company()
        if not user or user.share or not user.active or (company and company not in user.company_ids):
            return False
        companies = company.ids if company else user.company_ids.ids
        return self.with_user(user).with_context(allowed_company_ids=companies).has_access("read")

    def _check_recruit_sms_assignee(self):
        """An assignee written by anyone may answer the conversation (checked when written,
        not when copied from the applicant's recruiter, which is core's choice)."""
        for applicant in self.sudo():
            user = applicant.recruit_sms_assigned_user_id
            if user and not applicant._recruit_sms_may_answer(user):
                raise ValidationError(self.env._(
                    "Conversation assigned to: %(user)s cannot see %(name)s in %(company)s; choose someone of that "
                    "company's recruiting team.", user=user.name, name=applicant.partner_name or applicant.display_name,
                    company=applicant._recruit_sms_company().name or ""))

    def _recruit_sms_is_team_member(self, user=None):
        user = user or self.env.user
        return user.has_group("hr_recruitment.group_hr_recruitment_user")

    @api.depends_context("uid")
    @api.depends("recruit_sms_assigned_user_id")
    def _compute_recruit_sms_inbox(self):
        for applicant in self:
            if applicant.recruit_sms_assigned_user_id == self.env.user:
                applicant.recruit_sms_inbox = "mine"
            elif not applicant.recruit_sms_assigned_user_id:
                applicant.recruit_sms_inbox = "team"
            else:
                applicant.recruit_sms_inbox = "others"

    def _search_recruit_sms_inbox(self, operator, value):
        if operator not in ("in", "="):
            return NotImplemented
        values = [value] if isinstance(value, str) else value
        domains = {
            "mine": Domain("recruit_sms_assigned_user_id", "=", self.env.uid),
            "team": Domain("recruit_sms_assigned_user_id", "=", False),
            "others": Domain("recruit_sms_assigned_user_id", "not in", [self.env.uid, False]),
        }
        return Domain.OR(domains[v] for v in values if v in domains)

    @api.depends_context("uid")
    @api.depends("recruit_sms_last_inbound_date", "recruit_sms_read_ids.read_date")
    def _compute_recruit_sms_unread(self):
        reads = {
            read.applicant_id.id: read.read_date
            for read in self.env["recruit.sms.read"].sudo().search([("applicant_id", "in", self.ids), ("user_id", "=", self.env.uid)])
        }
        for applicant in self:
            last = applicant.recruit_sms_last_inbound_date
            applicant.recruit_sms_unread = bool(last) and (applicant.id not in reads or reads[applicant.id] < last)

    def _search_recruit_sms_unread(self, operator, value):
        if operator != "in":
            return NotImplemented
        self.env.cr.execute("""
            SELECT a.id FROM hr_applicant a
              LEFT JOIN recruit_sms_read r ON r.applicant_id = a.id AND r.user_id = %s
             WHERE a.recruit_sms_last_inbound_date IS NOT NULL
               AND (r.read_date IS NULL OR r.read_date < a.recruit_sms_last_inbound_date)
        """, [self.env.uid])
        ids = [row[0] for row in self.env.cr.fetchall()]
        return Domain("id", "in", ids) if True in value else Domain("id", "not in", ids)
