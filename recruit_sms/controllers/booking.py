import logging
from datetime import UTC, datetime

import pytz
from werkzeug.exceptions import TooManyRequests

from odoo.exceptions import UserError
from odoo.http import Controller, request, route

from ..tools import booking, moments

_logger = logging.getLogger(__name__)

BOOKING_ROUTE = "/recruit_sms/book/<string:token>"


class RecruitSmsBookingController(Controller):
    """The public page of a booking link: the recruiter's free slots, and booking one.
    Unknown tokens are not found; the page shows nothing but the slots."""

    @route(BOOKING_ROUTE, type="http", auth="public", methods=["GET"], sitemap=False)
    def booking_page(self, token, **_kwargs):
        link = self._link(token)
        return self._render(link) if link else self._missing()

    @route(BOOKING_ROUTE, type="http", auth="public", methods=["POST"], sitemap=False)
    def booking_book(self, token, slot=None, confirm=None, cancel=None, **_kwargs):
        """A time picked is first shown back to confirm; only the confirmation books it. A
        booked interview may be cancelled (and another time picked) until shortly before."""
        link = self._link(token)
        if not link:
            return self._missing()
        if not link._recruit_sms_count_attempt():
            _logger.warning("Booking link %s: too many attempts this hour", link.id)
            raise TooManyRequests()
        if cancel == "1":
            return self._cancel(link)
        try:
            moment = datetime.fromisoformat(slot if isinstance(slot, str) else "").astimezone(UTC)
        except (ValueError, OverflowError):  # not a time, or one that has no UTC equivalent (year 1 at +14:00)
            _logger.info("Booking link %s: the slot posted is not a time", link.id)
            return self._render(link, error=request.env._("Please pick one of the times shown."))
        link = link.with_context(lang=self._lang(link))
        try:
            if confirm != "1":  # the time picked, shown back to confirm
                link._recruit_sms_check_slot(moment)
                return self._render(link, pending={"value": slot, "label": link._recruit_sms_when(moment)})
            link._recruit_sms_book(moment)
        except UserError as error:
            _logger.info("Booking link %s refused: %s", link.id, error)
            return self._render(link, error=str(error))
        return self._render(link)

    def _cancel(self, link):
        try:
            link.with_context(lang=self._lang(link))._recruit_sms_cancel()
        except UserError as error:
            _logger.info("Booking link %s: cancel refused", link.id)
            return self._render(link, error=str(error))
        return self._render(link, cancelled=True)

    def _link(self, token):
        return request.env["recruit.sms.booking"]._recruit_sms_find(token)

    def _missing(self):
        """An unknown link: a page that says so, styled as the others, with a 404."""
        _logger.info("Booking link not found")
        return request.render("recruit_sms.booking_missing", {}, status=404,
                              headers={"X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"})

    def _lang(self, link):
        return link.applicant_id.sudo().partner_id.lang or link.company_id.partner_id.lang or "en_US"

    def _render(self, link, error=None, pending=None, cancelled=False):
        lang = self._lang(link)
        link = link.with_context(lang=lang)
        request.update_context(lang=lang)
        applicant = link.applicant_id.sudo()
        zone = pytz.timezone(applicant._recruit_sms_zones()[0])
        days = [{
            "label": moments.day(starts[0], zone.zone, lang),
            "slots": [{"value": start.isoformat(), "label": moments.clock(start, zone.zone, lang)} for start in starts],
        } for _day, starts in (booking.by_day(link._recruit_sms_slots(), zone) if link._recruit_sms_usable() else [])]
        return request.render("recruit_sms.booking_page", {
            "link": link,
            "company_name": link.company_id.name or "",
            "days": days,
            "place": moments.place(zone.zone, lang),
            "booked_at": link.event_id and link._recruit_sms_when(pytz.utc.localize(link.event_id.start)),
            "expired": link.state == "open" and not link._recruit_sms_usable(),
            "pending": pending,
            "cancelled": cancelled,
            "changeable": link._recruit_sms_changeable(),
            "error": error,
        }, headers={"X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"})
