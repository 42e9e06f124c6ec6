from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.fields import Domain

from ..tools import age, moments


class ResUsers(models.Model):
    _inherit = "res.users"

    recruit_sms_inbound_email = fields.Boolean(
        "Email me when a candidate texts",
        default=True,
        help="Receive an email with the message when a candidate you recruit replies by SMS.",
    )

    recruit_sms_digest = fields.Boolean(
        "Daily texting digest",
        default=True,
        help="At the start of your working day, an email with the conversations waiting for you, the replies to your "
             "campaigns, the opt-outs and the texts that failed.",
    )
    recruit_sms_digest_sent_on = fields.Date("Last texting digest", readonly=True, copy=False)

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "recruit_sms_inbound_email", "recruit_sms_digest"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "recruit_sms_inbound_email", "recruit_sms_digest"]

    def _recruit_sms_working_time(self, company):
        """(employee, working schedule) of this user in ``company``: their employee there
        (an employee is per company) and its schedule, else the company's."""
        self.ensure_one()
        employee = self.sudo().with_company(company).employee_id
        return employee, employee.resource_calendar_id or company.resource_calendar_id

    def _recruit_sms_moment(self, moment):
        """``moment`` (naive UTC) as this user reads it in the back office: their language
        and time zone, the one way dates are written to recruiters."""
        self.ensure_one()
        return moments.for_user(moment, self.tz, self.lang)

    def _recruit_sms_day(self, moment):
        """The day of ``moment`` (naive UTC) as this user reads it in the back office."""
        self.ensure_one()
        return moments.day_for_user(moment, self.tz, self.lang)

    # ------------------------------------------------------------
    # The daily digest
    # ------------------------------------------------------------

    @api.model
    def _cron_recruit_sms_digest(self):
        """Send each recruiter who wants it their digest once a day, once their working
        day has started (in their time zone; none on a day they do not work)."""
        now = fields.Datetime.now()
        users = self.sudo().search([
            ("recruit_sms_digest", "=", True), ("share", "=", False), ("email", "!=", False),
            ("all_group_ids", "in", self.env.ref("hr_recruitment.group_hr_recruitment_user").id),
        ])
        for user in users:
            employee, calendar = user._recruit_sms_working_time(user.company_id)
            zone = pytz.timezone(user.tz or calendar.tz or "UTC")
            today = pytz.utc.localize(now).astimezone(zone).date()
            if user.recruit_sms_digest_sent_on == today:
                continue
            start = user._recruit_sms_workday_start(today, zone, employee, calendar)
            if start and pytz.utc.localize(now) >= start:
                user.recruit_sms_digest_sent_on = today
                user._recruit_sms_send_digest(now)

    def _recruit_sms_workday_start(self, day, zone, employee, calendar):
        """When this user's working day ``day`` starts (aware), or None on a day off, by
        ``calendar`` (``employee``'s resource, if any)."""
        begin = zone.localize(datetime.combine(day, time.min))
        if not calendar:
            return begin + timedelta(hours=8)
        resource = employee.resource_id
        intervals = calendar._work_intervals_batch(begin, begin + timedelta(days=1), resources=resource or None,
                                                   tz=zone)[resource.id or False]
        starts = [interval[0] for interval in intervals]
        return min(starts) if starts else None

    def _recruit_sms_digest_values(self, now):
        """What the digest says: {colour: count} of the conversations waiting for this user,
        and the replies to their campaigns, opt-outs and failed texts of the last day."""
        self.ensure_one()
        Applicant = self.env["hr.applicant"].with_user(self)
        since = now - timedelta(days=1)
        waiting = Applicant.search(Applicant._recruit_sms_waiting_domain())
        colours = {colour: len(waiting.filtered(lambda a, c=colour: a.recruit_sms_colour == c))
                   for colour in (age.RED, age.ORANGE, age.GREEN)}
        replies = self.env["recruit.sms.inbound"].sudo().search_count([
            ("campaign_line_id.campaign_id.create_uid", "=", self.id), ("received_date", ">=", since)])
        mine = Domain("applicant_id.recruit_sms_assigned_user_id", "=", self.id) | Domain("applicant_id.user_id", "=", self.id)
        opt_outs = self.env["recruit.sms.consent.event"].sudo().search_count(
            Domain("event", "=", "opt_out") & Domain("date", ">=", since) & mine)
        failed = self.env["mail.notification"].sudo().search_count([
            ("notification_type", "=", "sms"), ("notification_status", "in", ("exception", "bounce")),
            ("author_id", "=", self.partner_id.id), ("mail_message_id.date", ">=", now - timedelta(days=7)),
        ])
        return {"colours": colours, "waiting": len(waiting), "replies": replies, "opt_outs": opt_outs,
                "failed": failed}

    def _recruit_sms_send_digest(self, now):
        self.ensure_one()
        values = self._recruit_sms_digest_values(now)
        if not (values["waiting"] or values["replies"] or values["opt_outs"] or values["failed"]):
            return False  # nothing to say: no email
        lang = self.lang or "en_US"
        body = self.env["ir.qweb"].with_context(lang=lang)._render("recruit_sms.digest_email", {
            **values, "user": self, "link": f"{self.get_base_url()}/odoo/action-recruit_sms.recruit_sms_conversation_action",
        })
        return self.env["mail.mail"].sudo().create({
            "subject": self.with_context(lang=lang).env._("Texting: %(count)s conversations waiting for you",
                                                          count=values["waiting"]),
            "body_html": body, "email_to": self.email_formatted, "auto_delete": True,
        })
