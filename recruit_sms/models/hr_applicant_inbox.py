from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools import phone, user_input
from .hr_applicant import INBOX_LIMIT, SCAN_MAX_NUMBERS, SCAN_TEXT_LIMIT


class HrApplicant(models.Model):
    """The inbox: the systray's counts and panel, starting a chat, numbers pasted in,
    read marks and the bus messages that keep them current."""

    _inherit = "hr.applicant"  # pylint: disable=consider-merging-classes-inherited

    def _open_groups(self, *, groups, groupby, auto_unfold, **kwargs):
        """Grouped by who answers, the team's conversations ("Team", no assignee) open like
        everyone's: the web client folds the empty group of a relation, and that group is
        the one the whole team is waiting on."""
        team = [group for group in groups if auto_unfold and groupby and groupby[0] == "recruit_sms_assigned_user_id"
                and not group["recruit_sms_assigned_user_id"]]
        for group in team:
            group["recruit_sms_assigned_user_id"] = (False, "")  # not empty: opened as the others
        try:
            return super()._open_groups(groups=groups, groupby=groupby, auto_unfold=auto_unfold, **kwargs)
        finally:
            for group in team:
                group["recruit_sms_assigned_user_id"] = False

    @api.model
    def _recruit_sms_inbox_domain(self):
        """Open conversations waiting for an answer, or whose candidate may have asked to
        stop (they stay until a recruiter decides)."""
        return Domain("recruit_sms_state", "=", "open") & (
            Domain("recruit_sms_waiting_since", "!=", False) | Domain("recruit_sms_optout_asked", "=", True))

    @api.model
    def _recruit_sms_waiting_domain(self):
        domain = self._recruit_sms_inbox_domain()
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
        """The systray panel: conversations waiting for me and for the team, those that may
        ask to stop first, then the oldest first."""
        limit = self._recruit_sms_input(self.env._("Limit"), limit, user_input.whole_number, 1, 1000)
        base = self._recruit_sms_inbox_domain()
        order = "recruit_sms_optout_asked desc, recruit_sms_waiting_since asc, id asc"
        groups = {"mine": self.search(base & Domain("recruit_sms_assigned_user_id", "=", self.env.uid),
                                      order=order, limit=limit)}
        if self._recruit_sms_is_team_member():
            groups["team"] = self.search(base & Domain("recruit_sms_assigned_user_id", "=", False),
                                         order=order, limit=limit)
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
            "campaign": applicant.recruit_sms_campaign_id.name or "",
            "asked_to_stop": applicant.recruit_sms_optout_asked_text or False,
            "escalated": applicant.recruit_sms_escalated,
        } for applicant in self]

    @api.model
    def recruit_sms_search_chat(self, query, limit=8):
        """Start chat: applicants the user may read, by name, email or phone."""
        query = self._recruit_sms_input(self.env._("Search"), query, user_input.text, 200).strip()
        limit = self._recruit_sms_input(self.env._("Limit"), limit, user_input.whole_number, 1, 100)
        if len(query) < 2:
            return []
        domain = Domain.OR([
            Domain("partner_name", "ilike", query),
            Domain("email_from", "ilike", query),
            Domain("partner_phone", "ilike", query),
            Domain("partner_phone_sanitized", "ilike", query.replace(" ", "")),
        ])
        return self.search(domain, limit=limit, order="recruit_sms_last_message_date desc, id desc")._recruit_sms_inbox_rows()

    @api.model
    def recruit_sms_scan_text(self, text):
        """Phone numbers written in pasted text (a signature, a job-board page, a CV), read
        in the company's country, each with the applicants the user may read who hold it."""
        self.browse().check_access("read")
        text = self._recruit_sms_input(self.env._("Pasted text"), text, user_input.text, 10 * SCAN_TEXT_LIMIT)
        found = phone.find_numbers(text[:SCAN_TEXT_LIMIT], self.env.company.country_id.code)[:SCAN_MAX_NUMBERS]
        numbers = [e164 for _raw, e164 in found]
        holders = self.search(self._recruit_sms_holding(numbers),
                              order="recruit_sms_last_message_date desc, id desc") if numbers else self.browse()
        return [{
            "raw": raw,
            "number": e164,
            "applicants": holders.filtered(
                lambda a, n=e164: n in (a.phone_sanitized, a.partner_phone_sanitized))._recruit_sms_inbox_rows(),
        } for raw, e164 in found]

    @api.model
    def recruit_sms_create_from_number(self, number):
        """A new applicant for a number found in pasted text; the recruiter names them on
        the form. No consent: nothing says they agreed to be texted."""
        number = self._recruit_sms_input(self.env._("Phone number"), number, user_input.text, phone.MAX_INPUT)
        e164 = phone.try_e164(number, self.env.company.country_id.code)
        if not e164:
            raise UserError(self.env._("%(number)s is not a phone number that can be texted: check it and try again.",
                                       number=number))
        applicant = self.create({"partner_name": self.env._("New candidate %(number)s", number=e164), "partner_phone": e164})
        return applicant._recruit_sms_inbox_rows()[0]

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

    def _recruit_sms_inbox_users(self, previous_users=None):
        """Users whose inbox shows this conversation: its assignee (and ``previous_users``,
        whose inbox showed it), or the recruiting team when it is unassigned, and the
        user acting on it; only users of the applicant's company who may read it."""
        self.ensure_one()
        applicant = self.sudo()
        users = applicant.recruit_sms_assigned_user_id | (previous_users or self.env["res.users"])
        if not applicant.recruit_sms_assigned_user_id:
            users |= self.env.ref("hr_recruitment.group_hr_recruitment_user").sudo().all_user_ids
        users |= self.env.user
        return users.filtered(lambda user: (
            user.active and user._is_internal()
            and (not applicant.company_id or applicant.company_id in user.company_ids)
            and applicant.with_user(user).with_context(allowed_company_ids=user.company_ids.ids).has_access("read")
        ))

    def _recruit_sms_notify_inbox(self, previous_users=None):
        """Tell the inboxes concerned to refresh (systray badge and panel)."""
        for applicant in self:
            for user in applicant._recruit_sms_inbox_users(previous_users):
                user._bus_send("recruit_sms/inbox", {"applicant_ids": applicant.ids})
