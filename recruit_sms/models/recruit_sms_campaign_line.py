import logging
from collections import defaultdict, namedtuple
from concurrent import futures
from datetime import timedelta

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, retrying
from odoo.tools import SQL

from ..providers.base import UNCONFIRMED_STATE
from ..tools import deliverability, gate, pacing, twilio_api
from ..tools import inbound as inbound_rules
from ..tools.twilio_client import Reply
from .recruit_sms_gate import READER, GateRequest

_logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# how stale the opt-out and consent seen by a running campaign may get (seconds)
RECHECK_EVERY = 1.0
# how stale the carriers' answers seen by the brake may get (seconds): every text handed
# meanwhile may be filtered too
BRAKE_EVERY = 0.25
# a message that may have reached the provider without an answer saying so waits this
# long for the provider's status callback, then is looked up in its list of messages
CONFIRM_AFTER = timedelta(minutes=2)
# how far the provider's clock may be from ours when a message is looked up
CLOCK_SKEW = timedelta(minutes=5)
# the failure of a message that may have gone: a person checks it, Retry failed leaves it
UNCONFIRMED_FAILURE = "unconfirmed"

# one message ready to hand to the provider
# ``whatsapp``: None for an SMS, else the template the provider sends (``sms.sms._recruit_sms_whatsapp_sends``)
Handoff = namedtuple("Handoff", "line_id applicant_id uuid number body closes_at sender whatsapp", defaults=(None,))



def opt_out_campaign_line(event):
    """The campaign line an opt-out (the consent ledger's row aliased ``event``) counts
    against, as ``opted_line``: the last campaign text that reached the number within
    the reply window before it (a LATERAL join, empty when none did)."""
    return SQL("""
        LEFT JOIN LATERAL (
            SELECT l.id, l.campaign_id, l.sender FROM recruit_sms_campaign_line l
             WHERE l.number = %(event)s.number AND l.state = 'sent' AND l.sent_at <= %(event)s.date
               AND l.sent_at > %(event)s.date - %(window)s
             ORDER BY l.sent_at DESC, l.id DESC LIMIT 1
        ) opted_line ON TRUE
    """, event=SQL.identifier(event), window=inbound_rules.REPLY_WINDOW)

class InFlight:
    """The messages handed to a concurrent stream whose answers are not recorded yet;
    ``record(handoff, result, handed_at)`` records one, in the engine's own thread."""

    def __init__(self, stream, record):
        self.stream, self.record, self.futures = stream, record, {}

    def __len__(self):
        return len(self.futures)

    def add(self, future, handoff, handed_at):
        self.futures[future] = (handoff, handed_at)

    def collect(self, block):
        """Record the answers that came (with ``block``, wait for one first)."""
        if not self.futures:
            return
        finished, _pending = futures.wait(list(self.futures), timeout=None if block else 0,
                                          return_when=futures.FIRST_COMPLETED)
        for future in finished:
            handoff, handed_at = self.futures.pop(future)
            try:
                reply = future.result()
            except Exception:  # the job failed past the request: it may have gone
                _logger.exception("Campaign message %s: the send's job failed", handoff.line_id)
                reply = Reply(failure=twilio_api.AMBIGUOUS)
            self.record(handoff, self.stream.finish(handoff.number, handoff.uuid, reply), handed_at)

    def drain(self):
        """Record every answer still to come, each whatever happens to the others."""
        failure = None
        while self.futures:
            try:
                self.collect(block=True)
            except Exception as error:  # the others are recorded all the same, then it is raised
                _logger.exception("Campaign engine: an answer could not be recorded")
                failure = failure or error
        if failure is not None:
            raise failure


class BrakeWatch:
    """The brake, asked every BRAKE_EVERY seconds while ``campaign`` sends (none: nothing to
    ask), from the moment it last looked."""

    def __init__(self, campaign, clock):
        self.campaign, self.due, self.since = campaign, pacing.Every(BRAKE_EVERY, clock).due, None

    def look(self):
        if self.campaign is not None and self.due():
            self.since = self.campaign._recruit_sms_brake_on_news(self.since)


class RecruitSmsCampaignLine(models.Model):
    """One recipient of a campaign: exactly one SMS, retried on transient errors.

    The engine works in batches: claim due lines, pass them through the compliance gate,
    post their messages in one go (``_recruit_sms_prepare``), hand them to the provider
    one at a time at the sender's pace, recording each outcome durably before the next
    (``_recruit_sms_hand_off``), then bring core's trackers up to date
    (``_recruit_sms_settle``)."""

    _name = "recruit.sms.campaign.line"
    _description = "Text campaign message"
    _order = "id"

    _check_company_auto = True

    campaign_id = fields.Many2one("recruit.sms.campaign", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    applicant_id = fields.Many2one("hr.applicant", required=True, ondelete="cascade", index=True, check_company=True)
    number = fields.Char()
    state = fields.Selection(
        [("pending", "To send"), ("held", "Held (quiet hours)"),
         ("unconfirmed", "Sent, awaiting the provider's confirmation"), ("sent", "Sent"), ("failed", "Failed"),
         ("excluded", "Excluded"), ("cancelled", "Cancelled")],
        default="pending", required=True, index=True,
    )
    attempts = fields.Integer(default=0)
    next_attempt_at = fields.Datetime()
    failure_reason = fields.Char()
    mail_message_id = fields.Many2one("mail.message", "Message")
    sms_uuid = fields.Char("SMS UUID", readonly=True)
    provider_sid = fields.Char("Provider ID", readonly=True)
    provider_state = fields.Char(readonly=True, help="The SMS state the provider's answer led to (Odoo's states).")
    failure_type = fields.Char(readonly=True)
    sender = fields.Char(readonly=True, help="The Twilio number or Messaging Service it was handed from.")
    handed_at = fields.Float(readonly=True, help="When it was last handed to the provider (the engine's clock, "
                                                 "seconds): the sender's pace resumes from it in the next run.")
    to_settle = fields.Boolean(readonly=True, index="btree_not_null",
                               help="Handed to the provider; Odoo's delivery tracking not updated yet.")
    sent_at = fields.Datetime()
    delivery_state = fields.Selection(
        [("ready", "Queued"), ("process", "Sending"), ("pending", "Sent"), ("delivered", "Delivered"),
         ("bounce", "Bounced"), ("exception", "Failed"), ("canceled", "Cancelled")],
        "Delivery", compute="_compute_delivery_state")
    replied = fields.Boolean(compute="_compute_delivery_state")
    opted_out = fields.Boolean(compute="_compute_delivery_state")
    # what the carrier finally answered, from the status callback (or the provider's refusal):
    # the sender's health and the campaign's brake count these
    carrier_outcome = fields.Selection([("delivered", "Delivered"), ("failed", "Not delivered")], readonly=True)
    error_code = fields.Integer("Error code", readonly=True, help="Twilio's error code for a text not delivered.")
    settled_at = fields.Datetime(readonly=True, help="When the carrier's final answer came.")

    _sender_pace = models.Index("(sender, handed_at) WHERE handed_at IS NOT NULL")
    _sender_settled = models.Index("(company_id, sender, settled_at) WHERE settled_at IS NOT NULL")
    _failed_settled = models.Index("(company_id, settled_at) WHERE carrier_outcome = 'failed'")
    _applicant_once = models.Constraint(
        "unique(campaign_id, applicant_id)",
        "An applicant receives a campaign once.",
    )

    def _compute_delivery_state(self):
        opted_out = self._recruit_sms_opted_out_after()
        replied = set(self.env["recruit.sms.inbound"].sudo().search([("campaign_line_id", "in", self.ids)]).mapped("campaign_line_id").ids)
        for line in self:
            notification = line.mail_message_id.notification_ids.filtered(lambda n: n.notification_type == "sms")[:1]
            line.delivery_state = "delivered" if notification.notification_status == "sent" else (notification.notification_status or False)
            line.replied = line.id in replied
            line.opted_out = line.id in opted_out

    def _recruit_sms_opted_out_after(self):
        """The ids of these lines whose recipient opted out after the text reached them
        (``opt_out_campaign_line``): a recipient opted out before is excluded, not counted."""
        lines = self.filtered("id")
        if not lines:
            return set()
        self.env["recruit.sms.consent.event"].flush_model(["number", "event", "date"])
        self.flush_recordset(["number", "state", "sent_at"])
        self.env.cr.execute(SQL("""
            SELECT opted_line.id FROM recruit_sms_consent_event e %(opted_line)s
             WHERE e.event = 'opt_out' AND e.number IN %(numbers)s AND opted_line.id IN %(ids)s
        """, opted_line=opt_out_campaign_line("e"), numbers=tuple(set(lines.mapped("number"))), ids=tuple(lines.ids)))
        return {row[0] for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------
    # Claim and prepare
    # ------------------------------------------------------------

    @api.model
    def _recruit_sms_due_count(self):
        """How many messages of the campaigns being sent are due now."""
        return self.search_count([
            ("campaign_id.state", "=", "sending"), ("state", "in", ("pending", "held")),
            "|", ("next_attempt_at", "=", False), ("next_attempt_at", "<=", fields.Datetime.now()),
        ])

    @api.model
    def _recruit_sms_claim(self, campaign, size):
        """Lock the next due lines of ``campaign`` (another worker skips them)."""
        self.flush_model()
        self.env.cr.execute("""
            SELECT id FROM recruit_sms_campaign_line
             WHERE campaign_id = %s AND state IN ('pending', 'held')
               AND (next_attempt_at IS NULL OR next_attempt_at <= %s)
             ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED
        """, [campaign.id, fields.Datetime.now(), size])
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _recruit_sms_prepare(self, stream):
        """Pass the batch through the gate and post the messages of those that may go.
        Returns their Handoff, in line order. Lines that may not go are failed (with the
        reason) or held until the recipient's texting hours (and released then)."""
        if not self:
            return []
        campaign = self.campaign_id.ensure_one()
        requests = [GateRequest(line.number, line.applicant_id, campaign.company_id, gate.CAMPAIGN) for line in self]
        gate_model = self.env["recruit.sms.gate"]
        verdicts = dict(zip(self.ids, gate_model._decide(requests), strict=True))
        blocked, held, ready = defaultdict(self.browse), defaultdict(self.browse), self.browse()
        with READER.set(campaign.create_uid.id):  # the reasons are the campaign recruiter's to read
            for line, request in zip(self, requests, strict=True):
                verdict = verdicts[line.id]
                if verdict.blocked:
                    blocked[gate_model._message(verdict, request)] |= line
                elif verdict.held:
                    held[verdict.hold_until, gate_model._message(verdict, request)] |= line
                else:
                    ready |= line
        for reason, lines in blocked.items():
            lines._recruit_sms_fail(reason)
        for (until, reason), lines in held.items():
            lines.write({"state": "held", "next_attempt_at": until, "failure_reason": reason})
        ready.filtered(lambda line: not line.sms_uuid)._recruit_sms_post(campaign)
        sms_by_uuid = {sms.uuid: sms for sms in self.env["sms.sms"].sudo().search([("uuid", "in", ready.mapped("sms_uuid"))])}
        lost = ready.filtered(lambda line: line.sms_uuid not in sms_by_uuid)
        if lost:  # a retry whose SMS was cleaned up: post it again
            lost._recruit_sms_post(campaign)
            sms_by_uuid.update({sms.uuid: sms for sms in self.env["sms.sms"].sudo().search([("uuid", "in", lost.mapped("sms_uuid"))])})
        self.env["mail.notification"]._recruit_sms_record_law(
            {sms_by_uuid[line.sms_uuid].id: verdicts[line.id].rules for line in ready if line.sms_uuid in sms_by_uuid})
        on_whatsapp = self.env["sms.sms"].browse().union(*sms_by_uuid.values())._recruit_sms_whatsapp_sends()
        return [
            Handoff(line.id, line.applicant_id.id, line.sms_uuid, line.number, sms_by_uuid[line.sms_uuid].body,
                    verdicts[line.id].closes_at,
                    stream.sender(line.number, whatsapp=on_whatsapp.get(line.sms_uuid) is not None),
                    on_whatsapp.get(line.sms_uuid))
            for line in ready
        ]

    def _recruit_sms_prepare_or_fail(self, stream):
        """``_recruit_sms_prepare``, or, when the batch cannot be prepared (its template
        gone, a body that no longer renders), its lines failed with the reason: the
        engine goes on with the next batch and the other campaigns."""
        try:
            with self.env.cr.savepoint():
                return self._recruit_sms_prepare(stream)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # the cron's run is retried as a whole
        except Exception as error:  # any error of one batch is that batch's outcome
            _logger.warning("Campaign %s: a batch of %d messages could not be prepared: %s",
                            self.campaign_id.id, len(self), type(error).__name__)
            self._recruit_sms_fail(self.env._("Not sent: %(reason)s", reason=str(error) or type(error).__name__))
            return []

    def _recruit_sms_post(self, campaign):
        """Post each line's SMS on its applicant's conversation, in one batch. The SMS is
        left to the engine, not to the queue."""
        if not self:
            return
        sms_values = {line.applicant_id.id: {"recruit_sms_campaign_line_id": line.id} for line in self}
        if campaign.channel == "whatsapp":
            template, bodies = campaign.whatsapp_template_id.sudo(), {}
            for applicant in self.applicant_id:
                bodies[applicant.id], values = template._recruit_sms_sms_values(applicant)
                sms_values[applicant.id].update(values)
        else:
            bodies = campaign._recruit_sms_render(campaign.body, self.applicant_id)
        sms_all = self.applicant_id._recruit_sms_post_sms_batch(
            bodies, subject=campaign.name, kind=gate.CAMPAIGN, author=campaign.sent_by_id or campaign.create_uid,
            numbers={line.applicant_id.id: line.number for line in self}, sms_values=sms_values,
        )
        # one statement for the batch (the ORM would write each line on its own)
        self.flush_recordset()
        self.env.cr.execute(
            "UPDATE recruit_sms_campaign_line l SET mail_message_id = v.message_id, sms_uuid = v.uuid"
            "  FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::int[]) AS message_id, unnest(%s::varchar[]) AS uuid) v"
            " WHERE l.id = v.id",
            [sms_all.recruit_sms_campaign_line_id.ids, sms_all.mail_message_id.ids, sms_all.mapped("uuid")])
        self.invalidate_recordset(["mail_message_id", "sms_uuid"])

    def _recruit_sms_requeue(self):
        """Send these failed messages again through their campaign's engine (Odoo's own
        resend of their SMS lands here); a cancelled campaign's messages stay unsent."""
        for line in self:
            campaign = line.campaign_id
            if campaign.state == "cancelled":
                sms = self.env["sms.sms"].sudo().search([("uuid", "=", line.sms_uuid)]) if line.sms_uuid else None
                if sms:
                    sms._update_sms_state_and_trackers("canceled")
                continue
            if line.state == "failed":
                line.write({"state": "pending", "attempts": 0, "next_attempt_at": False, "failure_reason": False,
                            "to_settle": False})
            if campaign.state == "done":
                campaign._set_state("sending")
        self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger()

    def _recruit_sms_fail(self, reason):
        """Fail these lines for good, and cancel their SMS if one was posted."""
        self.write({"state": "failed", "failure_reason": reason, "next_attempt_at": False})
        sms = self.env["sms.sms"].sudo().search([("uuid", "in", [u for u in self.mapped("sms_uuid") if u])])
        if sms:
            sms._recruit_sms_block(reason)

    # ------------------------------------------------------------
    # Hand-off: one message at a time, at the sender's pace
    # ------------------------------------------------------------

    @api.model
    def _recruit_sms_hand_off(self, handoffs, stream, pacers, make_pacer, *, clock, commit=False, campaign=None):
        """Hand ``handoffs`` to the provider, each when its sender's pace allows, while
        ``campaign`` is still being sent and the gate still lets it go. A stream that can
        (``stream.concurrent``) has several requests in flight, as many as the rate and
        the provider's latency need: worker threads do the HTTP only, this thread paces,
        writes each outcome as it arrives (and commits it with ``commit``), so a worker
        that dies loses nothing and, but for the messages in flight, sends nothing twice.
        Returns how many were handed to the provider."""
        handed, stopped, done = 0, {}, set()
        gate_due, brake = pacing.Every(RECHECK_EVERY, clock).due, BrakeWatch(campaign, clock)
        rate = sum(stream.rate(sender) for sender in {h.sender for h in handoffs}) or stream.max_rate()

        def record(handoff, result, handed_at):
            if not commit:
                return self._recruit_sms_record(handoff, result, stream, handed_at)
            # the outcome is durable before more messages go (the cron's progress is written
            # per batch); a cancel or a deletion committed meanwhile on the same line makes
            # the write fail to serialize: written again on a fresh snapshot, since the
            # message went whatever was decided while it was in flight
            for attempt in range(3):
                try:
                    self._recruit_sms_record(handoff, result, stream, handed_at)
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                    return None
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                    self.env.cr.rollback()
                    self.env.invalidate_all()
                    if attempt == 2:
                        raise
            return None

        def between():
            """The work between two hand-offs, done before the pace's wait so that each
            message goes at its moment: record the answers that came, and ask the gate
            again once a second (an opt-out or a withdrawn consent meanwhile), and the
            brake four times a second (the carriers' answers that came meanwhile may pause
            the campaign)."""
            in_flight.collect(block=False)
            if gate_due():
                stopped.update(self._recruit_sms_recheck(
                    [h for h in handoffs if h.line_id not in stopped and h.line_id not in done]))
            brake.look()

        in_flight = InFlight(stream, record)
        try:
            for handoff in pacing.interleave(handoffs, lambda h: h.sender, pacers, make_pacer, before_wait=between):
                done.add(handoff.line_id)
                if handoff.line_id in stopped:
                    continue
                if campaign is not None and campaign._recruit_sms_current_state() != "sending":
                    break  # cancelled meanwhile (its unsent messages were cancelled with it) or paused
                if handoff.closes_at and fields.Datetime.now() >= handoff.closes_at:
                    # the recipient's texting hours closed while the batch was sent
                    stopped[handoff.line_id] = None
                    continue
                handed_at = pacers[handoff.sender].last_at
                handed += 1
                job = stream.start(handoff.number, handoff.body, handoff.uuid, whatsapp=handoff.whatsapp) \
                    if stream.concurrent else None
                if job is None or isinstance(job, dict):
                    result = job or stream.send(handoff.number, handoff.body, handoff.uuid, whatsapp=handoff.whatsapp)
                    record(handoff, result, handed_at)
                    continue
                in_flight.add(stream.submit(job), handoff, handed_at)
                # a free place before the pace grants the next one: a message never waits
                # for a place after its moment, so none goes faster than the pace to catch up
                while len(in_flight) >= stream.in_flight_limit(rate):
                    in_flight.collect(block=True)
        finally:
            in_flight.drain()  # whatever happened, every answer that comes is recorded
            # outcomes were written on the lines in SQL: drop what the ORM cached of them,
            # and what it computed from them (the campaigns' counts)
            self.invalidate_model()
            self.env["recruit.sms.campaign"].invalidate_model()
        gated = self.browse([line_id for line_id, reason in stopped.items() if reason])
        for line in gated:
            line._recruit_sms_fail(stopped[line.id])
        closing = self.browse([line_id for line_id, reason in stopped.items() if not reason])
        closing._recruit_sms_prepare(stream)  # held until their hours open again
        return handed

    def _recruit_sms_recheck(self, handoffs):
        """{line id: reason} of the messages the gate stops now (an opt-out or withdrawn
        consent recorded while the campaign runs); the texting hours were decided when
        the batch was prepared (each handoff knows when they close)."""
        if not handoffs:
            return {}
        applicants = self.env["hr.applicant"].browse([h.applicant_id for h in handoffs])
        applicants.invalidate_recordset(["recruit_sms_consent"])  # another transaction may have withdrawn it
        lines = self.browse([h.line_id for h in handoffs])
        company = lines.campaign_id.company_id
        by_id = {applicant.id: applicant for applicant in applicants}  # iterated: read together, in one query
        requests = [GateRequest(h.number, by_id[h.applicant_id], company, gate.CAMPAIGN) for h in handoffs]
        gate_model = self.env["recruit.sms.gate"]
        verdicts = gate_model._decide(requests, hours=False)
        return {h.line_id: gate_model._message(verdict, request)
                for h, request, verdict in zip(handoffs, requests, verdicts, strict=True) if verdict.blocked}

    def _recruit_sms_record(self, handoff, result, stream, handed_at):
        """Write one provider outcome on the line, in SQL: it runs once per message,
        between two messages, and must cost little. The line is what the engine trusts;
        the SMS and its tracking follow at settle time, per batch. Every outcome records
        when and from whom the message was handed: a refused message used its slot of the
        sender's pace too."""
        state = result.get("state")
        now = fields.Datetime.now()
        success = self.env["sms.sms"].IAP_TO_SMS_STATE_SUCCESS.get(state)
        # the engine's own pending writes go first (a cancel it wrote in this transaction):
        # a message handed to the provider is what it became
        self.flush_model(["state"])
        reason = result.get("failure_reason") or False
        cr = self.env.cr
        if success:
            # a provider that answers with the final status (the sandbox's "delivered") settles it
            # at once; Twilio's comes later, in the status callback
            final = state == "delivered"
            cr.execute(
                "UPDATE recruit_sms_campaign_line SET state = 'sent', attempts = attempts + 1, sent_at = %s,"
                " next_attempt_at = NULL, failure_reason = NULL, provider_sid = %s, provider_state = %s,"
                " failure_type = NULL, to_settle = TRUE, sender = %s, handed_at = %s,"
                " carrier_outcome = %s, settled_at = %s WHERE id = %s",
                [now, result.get("sms_twilio_sid"), success, handoff.sender, handed_at,
                 "delivered" if final else None, now if final else None, handoff.line_id])
            return
        cr.execute("SELECT attempts FROM recruit_sms_campaign_line WHERE id = %s", [handoff.line_id])
        attempts = cr.fetchone()[0] + 1
        if state == UNCONFIRMED_STATE:
            # it may have gone: the status callback confirms it, else a look-up after
            # CONFIRM_AFTER; never sent again before either says it did not
            cr.execute(
                "UPDATE recruit_sms_campaign_line SET state = 'unconfirmed', attempts = %s, next_attempt_at = %s,"
                " sent_at = %s, failure_reason = %s, sender = %s, handed_at = %s WHERE id = %s",
                [attempts, now + CONFIRM_AFTER, now, reason, handoff.sender, handed_at, handoff.line_id])
            return
        if state == "server_error" and attempts < MAX_ATTEMPTS:
            cr.execute(
                "UPDATE recruit_sms_campaign_line SET attempts = %s, next_attempt_at = %s, failure_reason = %s,"
                " sender = %s, handed_at = %s WHERE id = %s",
                [attempts, now + timedelta(seconds=pacing.backoff(attempts)),
                 self.env._("Provider unavailable, retrying (%(reason)s)", reason=reason or state),
                 handoff.sender, handed_at, handoff.line_id])
            return
        failure_type = stream.failure_type(state)
        code = result.get("error_code") or 0
        cr.execute(
            "UPDATE recruit_sms_campaign_line SET state = 'failed', attempts = %s, next_attempt_at = NULL,"
            " failure_reason = %s, provider_state = 'error', failure_type = %s, to_settle = TRUE,"
            " sender = %s, handed_at = %s, carrier_outcome = 'failed', error_code = %s, settled_at = %s WHERE id = %s",
            [attempts, reason or stream.failure_message(failure_type), failure_type, handoff.sender, handed_at,
             code or None, now, handoff.line_id])
        if code:
            self._recruit_sms_carrier_said(handoff.number, handoff.sender, code, handoff.applicant_id)

    @api.model
    def _recruit_sms_last_handed(self, sender):
        """When the engine last handed a message from ``sender`` (None: never), on the
        engine's clock: a new run resumes the sender's pace from there, whichever server
        it runs on."""
        self.flush_model(["sender", "handed_at"])
        self.env.cr.execute("SELECT max(handed_at) FROM recruit_sms_campaign_line WHERE sender = %s AND handed_at IS NOT NULL",
                            [sender])
        return self.env.cr.fetchone()[0]

    def _recruit_sms_carrier_said(self, number, sender, code, applicant_id):
        """The provider refused a campaign text with ``code`` when it was handed: a number
        that cannot receive texts is remembered, a sender out of its day's messages waits."""
        applicant = self.env["hr.applicant"].browse(applicant_id)
        if code in deliverability.CANNOT_RECEIVE:
            applicant.sudo()._recruit_sms_mark_cannot_receive(number, code)
        if code in deliverability.DAILY_LIMITS and sender:
            self.env["recruit.sms.sender"]._recruit_sms_get(applicant.company_id or self.env.company, [sender]) \
                ._recruit_sms_pause_for_the_day(code)

    # ------------------------------------------------------------
    # Deliverability: the figures the brake and the senders' health read
    # ------------------------------------------------------------

    @api.model
    def _recruit_sms_figures(self, company, sample, sender=None, campaign=None, since=None):
        """deliverability.Figures of the last ``sample`` settled texts of ``company`` from
        ``sender`` or of ``campaign`` (settled since ``since``, when given), with the
        opt-outs and replies that came after them."""
        self.flush_model()
        self.env["recruit.sms.consent.event"].flush_model(["number", "event", "date"])
        self.env["recruit.sms.inbound"].flush_model(["campaign_line_id"])
        where = [SQL("l.company_id = %s AND l.settled_at IS NOT NULL", company.id)]
        if sender is not None:
            where.append(SQL("l.sender = %s", sender))
        if campaign is not None:
            where.append(SQL("l.campaign_id = %s", campaign.id))
        if since:
            where.append(SQL("l.settled_at > %s", since))  # after a resume: the texts settled since
        self.env.cr.execute(SQL("""
            WITH recent AS (
                SELECT l.id, l.carrier_outcome, l.error_code FROM recruit_sms_campaign_line l
                 WHERE %(where)s ORDER BY l.settled_at DESC, l.id DESC LIMIT %(sample)s)
            SELECT (SELECT array_agg(CASE WHEN carrier_outcome = 'delivered' THEN NULL ELSE coalesce(error_code, 0) END)
                      FROM recent),
                   (SELECT count(*) FROM recruit_sms_consent_event e %(opted_line)s
                     WHERE e.event = 'opt_out' AND opted_line.id IN (SELECT id FROM recent)),
                   (SELECT count(DISTINCT i.campaign_line_id) FROM recruit_sms_inbound i
                     WHERE i.campaign_line_id IN (SELECT id FROM recent))
        """, where=SQL(" AND ").join(where), sample=sample, opted_line=opt_out_campaign_line("e")))
        codes, opt_outs, replies = self.env.cr.fetchone()
        return deliverability.Figures.of(codes or [], opt_outs=opt_outs, replies=replies)

    @api.model
    def _recruit_sms_sent_on(self, company, day_start, sender=None):
        """How many campaign texts of ``company`` (from ``sender``) went on the (UTC) day
        that starts at ``day_start``."""
        self.flush_model(["company_id", "sender", "sent_at", "state"])
        query = SQL("SELECT count(*) FROM recruit_sms_campaign_line WHERE company_id = %s AND sent_at >= %s"
                    " AND sent_at < %s AND state IN ('sent', 'unconfirmed', 'failed') AND handed_at IS NOT NULL",
                    company.id, day_start, day_start + timedelta(days=1))
        if sender is not None:
            query = SQL("%s AND sender = %s", query, sender)
        self.env.cr.execute(query)
        return self.env.cr.fetchone()[0]

    @api.model
    def _recruit_sms_daily_problem_shares(self, company, sender, days=7):
        """For each of the last ``days`` days (oldest first): the share (%) of ``sender``'s
        settled texts that were filtered or refused as unregistered; None: none settled."""
        self.flush_model()
        today = fields.Date.today()
        self.env.cr.execute(SQL("""
            SELECT l.settled_at::date, count(*),
                   count(*) FILTER (WHERE l.error_code IN %(codes)s)
              FROM recruit_sms_campaign_line l
             WHERE l.company_id = %(company)s AND l.sender = %(sender)s AND l.settled_at >= %(start)s
             GROUP BY 1
        """, codes=(deliverability.FILTERED, deliverability.UNREGISTERED), company=company.id, sender=sender,
            start=today - timedelta(days=days - 1)))
        by_day = {day: 100.0 * problems / settled for day, settled, problems in self.env.cr.fetchall()}
        return [by_day.get(today - timedelta(days=back)) for back in range(days - 1, -1, -1)]

    # ------------------------------------------------------------
    # Unconfirmed: confirmed by the provider before anything is sent again
    # ------------------------------------------------------------

    @api.model
    def _recruit_sms_confirmed(self, uuid, provider_sid=None, status=None, error_code=None):
        """The provider's status callback for the SMS ``uuid``: the provider has it, so an
        unconfirmed message of a campaign is sent (its delivery tracking is the callback's,
        which core recorded); a final ``status`` (delivered, undelivered, failed, with
        ``error_code``) is the carrier's answer the sender's health counts."""
        self.flush_model()
        if status in ("delivered", "undelivered", "failed"):
            code = twilio_api.code_of(error_code)
            self.env.cr.execute(
                "UPDATE recruit_sms_campaign_line SET carrier_outcome = %s, error_code = %s, settled_at = %s"
                " WHERE sms_uuid = %s RETURNING sender, company_id",
                ["delivered" if status == "delivered" else "failed", None if status == "delivered" else code or 0,
                 fields.Datetime.now(), uuid])
            for sender, company_id in self.env.cr.fetchall():
                if code in deliverability.DAILY_LIMITS and sender:
                    self.env["recruit.sms.sender"]._recruit_sms_get(
                        self.env["res.company"].browse(company_id), [sender])._recruit_sms_pause_for_the_day(code)
        self.env.cr.execute(
            "UPDATE recruit_sms_campaign_line SET state = 'sent', next_attempt_at = NULL, failure_reason = NULL,"
            " provider_sid = COALESCE(%s, provider_sid), provider_state = 'pending', failure_type = NULL,"
            " to_settle = FALSE WHERE sms_uuid = %s AND state = 'unconfirmed' RETURNING campaign_id",
            [provider_sid or None, uuid])
        campaigns = {row[0] for row in self.env.cr.fetchall()}
        self.invalidate_model()
        if campaigns:
            self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign").sudo()._trigger()
        return bool(campaigns)

    @api.model
    def _recruit_sms_confirm_due(self, company, stream, commit=False):
        """Look up, in the provider's list of messages, the unconfirmed messages of
        ``company`` that no status callback confirmed within CONFIRM_AFTER: found, they are
        sent; not there, they go again (to the same person, the only time a message is
        sent twice to the provider: once it is known the first did not arrive); when the
        list cannot tell, they fail with the reason, for a person to check."""
        lines = self.search([("company_id", "=", company.id), ("state", "=", "unconfirmed"),
                             ("next_attempt_at", "<=", fields.Datetime.now())])
        if not lines:
            return
        bodies = {sms.uuid: sms for sms in self.env["sms.sms"].sudo().search([("uuid", "in", lines.mapped("sms_uuid"))])}
        on_whatsapp = self.env["sms.sms"].browse().union(*bodies.values())._recruit_sms_whatsapp_sends()
        for line in lines:
            sms = bodies.get(line.sms_uuid)
            found, sid = sms._recruit_sms_lookup(stream, line.sent_at or line.write_date, on_whatsapp) \
                if sms else (twilio_api.UNKNOWN, None)
            if found == twilio_api.FOUND:
                line.write({"state": "sent", "provider_sid": sid, "provider_state": "pending", "next_attempt_at": False,
                            "failure_reason": False, "to_settle": True})
            elif found == twilio_api.ABSENT and line.campaign_id.state == "sending" and line.attempts < MAX_ATTEMPTS:
                line.write({"state": "pending", "next_attempt_at": False, "failure_reason": self.env._(
                    "Not received by the provider: sent again")})
            elif found == twilio_api.ABSENT:
                line.write({"state": "cancelled" if line.campaign_id.state == "cancelled" else "failed",
                            "next_attempt_at": False, "to_settle": line.campaign_id.state != "cancelled",
                            "failure_type": "sms_server",
                            "failure_reason": self.env._("Not received by the provider")})
            else:
                line.write({"state": "failed", "next_attempt_at": False, "to_settle": True,
                            "failure_type": UNCONFIRMED_FAILURE, "failure_reason": self.env._(
                                "Not confirmed by the provider: it may have been sent; check in the provider's "
                                "console before resending.")})
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        lines._recruit_sms_settle(stream, commit=commit)

    # ------------------------------------------------------------
    # Settle: core's delivery tracking, in batch
    # ------------------------------------------------------------

    def _recruit_sms_settle(self, stream=None, commit=False):
        """Bring the notifications of handed messages to core's states (sent, or error
        with the reason), as ``sms.sms._send`` does, once per batch.

        With ``commit`` (the cron), in a transaction of its own, tried again when Twilio's
        status callbacks changed the same SMS meanwhile (a serialization failure): the
        outcomes are committed already, so a new try loses nothing, and what is still not
        settled after the last try is settled by the next run."""
        def settle():
            self._recruit_sms_settle_batch()
            if stream is not None and stream.unsubscribed:  # Twilio's 21610 answers
                self.env["phone.blacklist"].sudo()._recruit_sms_block_unsubscribed(stream.unsubscribed, stream.company)

        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
            retrying(settle, self.env)
        else:
            settle()
        if stream is not None:
            stream.unsubscribed.clear()

    def _recruit_sms_settle_batch(self):
        # Twilio's status callbacks write the same SMS and notifications: lock them as the
        # first thing of the transaction, so that its snapshot and its locks start together
        # and a callback waits for the settle instead of making it fail
        self.flush_model(["to_settle", "sms_uuid"])
        self.env.cr.execute("""
            SELECT 1 FROM recruit_sms_campaign_line l
              JOIN sms_sms s ON s.uuid = l.sms_uuid
              JOIN sms_tracker t ON t.sms_uuid = l.sms_uuid
              JOIN mail_notification n ON n.id = t.mail_notification_id
             WHERE l.id = ANY(%s) AND l.to_settle
               FOR NO KEY UPDATE OF s, n
        """, [self.ids])
        lines = self.filtered("to_settle")
        if not lines:
            return
        uuids = lines.mapped("sms_uuid")
        trackers = {t.sms_uuid: t for t in self.env["sms.tracker"].sudo().search([("sms_uuid", "in", uuids)])}
        groups, sms_groups = defaultdict(list), defaultdict(list)
        for line in lines:
            if line.state == "sent":
                key = (line.provider_state or "pending", None, None)
            else:
                # core's failure types: a message that may have gone is core's unknown error
                failure_type = "unknown" if line.failure_type == UNCONFIRMED_FAILURE else line.failure_type
                key = ("error", failure_type or "unknown", line.failure_reason)
            sms_groups[key[:2]].append(line.sms_uuid)
            if line.sms_uuid in trackers:
                groups[key].append(trackers[line.sms_uuid])
        sms_sudo = self.env["sms.sms"].sudo()
        for (state, failure_type), group_uuids in sms_groups.items():
            # sent ones are cleaned up by Odoo, as after its own sends
            sms_sudo.search([("uuid", "in", group_uuids)]).write(
                {"state": state, "failure_type": failure_type or False, "to_delete": state != "error"})
        # the conversation shows the new state when opened: no bus message per SMS here
        trackers_sudo = self.env["sms.tracker"].sudo().with_context(sms_skip_msg_notification=True)
        for (state, failure_type, reason), members in groups.items():
            group = trackers_sudo.union(*members)
            if state == "error":
                group._action_update_from_sms_state("error", failure_type=failure_type, failure_reason=reason)
            else:
                group._action_update_from_sms_state(state)
        sids = [(line.sms_uuid, line.provider_sid) for line in lines if line.provider_sid]
        if sids and "sms_twilio_sid" in self.env["sms.tracker"]._fields:
            self.env["sms.tracker"].flush_model()
            self.env.cr.execute(
                "UPDATE sms_tracker t SET sms_twilio_sid = v.sid FROM (SELECT unnest(%s::varchar[]) AS uuid,"
                " unnest(%s::varchar[]) AS sid) v WHERE t.sms_uuid = v.uuid",
                [[uuid for uuid, _sid in sids], [sid for _uuid, sid in sids]])
            self.env["sms.tracker"].invalidate_model(["sms_twilio_sid"])
        lines.write({"to_settle": False})
