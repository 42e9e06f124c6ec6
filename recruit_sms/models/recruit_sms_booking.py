import re
import secrets
from datetime import datetime, time, timedelta

import pytz
from psycopg2.errors import LockNotAvailable

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import booking, gate

# what a booking link offers: slots from NOTICE from now to HORIZON ahead, for LINK_DAYS
NOTICE = timedelta(hours=2)
HORIZON = timedelta(days=10)
LINK_DAYS = 7
MAX_SLOTS = 60
# booking attempts a link takes per hour before it answers "too many"
ATTEMPTS_PER_HOUR = 10
# a booked interview can be changed or cancelled from its link until this long before it
CHANGE_BEFORE = timedelta(hours=2)


# what secrets.token_urlsafe writes (links of any size it may have written)
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class RecruitSmsBooking(models.Model):
    """A booking link sent to a candidate: a short random token that opens a public page
    where they pick one of the recruiter's free slots, once. The page shows nothing but
    those slots; the token cannot be guessed, expires and is used once."""

    _name = "recruit.sms.booking"
    _description = "Interview booking link"
    _order = "id desc"
    _rec_name = "token"

    token = fields.Char(required=True, readonly=True, copy=False, index=True,
                        default=lambda self: secrets.token_urlsafe(9))
    applicant_id = fields.Many2one("hr.applicant", required=True, readonly=True, index=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", "Recruiter", required=True, readonly=True,
                              help="Whose free time the link offers, and who meets the candidate.")
    company_id = fields.Many2one(related="applicant_id.company_id", store=True, index=True)
    duration = fields.Integer("Minutes", required=True, readonly=True)
    expires_at = fields.Datetime(required=True, readonly=True)
    state = fields.Selection([("open", "Waiting for the candidate"), ("booked", "Booked"), ("cancelled", "Cancelled")],
                             default="open", required=True, readonly=True)
    event_id = fields.Many2one("calendar.event", "Interview", readonly=True, ondelete="set null")
    attempts = fields.Integer(readonly=True)
    attempts_since = fields.Datetime(readonly=True)
    url = fields.Char("Link", compute="_compute_url")

    _token_unique = models.Constraint("unique(token)", "A booking link's token is unique.")

    @api.depends("token")
    def _compute_url(self):
        for link in self:
            link.url = f"{link.applicant_id.get_base_url()}/recruit_sms/book/{link.token}"

    @api.model
    def _recruit_sms_find(self, token):
        """The link of ``token`` (sudo), or an empty recordset: a token is what
        ``secrets.token_urlsafe`` writes, anything else is no link."""
        if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
            return self.sudo().browse()
        return self.sudo().search([("token", "=", token)], limit=1)

    def _recruit_sms_usable(self):
        return self.state == "open" and self.expires_at > fields.Datetime.now()

    # ------------------------------------------------------------
    # Free slots
    # ------------------------------------------------------------

    def _recruit_sms_slots(self, now=None):
        """The slots (aware UTC datetimes) the candidate may pick now."""
        self.ensure_one()
        now = pytz.utc.localize(now or fields.Datetime.now())
        company = self.applicant_id.sudo()._recruit_sms_company()
        employee, calendar = self.user_id._recruit_sms_working_time(company)
        if not calendar:
            return []
        # whole working periods from the day before, so that slots start where the
        # working time starts (not at this very second): the same slot now and when posted
        start, end = (now - timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0), now + HORIZON
        resource = employee.resource_id
        intervals = calendar._work_intervals_batch(start, end, resources=resource or None)[resource.id or False]
        working = [(begin, stop) for begin, stop, _attendance in intervals]
        busy = self._recruit_sms_busy(start, end, pytz.timezone(employee.tz or self.user_id.tz or calendar.tz or "UTC"))
        length = timedelta(minutes=self.duration)
        slots = booking.free_slots(working, busy, length, not_before=now + NOTICE)
        # only at hours the candidate may be texted, in their own zone
        zone = pytz.timezone(self.applicant_id.sudo()._recruit_sms_zones()[0])
        slots = booking.within_hours(slots, zone, company.recruit_sms_quiet_start, company.recruit_sms_quiet_end, length)
        return slots[:MAX_SLOTS]

    def _recruit_sms_busy(self, start, end, zone):
        """[(start, end)] aware, of the recruiter's busy events; an all-day event takes its
        whole days in the recruiter's zone (Odoo stores it as 8:00 to 18:00 UTC)."""
        events = self.env["calendar.event"].sudo().search([
            ("partner_ids", "in", self.user_id.partner_id.id), ("start", "<", end.replace(tzinfo=None)),
            ("stop", ">", start.replace(tzinfo=None) - timedelta(days=1)), ("show_as", "=", "busy"),
        ])
        busy = []
        for event in events:
            if event.allday:
                first = zone.localize(datetime.combine(event.start_date, time.min))
                busy.append((first, zone.localize(datetime.combine(event.stop_date, time.min)) + timedelta(days=1)))
            else:
                busy.append((pytz.utc.localize(event.start), pytz.utc.localize(event.stop)))
        return busy

    # ------------------------------------------------------------
    # Booking
    # ------------------------------------------------------------

    def _recruit_sms_count_attempt(self):
        """Count a booking attempt; False when the link took too many this hour."""
        now = fields.Datetime.now()
        if not self.attempts_since or now - self.attempts_since > timedelta(hours=1):
            self.write({"attempts": 1, "attempts_since": now})
            return True
        self.attempts += 1
        return self.attempts <= ATTEMPTS_PER_HOUR

    def _recruit_sms_book(self, slot):
        """Book ``slot`` (aware UTC) for the candidate: the interview in both calendars,
        a note on the applicant, and a confirmation to the candidate. Raises UserError
        when the link cannot be used or the slot is no longer free."""
        self.ensure_one()
        try:  # two submissions of one link at once: one books, the other is told
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("SELECT id FROM recruit_sms_booking WHERE id = %s FOR UPDATE NOWAIT", self.id),
                                    log_exceptions=False)
        except LockNotAvailable:
            raise UserError(self.env._("This link is being used right now: try again in a moment.")) from None
        # two links of the same recruiter booking at once: both update the recruiter's row,
        # so the later one fails to serialize and Odoo runs it again, when it sees the
        # event of the first
        self.env.cr.execute(SQL("UPDATE res_users SET write_date = write_date WHERE id = %s", self.user_id.id))
        self.invalidate_recordset(["state", "event_id"])
        self._recruit_sms_check_slot(slot)
        applicant, user = self.applicant_id.sudo(), self.user_id.sudo()
        start = slot.astimezone(pytz.utc).replace(tzinfo=None)
        # the candidate is on the event, with a contact of their own even without an email
        candidate = applicant.partner_id or applicant._recruit_sms_ensure_partner(applicant.phone_sanitized)
        event = self.env["calendar.event"].sudo().with_context(default_applicant_id=applicant.id).create({
            "name": self.env._("Interview: %(name)s", name=applicant.partner_name or applicant.display_name),
            "start": start, "stop": start + timedelta(minutes=self.duration), "user_id": user.id,
            "partner_ids": [fields.Command.set((user.partner_id | candidate).ids)],
            "applicant_id": applicant.id, "res_model": "hr.applicant", "res_id": applicant.id,
        })
        self.write({"state": "booked", "event_id": event.id})
        when = self._recruit_sms_when(slot)
        applicant.message_post(
            body=self.env._("The candidate booked an interview with %(user)s on %(when)s through their booking link.",
                            user=user.name, when=when),
            message_type="comment", subtype_xmlid="mail.mt_note", author_id=self.env.ref("base.partner_root").id)
        self._recruit_sms_confirm(when)
        return event

    def _recruit_sms_changeable(self, now=None):
        """Whether the candidate may still change or cancel the interview this link booked."""
        now = now or fields.Datetime.now()
        return self.state == "booked" and bool(self.event_id) and self.event_id.start - CHANGE_BEFORE > now

    def _recruit_sms_cancel(self):
        """The candidate cancels the interview from their link (until CHANGE_BEFORE before
        it): the event goes, the recruiter is told on the applicant, and the link offers
        times again while it has not expired (a change is a cancel, then a new pick)."""
        self.ensure_one()
        if not self._recruit_sms_changeable():
            raise UserError(self.env._(
                "This interview can no longer be changed here: reply to our message and we will sort it out."))
        applicant, event = self.applicant_id.sudo(), self.event_id.sudo()
        when = self._recruit_sms_when(pytz.utc.localize(event.start))
        event.unlink()
        self.write({"state": "open" if self.expires_at > fields.Datetime.now() else "cancelled", "event_id": False})
        applicant.message_post(
            body=self.env._("The candidate cancelled the interview with %(user)s on %(when)s through their booking link.",
                            user=self.user_id.name, when=when),
            message_type="comment", subtype_xmlid="mail.mt_note", author_id=self.env.ref("base.partner_root").id,
            partner_ids=self.user_id.partner_id.ids)

    def _recruit_sms_check_slot(self, slot):
        """Refuse, saying why, a ``slot`` (aware UTC) this link cannot book now."""
        if not self._recruit_sms_usable():
            raise UserError(self.env._("This booking link can no longer be used: ask your recruiter for a new one."))
        if slot not in self._recruit_sms_slots():
            raise UserError(self.env._("This time was just taken: please pick another one."))

    def _recruit_sms_when(self, slot):
        """``slot`` as the candidate reads it: their zone, their language."""
        return self.applicant_id.sudo()._recruit_sms_moment(slot)

    def _recruit_sms_confirm(self, when):
        """Confirm by text when the gate allows it (held to their hours), else by email."""
        applicant = self.applicant_id.sudo()
        text = self.env._("Your interview is booked for %(when)s. See you then! To change or cancel it: %(url)s",
                          when=when, url=self.url)
        if not applicant._recruit_sms_verdict(gate.AUTOMATED, hours=False).blocked:
            applicant._recruit_sms_send_now(applicant.phone_sanitized, text, gate.AUTOMATED,
                                            subject=self.env._("Interview booked"), author=self.user_id,
                                            channel=applicant._recruit_sms_text_channel())
        elif applicant.email_from:
            applicant.with_context(mail_post_autofollow=False).message_post(
                body=text, subject=self.env._("Interview booked"), partner_ids=applicant.partner_id.ids,
                author_id=self.user_id.partner_id.id, message_type="comment", subtype_xmlid="mail.mt_comment")

    @api.model
    def _recruit_sms_create_for(self, applicant):
        """A new link for ``applicant`` with the current user's free time."""
        company = applicant._recruit_sms_company()
        if not self.env.user._recruit_sms_working_time(company)[1]:
            raise UserError(self.env._(
                "Booking links offer your working hours: set a working schedule on your employee or on the company "
                "(Settings > Employees)."))
        return self.sudo().create({
            "applicant_id": applicant.id, "user_id": self.env.uid,
            "duration": applicant.job_id.recruit_sms_interview_minutes or 30,
            "expires_at": fields.Datetime.now() + timedelta(days=LINK_DAYS),
        })
