import re
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import config

from .common import RecruitSmsCase


class BookingCase(HttpCase, RecruitSmsCase):
    """A recruiter's booking links, opened as a candidate's phone opens them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "UTC"  # Monday to Friday, 8:00 to 12:00 and 13:00 to 17:00
        cls.job.recruit_sms_interview_minutes = 45

    def link_for(self, applicant=None):
        sentence = (applicant or self.applicant).with_user(self.recruiter).recruit_sms_booking_link()
        url = re.search(r"https?://\S+", sentence).group(0)
        return url[url.index("/recruit_sms/book/"):]

    def page(self, path):
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        return response.text

    def slots(self, html):
        return [re.search(r'value="([^"]+)"', button).group(1)
                for button in re.findall(r'<button[^>]*name="slot"[^>]*>', html)]

    def csrf(self, path):
        return re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', self.page(path)).group(1)

    def book(self, path, slot, csrf=None):
        """Pick ``slot``, then confirm it, as the candidate's two taps do."""
        csrf = csrf or self.csrf(path)
        picked = self.url_open(path, data={"slot": slot, "csrf_token": csrf})
        if 'name="confirm"' not in picked.text:
            return picked  # refused before the confirmation (not a time, too many attempts)
        return self.url_open(path, data={"slot": slot, "confirm": "1", "csrf_token": csrf})

    def utc(self, slot):
        """A slot as the page offers it (the candidate's local time) in naive UTC."""
        return datetime.fromisoformat(slot).astimezone(UTC).replace(tzinfo=None)

    def events(self):
        return self.env["calendar.event"].search([("applicant_id", "=", self.applicant.id)])



@tagged("post_install", "-at_install")
class TestBookingLinks(BookingCase):
    """The public booking page over HTTP."""

    def test_the_page_offers_free_slots_and_nothing_else(self):
        html = self.page(self.link_for())
        slots = self.slots(html)
        self.assertTrue(slots, "working days ahead have free slots")
        self.assertLessEqual(len(slots), 60)
        # the number in the ways it may be written (the digits "555" alone may be in an asset's hash)
        for private in ("ann.applicant@example.com", "555-0142", "5550142", "555 0142", "Rita", "Ann Applicant",
                        "Forklift"):
            self.assertNotIn(private, html, "the page reveals nothing but the slots")
        self.assertTrue(all(slot.endswith(("-08:00", "-07:00")) for slot in slots), "in the candidate's zone")
        self.assertGreaterEqual(self.utc(slots[0]), fields.Datetime.now() + timedelta(hours=2) - timedelta(minutes=1))

    def test_a_candidates_phone_loads_no_script(self):
        path = self.link_for()
        scripts = re.compile(r"<script[^>]*\bsrc=")
        with patch.dict(config.options, {"test_enable": False}):
            self.assertEqual(scripts.findall(self.page(path)), [], "only a test run loads the scripts a tour needs")
        self.assertTrue(scripts.findall(self.page(path)))

    def test_booking_creates_the_interview_once(self):
        path = self.link_for()
        slot = self.slots(self.page(path))[0]
        response = self.book(path, slot)
        self.assertIn("Your interview is booked for", response.text)
        event = self.events()
        self.assertEqual(len(event), 1)
        self.assertEqual(event.partner_ids, self.recruiter.partner_id | self.applicant.partner_id)
        self.assertEqual(event.start, self.utc(slot))
        self.assertEqual(event.stop - event.start, timedelta(minutes=45))
        texts = [bubble["body"] for bubble in self.bubbles() if bubble["channel"] == "sms"]
        self.assertTrue(texts and texts[-1].startswith("Your interview is booked for"), "the candidate is told")
        self.assertTrue(self.applicant.message_ids.filtered(lambda m: "booked an interview with Rita Recruiter" in (m.body or "")))
        fresh = self.link_for()
        again = self.book(path, self.slots(self.page(fresh))[1], self.csrf(fresh))
        self.assertIn("can no longer be used", again.text)
        self.assertEqual(len(self.events()), 1, "a link books once")

    def test_a_french_candidate_reads_their_times_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.applicant.partner_id.lang = "fr_FR"
        path = self.link_for()
        html = self.page(path)
        slot = datetime.fromisoformat(self.slots(html)[0])  # at the candidate's clock (Los Angeles)
        days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
        months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                  "novembre", "décembre"]
        day = f"{days[slot.weekday()]} {slot.day} {months[slot.month - 1]} {slot.year}"
        self.assertIn(day, html, "the day in French, as a French calendar writes it")
        self.assertIn(f">{slot:%H:%M}<", html.replace(" ", "").replace("\n", ""), "a 24-hour clock")
        self.book(path, self.slots(html)[0])
        texts = [bubble["body"] for bubble in self.bubbles() if bubble["channel"] == "sms"]
        self.assertIn(f"{day} à {slot:%H:%M}", texts[-1])

    def test_a_time_picked_is_confirmed_before_it_is_booked(self):
        self.applicant.email_from = False  # a candidate with a phone only is on the event all the same
        path = self.link_for()
        slot = self.slots(self.page(path))[0]
        picked = self.url_open(path, data={"slot": slot, "csrf_token": self.csrf(path)})
        self.assertIn("Book your interview on", picked.text)
        self.assertFalse(self.events(), "one tap books nothing")
        local = datetime.fromisoformat(slot)
        # spelled out in the candidate's language (English here) at their clock
        clock = f"{local.hour % 12 or 12}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"
        self.assertIn(f"{local:%A}, {local:%B} {local.day}, {local.year} at {clock} (Los Angeles time)", picked.text)
        self.assertIn("Pick another time", picked.text)
        booked = self.url_open(path, data={"slot": slot, "confirm": "1", "csrf_token": self.csrf(path)})
        self.assertIn("Your interview is booked for", booked.text)
        event = self.events()
        self.assertEqual(len(event.partner_ids), 2)
        self.assertEqual((event.partner_ids - self.recruiter.partner_id).phone, self.applicant.partner_phone)

    def test_the_candidate_cancels_or_changes_until_two_hours_before(self):
        path = self.link_for()
        first, second = self.slots(self.page(path))[:2]
        booked = self.book(path, first)
        self.assertIn("Cancel or change my interview", booked.text)
        texts = [bubble["body"] for bubble in self.bubbles() if bubble["channel"] == "sms"]
        self.assertIn(f"To change or cancel it: {self.applicant.get_base_url()}{path}", texts[-1])
        cancelled = self.url_open(path, data={"cancel": "1", "csrf_token": self.csrf(path)})
        self.assertIn("Your interview is cancelled", cancelled.text)
        self.assertFalse(self.events(), "the interview is gone from both calendars")
        self.assertTrue(self.applicant.message_ids.filtered(
            lambda m: "cancelled the interview with Rita Recruiter" in (m.body or "")), "the recruiter is told")
        self.assertIn(second, self.slots(cancelled.text), "another time may be picked")
        self.book(path, second)
        self.assertEqual(self.events().start, self.utc(second), "changed")
        # within two hours of it, the link no longer changes it
        csrf = self.csrf(path)
        self.events().sudo().write({"start": fields.Datetime.now() + timedelta(hours=1),
                                    "stop": fields.Datetime.now() + timedelta(hours=2)})
        page = self.page(path)
        self.assertNotIn("Cancel or change my interview", page)
        self.assertIn("To change it now, reply to our message", page)
        refused = self.url_open(path, data={"cancel": "1", "csrf_token": csrf})
        self.assertIn("can no longer be changed here", refused.text)
        self.assertEqual(len(self.events()), 1)

    def test_a_slot_taken_meanwhile_is_refused(self):
        other = self.env["hr.applicant"].create({"partner_name": "Bob", "partner_phone": "+1 415 555 0177",
                                                 "job_id": self.job.id, "recruit_sms_consent": True})
        mine, theirs = self.link_for(), self.link_for(other)
        slot = self.slots(self.page(mine))[0]
        self.book(theirs, slot)
        response = self.book(mine, slot)
        self.assertIn("This time was just taken", response.text)
        self.assertFalse(self.events())
        self.assertNotIn(slot, self.slots(response.text), "nor offered any more")

    def test_the_recruiters_events_are_busy(self):
        path = self.link_for()
        slot = self.slots(self.page(path))[0]
        start = self.utc(slot)
        self.env["calendar.event"].create({"name": "Dentist", "start": start, "stop": start + timedelta(minutes=10),
                                           "partner_ids": [(6, 0, self.recruiter.partner_id.ids)]})
        self.assertNotIn(slot, self.slots(self.page(path)))

    def test_expired_and_forged_links(self):
        path = self.link_for()
        slot, csrf = self.slots(self.page(path))[0], self.csrf(path)
        self.env["recruit.sms.booking"].sudo().search([]).expires_at = fields.Datetime.now() - timedelta(minutes=1)
        self.assertEqual(self.slots(self.page(path)), [])
        self.assertIn("can no longer be used", self.book(path, slot, csrf).text)
        self.assertFalse(self.events())
        self.assertIn("This booking link has expired", self.page(path))
        missing = self.url_open("/recruit_sms/book/forged-token")
        self.assertEqual(missing.status_code, 404)
        self.assertIn("This booking link does not exist", missing.text, "a page that says so, not a bare Not Found")

    def test_too_many_attempts_are_refused(self):
        path = self.link_for()
        codes = [self.book(path, "not a time").status_code for _ in range(11)]
        self.assertEqual(codes[:10], [200] * 10)
        self.assertEqual(codes[10], 429)

    def test_no_slot_in_the_middle_of_the_candidates_night(self):
        # the recruiter works 8:00 to 17:00 UTC: before 10:00 in San Francisco, summer or winter
        self.company.write({"recruit_sms_quiet_start": 10, "recruit_sms_quiet_end": 21})
        html = self.page(self.link_for())
        self.assertEqual(self.slots(html), [])
        self.assertIn("no time to offer", html)

    def test_the_slots_of_today_stay_the_same_between_the_page_and_the_booking(self):
        self.link_for()
        link = self.env["recruit.sms.booking"].sudo().search([], limit=1)
        # a Wednesday at 10:00:00.5 UTC, in working hours, then the form posted 1.3 s later
        seen = link._recruit_sms_slots(now=datetime(2026, 7, 1, 10, 0, 0, 500000))
        posted = link._recruit_sms_slots(now=datetime(2026, 7, 1, 10, 0, 1, 800000))
        self.assertEqual(seen, posted)
        self.assertEqual(seen[0], datetime(2026, 7, 1, 13, 0, tzinfo=UTC), "today's first free slot, on the hour")

    def test_an_all_day_event_takes_the_whole_day(self):
        self.link_for()
        link = self.env["recruit.sms.booking"].sudo().search([], limit=1)
        self.recruiter.tz = "America/New_York"
        self.env["calendar.event"].create({
            "name": "Job fair", "allday": True, "start": "2026-07-02 00:00:00", "stop": "2026-07-02 00:00:00",
            "partner_ids": [(6, 0, self.recruiter.partner_id.ids)]})
        days = {slot.date() for slot in link._recruit_sms_slots(now=datetime(2026, 7, 1, 6, 0))}
        self.assertIn(datetime(2026, 7, 1).date(), days)
        self.assertNotIn(datetime(2026, 7, 2).date(), days, "nothing offered on the day of the job fair")
        self.assertIn(datetime(2026, 7, 3).date(), days)

    def test_the_composer_inserts_a_link(self):
        composer = self.env["recruit.sms.composer"].with_user(self.recruiter).create(
            {"applicant_id": self.applicant.id, "channel": "sms", "subject": "Interview", "body": "Hi Ann!"})
        composer.action_insert_booking_link()
        self.assertRegex(composer.body, r"^Hi Ann!\nPick a time for your interview: https?://\S+/recruit_sms/book/\S+$")


@tagged("post_install", "-at_install")
class TestBookingOnAPhone(BookingCase):
    """The booking page in Chromium on a phone's screen, tapped as a candidate does."""

    browser_size = "390x844"
    touch_enabled = True

    def test_a_candidate_books_from_a_phone(self):
        path = self.link_for()
        self.start_tour(path, "recruit_sms_booking_tour")
        event = self.events()
        self.assertEqual(len(event), 1)
        self.assertEqual(event.partner_ids, self.recruiter.partner_id | self.applicant.partner_id)
        texts = [bubble["body"] for bubble in self.bubbles() if bubble["channel"] == "sms"]
        self.assertTrue(texts and texts[-1].startswith("Your interview is booked for"))
