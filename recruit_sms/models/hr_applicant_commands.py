from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import commands


class HrApplicant(models.Model):
    """Chat commands (^assign, ^at, ^note...) typed in any composer, and the bulk
    actions of the applicants' list (Bulk Text, text lists)."""

    _inherit = "hr.applicant"  # pylint: disable=consider-merging-classes-inherited

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

    def _recruit_sms_assign(self, user):
        previous = self.recruit_sms_assigned_user_id
        # the command writes its own line in the chatter, saying who did it: no tracking line too
        self.sudo().with_context(mail_notrack=True).recruit_sms_assigned_user_id = user
        self._recruit_sms_notify_inbox(previous_users=previous)

    def _recruit_sms_command_assign(self, user, **_kwargs):
        # the recruiting team of the applicant's company, who may see the applicant
        team = self.env.ref("hr_recruitment.group_hr_recruitment_user").sudo().all_user_ids.filtered(
            self._recruit_sms_may_answer)
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
        self.sudo().with_context(mail_notrack=True).recruit_sms_state = "closed"
        self._recruit_sms_log(self.env._("Conversation closed by %(user)s.", user=self.env.user.name))
        self._recruit_sms_notify_inbox()
        return self.env._("Conversation closed.")

    def _recruit_sms_command_open(self, **_kwargs):
        self.sudo().with_context(mail_notrack=True).recruit_sms_state = "open"
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
            "%(user)s scheduled a message for %(when)s.",
            user=self.env.user.name, when=self.env.user._recruit_sms_moment(send_at),
        ))
        return self.env._(
            "Scheduled for %(when)s (message %(id)s); it can be cancelled until then.",
            when=self.env.user._recruit_sms_moment(send_at), id=scheduled.id,
        )

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

    def action_send_sms(self):
        """Core's Send SMS on many applicants is Bulk Text: one way to text in bulk, capped
        and paced (core's action is no longer offered in the list's menu)."""
        return self.action_recruit_sms_bulk_text()

    def action_recruit_sms_make_list(self):
        """A text list of the selected applicants, opened to be named."""
        text_list = self.env["recruit.sms.list"].create({
            "name": self.env._("Applicants %(date)s", date=fields.Date.to_string(fields.Date.today())),
            "applicant_ids": [fields.Command.set(self.ids)],
        })
        return {"type": "ir.actions.act_window", "res_model": "recruit.sms.list", "res_id": text_list.id,
                "views": [(False, "form")], "target": "current"}
