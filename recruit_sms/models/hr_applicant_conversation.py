from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools import age, commands

INBOX_LIMIT = 30


class HrApplicant(models.Model):
    """The conversation with an applicant, as the inbox sees it: who answers, whether it
    waits for a response and since when, and who has read it.

    What the inbox sorts and filters on is stored on the applicant and indexed, so the
    counts do not grow with the number of messages."""

    # one concern per file: the conversation state lives beside the texting rules
    _inherit = "hr.applicant"  # pylint: disable=consider-merging-classes-inherited

    recruit_sms_assigned_user_id = fields.Many2one(
        "res.users",
        "Conversation assigned to",
        compute="_compute_recruit_sms_assigned_user_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        help="Who answers this applicant's messages; empty: the recruiting team.",
    )
    recruit_sms_state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], "Conversation", default="open", required=True, tracking=True,
    )
    recruit_sms_last_inbound_date = fields.Datetime("Last message received", copy=False)
    recruit_sms_last_preview = fields.Char("Last message preview", copy=False)
    recruit_sms_last_channel = fields.Selection([("email", "Email"), ("sms", "SMS")], "Last message channel", copy=False)
    recruit_sms_colour = fields.Selection(
        [(age.GREEN, "Under 12 h"), (age.ORANGE, "12 to 24 h"), (age.RED, "Over 24 h"), (age.BLUE, "Responded")],
        "Response age", compute="_compute_recruit_sms_colour", search="_search_recruit_sms_colour",
    )
    recruit_sms_inbox = fields.Selection(
        [("mine", "For you"), ("team", "For the team"), ("others", "Others")],
        "Inbox", compute="_compute_recruit_sms_inbox", search="_search_recruit_sms_inbox",
    )
    recruit_sms_unread = fields.Boolean(
        "Unread", compute="_compute_recruit_sms_unread", search="_search_recruit_sms_unread",
    )
    recruit_sms_read_ids = fields.One2many("recruit.sms.read", "applicant_id", "Read by")
    recruit_sms_scheduled_ids = fields.One2many("recruit.sms.scheduled", "applicant_id", "Scheduled messages")

    def init(self):
        result = super().init()
        # the inbox: open conversations waiting for an answer, per assignee
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS hr_applicant_recruit_sms_inbox_idx
                ON hr_applicant (recruit_sms_assigned_user_id, recruit_sms_waiting_since)
             WHERE recruit_sms_waiting_since IS NOT NULL AND recruit_sms_state = 'open' AND active
        """)
        return result

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

    # ------------------------------------------------------------
    # The inbox (systray and Conversations menu)
    # ------------------------------------------------------------

    @api.model
    def _recruit_sms_waiting_domain(self):
        domain = Domain("recruit_sms_waiting_since", "!=", False) & Domain("recruit_sms_state", "=", "open")
        mine = Domain("recruit_sms_assigned_user_id", "=", self.env.uid)
        if self._recruit_sms_is_team_member():
            mine |= Domain("recruit_sms_assigned_user_id", "=", False)
        return domain & mine

    @api.model
    def recruit_sms_inbox_count(self):
        """Conversations waiting for the current user: assigned to them, or unassigned
        when they are in the recruiting team. Record rules apply."""
        return self.search_count(self._recruit_sms_waiting_domain())

    @api.model
    def recruit_sms_inbox_data(self, limit=INBOX_LIMIT):
        """The systray panel: conversations waiting for me and for the team, oldest first."""
        base = Domain("recruit_sms_waiting_since", "!=", False) & Domain("recruit_sms_state", "=", "open")
        groups = {"mine": self.search(base & Domain("recruit_sms_assigned_user_id", "=", self.env.uid),
                                      order="recruit_sms_waiting_since asc, id asc", limit=limit)}
        if self._recruit_sms_is_team_member():
            groups["team"] = self.search(base & Domain("recruit_sms_assigned_user_id", "=", False),
                                         order="recruit_sms_waiting_since asc, id asc", limit=limit)
        else:
            groups["team"] = self.browse()
        return {
            "count": self.recruit_sms_inbox_count(),
            "groups": [
                {"key": "mine", "label": self.env._("For you"), "conversations": groups["mine"]._recruit_sms_inbox_rows()},
                {"key": "team", "label": self.env._("For the team"), "conversations": groups["team"]._recruit_sms_inbox_rows()},
            ],
        }

    def _recruit_sms_inbox_rows(self):
        return [{
            "id": applicant.id,
            "name": applicant.partner_name or applicant.display_name,
            "job": applicant.job_id.name or "",
            "preview": applicant.recruit_sms_last_preview or "",
            "channel": applicant.recruit_sms_last_channel or "sms",
            "colour": applicant.recruit_sms_colour,
            "waiting_since": fields.Datetime.to_string(applicant.recruit_sms_waiting_since) or False,
            "unread": applicant.recruit_sms_unread,
            "assigned": applicant.recruit_sms_assigned_user_id.name or "",
        } for applicant in self]

    @api.model
    def recruit_sms_search_chat(self, query, limit=8):
        """Start chat: applicants the user may read, by name, email or phone."""
        query = (query or "").strip()
        if len(query) < 2:
            return []
        domain = Domain.OR([
            Domain("partner_name", "ilike", query),
            Domain("email_from", "ilike", query),
            Domain("partner_phone", "ilike", query),
            Domain("partner_phone_sanitized", "ilike", query.replace(" ", "")),
        ])
        return self.search(domain, limit=limit, order="recruit_sms_last_message_date desc, id desc")._recruit_sms_inbox_rows()

    def recruit_sms_mark_read(self):
        """The current user read the conversation."""
        self.check_access("read")
        now = fields.Datetime.now()
        reads = self.env["recruit.sms.read"].sudo()
        for applicant in self:
            read = reads.search([("applicant_id", "=", applicant.id), ("user_id", "=", self.env.uid)], limit=1)
            if read:
                read.read_date = now
            else:
                reads.create({"applicant_id": applicant.id, "user_id": self.env.uid, "read_date": now})
        self._recruit_sms_notify_inbox()
        return True

    def _recruit_sms_inbox_users(self):
        """Users whose inbox shows these conversations."""
        users = self.recruit_sms_assigned_user_id
        if any(not applicant.recruit_sms_assigned_user_id for applicant in self):
            users |= self.env.ref("hr_recruitment.group_hr_recruitment_user").sudo().all_user_ids.filtered("active")
        return users | self.env.user.filtered(lambda u: u._is_internal())

    def _recruit_sms_notify_inbox(self, previous_users=None):
        """Tell the inboxes concerned to refresh (systray badge and panel)."""
        users = self._recruit_sms_inbox_users() | (previous_users or self.env["res.users"])
        for user in users:
            user._bus_send("recruit_sms/inbox", {"applicant_ids": self.ids})

    # ------------------------------------------------------------
    # Commands
    # ------------------------------------------------------------

    def _recruit_sms_now_local(self):
        user_now = fields.Datetime.context_timestamp(self.with_context(tz=self.env.user.tz or "UTC"), fields.Datetime.now())
        return user_now.replace(tzinfo=None)

    def _recruit_sms_run_command(self, text, channel="sms", subject=""):
        """Run the chat command ``text``; return what the user should read."""
        self.ensure_one()
        try:
            command = commands.parse_command(text, now=self._recruit_sms_now_local())
        except commands.CommandError as error:
            raise UserError(str(error)) from error
        handler = getattr(self, f"_recruit_sms_command_{command.name.replace('-', '_')}")
        return handler(channel=channel, subject=subject, **command.args)

    def _recruit_sms_log(self, body):
        self.sudo().message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id)

    def _recruit_sms_assign(self, user):
        previous = self.recruit_sms_assigned_user_id
        self.sudo().recruit_sms_assigned_user_id = user
        self._recruit_sms_notify_inbox(previous_users=previous)

    def _recruit_sms_command_assign(self, user, **_kwargs):
        team = self.env.ref("hr_recruitment.group_hr_recruitment_user").sudo().all_user_ids.filtered("active")
        candidates = team.filtered(lambda u: user.lower() in (u.login.lower(), (u.name or "").lower()))
        if not candidates:
            candidates = team.filtered(lambda u: user.lower() in (u.name or "").lower())
        if not candidates:
            raise UserError(self.env._("^assign: no member of the recruiting team matches %(user)r.", user=user))
        if len(candidates) > 1:
            raise UserError(self.env._(
                "^assign: %(user)r matches %(names)s; give the login.", user=user, names=", ".join(candidates.mapped("name")),
            ))
        self._recruit_sms_assign(candidates)
        self._recruit_sms_log(self.env._("Conversation assigned to %(user)s by %(by)s.", user=candidates.name, by=self.env.user.name))
        return self.env._("Assigned to %(user)s.", user=candidates.name)

    def _recruit_sms_command_claim(self, **_kwargs):
        if not self._recruit_sms_is_team_member():
            raise UserError(self.env._("^claim: only members of the recruiting team can claim a conversation."))
        self._recruit_sms_assign(self.env.user)
        self._recruit_sms_log(self.env._("Conversation claimed by %(user)s.", user=self.env.user.name))
        return self.env._("You answer this conversation now.")

    def _recruit_sms_command_unassign(self, **_kwargs):
        self._recruit_sms_assign(self.env["res.users"])
        self._recruit_sms_log(self.env._("Conversation handed to the team by %(user)s.", user=self.env.user.name))
        return self.env._("The conversation is for the team now.")

    def _recruit_sms_command_close(self, **_kwargs):
        self.sudo().recruit_sms_state = "closed"
        self._recruit_sms_log(self.env._("Conversation closed by %(user)s.", user=self.env.user.name))
        self._recruit_sms_notify_inbox()
        return self.env._("Conversation closed.")

    def _recruit_sms_command_open(self, **_kwargs):
        self.sudo().recruit_sms_state = "open"
        self._recruit_sms_log(self.env._("Conversation reopened by %(user)s.", user=self.env.user.name))
        self._recruit_sms_notify_inbox()
        return self.env._("Conversation reopened.")

    def _recruit_sms_command_read(self, **_kwargs):
        self.recruit_sms_mark_read()
        self._recruit_sms_log(self.env._("Conversation marked read by %(user)s.", user=self.env.user.name))
        return self.env._("Marked as read.")

    def _recruit_sms_command_note(self, text, **_kwargs):
        self._recruit_sms_log(text)
        return self.env._("Note added; nothing was sent.")

    def _recruit_sms_command_at(self, when, message, channel="sms", subject="", **_kwargs):
        send_at = commands.local_to_utc(when, self.env.user.tz)
        if channel == "sms":
            self._recruit_sms_check_sendable()
        scheduled = self.env["recruit.sms.scheduled"].sudo().create({
            "applicant_id": self.id,
            "channel": channel,
            "subject": subject or self.env._("Scheduled message"),
            "body": message,
            "send_at": send_at,
            "user_id": self.env.uid,
        })
        self._recruit_sms_log(self.env._(
            "%(user)s scheduled a message for %(when)s (%(tz)s).",
            user=self.env.user.name, when=when.strftime("%Y-%m-%d %H:%M"), tz=self.env.user.tz or "UTC",
        ))
        return self.env._(
            "Scheduled for %(when)s (message %(id)s); it can be cancelled until then.",
            when=when.strftime("%Y-%m-%d %H:%M"), id=scheduled.id,
        )

    # ------------------------------------------------------------
    # Bulk Text (list and kanban action)
    # ------------------------------------------------------------

    def action_recruit_sms_bulk_text(self):
        cap = self.env.company.recruit_sms_bulk_cap
        if len(self) > cap:
            raise UserError(self.env._(
                "You selected %(count)s applicants; Bulk Text takes at most %(cap)s at once. Select %(cap)s or fewer to "
                "create the campaign, then add more recipients inside it (Recipients tab) before sending.",
                count=len(self), cap=cap))
        campaign = self.env["recruit.sms.campaign"].create({
            "name": self.env._("Text campaign %(date)s", date=fields.Date.to_string(fields.Date.today())),
            "job_id": self.job_id.id if len(self.job_id) == 1 else False,
            "recipient_ids": [fields.Command.set(self.ids)],
        })
        return {"type": "ir.actions.act_window", "res_model": "recruit.sms.campaign", "res_id": campaign.id,
                "views": [(False, "form")], "target": "current"}
