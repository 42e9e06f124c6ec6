from collections import defaultdict
from datetime import UTC

from odoo import api, fields, models

from ..providers import open_sms_stream
from ..providers.base import GATED, UNCONFIRMED_STATE
from ..tools import gate, twilio_api
from ..tools.server_flag import ServerFlag
from .recruit_sms_campaign_line import CLOCK_SKEW, CONFIRM_AFTER
from .recruit_sms_gate import GateRequest

# The kind of the SMS being created by ``_recruit_sms_create``: only the code that sends
# knows whether a text is a recruiter's reply or a STOP confirmation. It passes through
# the ORM's create (which takes no argument of ours), set around that one call only.
_SENDING_KIND = ServerFlag("recruit_sms_sending_kind")

# the selections of what a text is and where it goes, for every model that keeps them
KIND_SELECTION = [(gate.MANUAL, "Written by a recruiter"), (gate.AUTOMATED, "Automated"), (gate.CAMPAIGN, "Campaign"),
                  (gate.CONFIRMATION, "Compliance confirmation")]
TEXT_CHANNELS = [(gate.SMS, "SMS"), (gate.WHATSAPP, "WhatsApp")]


class SmsSms(models.Model):
    _inherit = "sms.sms"

    recruit_sms_kind = fields.Selection(
        KIND_SELECTION, "Kind of text", readonly=True,
        help="Set by the code that sends, never from values: a compliance confirmation answers the candidate at "
             "once, whatever the hour or the opt-out; empty: automated.",
    )
    recruit_sms_hold_until = fields.Datetime(
        "Held until", readonly=True, index="btree_not_null",
        help="Outside the recipient's texting hours: the queue sends it when they open.",
    )
    recruit_sms_block_reason = fields.Char("Blocked because", readonly=True)
    recruit_sms_hold_reason = fields.Char("Held because", readonly=True)
    recruit_sms_unconfirmed_since = fields.Datetime(
        "Not confirmed since", readonly=True, index="btree_not_null",
        help="The provider gave no answer saying it has the message: confirmed by its status callback, or looked up, "
             "before anything sends it again.")
    recruit_sms_channel = fields.Selection(
        TEXT_CHANNELS, "Sent on", readonly=True,
        help="Set by the code that sends; empty: SMS.")
    recruit_sms_content_sid = fields.Char(
        "WhatsApp template SID", readonly=True, help="An approved WhatsApp template sent in place of the text.")
    recruit_sms_content_variables = fields.Char("WhatsApp template variables", readonly=True)
    recruit_sms_campaign_line_id = fields.Many2one(
        "recruit.sms.campaign.line", "Campaign message", readonly=True, index="btree_not_null", ondelete="set null",
        help="Sent by its campaign, at the sender's pace; the SMS queue leaves it alone.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # what kind of text it is is the sending code's alone (``sending``): not the values',
        # not even under sudo, which other modules' code creates SMS with
        kind = _SENDING_KIND.get()
        for vals in vals_list:
            vals.pop("recruit_sms_kind", None)
            if kind:
                vals["recruit_sms_kind"] = kind
        return super().create(vals_list)

    def write(self, vals):
        vals.pop("recruit_sms_kind", None)  # what was sent as what never changes
        return super().write(vals)

    @api.model
    def _recruit_sms_create(self, vals_list, kind):
        """Create SMS of ``kind`` (one of ``gate.KINDS``): the one way the addon's sending
        code states what a text is."""
        if kind not in gate.KINDS:
            raise ValueError(f"unknown kind of message {kind!r}")
        with _SENDING_KIND.set(kind):
            return self.create(vals_list)

    def try_lock_for_update(self, *, allow_referencing=False, limit=None):
        """Odoo's send and queue lock the SMS first thing: the same statement reads what
        the compliance gate needs of their numbers (opted out? which applicants hold
        it?), so that the gate adds no round trip to Odoo's SMS path."""
        if allow_referencing or limit is not None or not self.ids or len(self.ids) != len(self._ids):
            return super().try_lock_for_update(allow_referencing=allow_referencing, limit=limit)
        self.flush_recordset(["number"])
        self.env["phone.blacklist"].flush_model(["number", "active"])
        self.env["hr.applicant"].flush_model(["phone_sanitized", "partner_phone_sanitized"])
        # SQL: the lock and the look-ups in one round trip, which the ORM cannot express
        self.env.cr.execute("""
            SELECT s.id, s.number,
                   EXISTS (SELECT 1 FROM phone_blacklist b WHERE b.active AND b.number = s.number),
                   ARRAY(SELECT a.id FROM hr_applicant a
                          WHERE a.phone_sanitized = s.number OR a.partner_phone_sanitized = s.number)
              FROM sms_sms s
             WHERE s.id IN %s
               FOR UPDATE OF s SKIP LOCKED
        """, [tuple(self.ids)])
        # only the latest lock's facts are kept: an SMS sent later is locked, and read, again
        facts = self.env.cr.cache["recruit_sms_gate_facts"] = {}
        locked = set()
        for sms_id, number, opted_out, holder_ids in self.env.cr.fetchall():
            locked.add(sms_id)
            facts[sms_id] = (number, opted_out, holder_ids)
        return self.browse([sms_id for sms_id in self.ids if sms_id in locked])

    # ------------------------------------------------------------
    # Providers
    # ------------------------------------------------------------

    def _split_by_api(self):
        # sms_twilio routes Twilio companies and leaves the others to the IAP API;
        # route the sandbox companies to the sandbox before that.
        by_company = defaultdict(self.browse)
        for sms in self:
            company = sms._get_sms_company()
            if company.sms_provider == "sandbox":
                by_company[company] |= sms
        for company, company_sms in by_company.items():
            sms_api = company._get_sms_api_class()(self.env)
            sms_api._set_company(company)
            yield sms_api, company_sms
        rest = self - self.browse().union(*by_company.values())
        if rest:
            yield from super(SmsSms, rest)._split_by_api()

    # ------------------------------------------------------------
    # The compliance gate: every SMS handed to a provider passes here
    # ------------------------------------------------------------

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        allowed = self._recruit_sms_gate()
        if allowed:
            with GATED.set(True):
                return super(SmsSms, allowed)._send(
                    unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception)
        return None

    def _recruit_sms_applicant(self):
        message = self.mail_message_id
        if message.model == "hr.applicant" and message.res_id:
            return self.env["hr.applicant"].sudo().browse(message.res_id).exists()
        return self.env["hr.applicant"]

    def _recruit_sms_gate(self):
        """The SMS of ``self`` that may go now, as the gate decides. The others are
        blocked for good (opted-out number, candidate without consent) with the reason,
        or held until the recipient's texting hours open. A campaign's SMS goes only
        through its campaign: sent here (a resend), it goes back to the campaign's queue."""
        campaign_sms = self.filtered("recruit_sms_campaign_line_id")
        campaign_sms._recruit_sms_requeue_in_campaign()
        subject = self - campaign_sms
        requests = [
            GateRequest(sms.number, sms._recruit_sms_applicant(), sms._get_sms_company(), sms.recruit_sms_kind or gate.AUTOMATED,
                        sms._recruit_sms_gate_channel())
            for sms in subject
        ]
        facts = self.env.cr.cache.get("recruit_sms_gate_facts", {})
        known = {index: facts.pop(sms.id) for index, sms in enumerate(subject) if sms.id in facts}
        verdicts = self.env["recruit.sms.gate"]._decide(requests, known=known)
        blocked, held = defaultdict(self.browse), defaultdict(self.browse)
        for sms, request, verdict in zip(subject, requests, verdicts, strict=True):
            if request.channel != gate.SMS and not request.company._recruit_sms_whatsapp_ready():
                # queued on WhatsApp, and the company no longer sends there: never as an SMS instead
                blocked[request.company._recruit_sms_whatsapp_missing()] |= sms
                continue
            if verdict.code in (gate.NO_NUMBER, gate.INVALID_NUMBER):
                continue  # Odoo's own check of the number fails it, with its own failure type
            if verdict.held:
                held[verdict.hold_until, self.env["recruit.sms.gate"]._label(verdict)] |= sms
            elif verdict.blocked:
                blocked[self.env["recruit.sms.gate"]._message(verdict, request._replace(applicant=None))] |= sms
        for reason, records in blocked.items():
            records._recruit_sms_block(self.env._("Not sent: %(reason)s", reason=reason))
        for (until, reason), records in held.items():
            records.sudo().write({"recruit_sms_hold_until": until, "recruit_sms_hold_reason": reason})
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger(until)
        stopped = self.browse().union(*blocked.values(), *held.values())
        self.env["mail.notification"]._recruit_sms_record_law(
            {sms.id: verdict.rules for sms, verdict in zip(subject, verdicts, strict=True) if sms not in stopped})
        return subject - stopped

    def _recruit_sms_gate_channel(self):
        """How this SMS goes, for the gate: an SMS, free text on WhatsApp, or a template."""
        return gate.channel_of(self.recruit_sms_channel == gate.WHATSAPP, bool(self.recruit_sms_content_sid))

    def _recruit_sms_whatsapp_sends(self):
        """{uuid: {"content_sid", "content_variables"}} of the SMS of ``self`` that go on
        WhatsApp (both False for free text): what a provider sends them with."""
        return {
            sms.uuid: {"content_sid": sms.recruit_sms_content_sid or False,
                       "content_variables": sms.recruit_sms_content_variables or False}
            for sms in self.filtered(lambda s: s.recruit_sms_channel == gate.WHATSAPP)
        }

    def _recruit_sms_requeue_in_campaign(self):
        """These campaign SMS were sent outside their campaign (Odoo's resend): hand them
        back to the campaign's engine, which sends each once, at its sender's pace."""
        lines = self.recruit_sms_campaign_line_id.sudo()
        if lines:
            lines._recruit_sms_requeue()

    def _recruit_sms_block(self, reason):
        self.sudo().write({"recruit_sms_block_reason": reason})
        self.sudo()._update_sms_state_and_trackers("canceled", failure_type="sms_optout")
        notifications = self.sudo().sms_tracker_id.mail_notification_id
        notifications.write({"failure_reason": reason})
        notifications.mail_message_id._notify_message_notification_update()

    @api.model
    def _recruit_sms_queue_domain(self):
        """What the queue may send now: held messages wait for their time."""
        return [
            ("state", "=", "outgoing"), ("to_delete", "!=", True), ("recruit_sms_campaign_line_id", "=", False),
            "|", ("recruit_sms_hold_until", "=", False), ("recruit_sms_hold_until", "<=", fields.Datetime.now()),
        ]

    def _handle_call_result_hook(self, results):
        # a send that may have reached the provider without an answer saying so: its
        # confirmation is awaited (``_recruit_sms_confirm_unconfirmed``)
        unconfirmed = {result["uuid"] for result in results if result.get("state") == UNCONFIRMED_STATE}
        if unconfirmed:
            self.filtered(lambda sms: sms.uuid in unconfirmed).write(
                {"recruit_sms_unconfirmed_since": fields.Datetime.now()})
        return super()._handle_call_result_hook(results)

    @api.model
    def _recruit_sms_confirmed(self, uuid):
        """The provider's signed status callback for ``uuid``: it has the message, which is
        sent, as when the look-up finds it (its notification is the callback's)."""
        unconfirmed = self.sudo().search([("uuid", "=", uuid), ("recruit_sms_unconfirmed_since", "!=", False)])
        unconfirmed.filtered(lambda sms: sms.state == "error").write({"state": "pending", "to_delete": True})
        unconfirmed.write({"recruit_sms_unconfirmed_since": False})

    def _recruit_sms_lookup(self, stream, sent_at, on_whatsapp):
        """Whether the provider has this SMS, handed to it at ``sent_at`` (naive UTC, this
        server's clock): (twilio_api.FOUND, its ID), (ABSENT, None) or (UNKNOWN, None). The
        queue's and the campaigns' confirmations both ask here; ``on_whatsapp`` is
        ``_recruit_sms_whatsapp_sends``'s answer for their batch."""
        self.ensure_one()
        return stream.lookup(self.number, self.body, sent_at.replace(tzinfo=UTC) - CLOCK_SKEW,
                             whatsapp=on_whatsapp.get(self.uuid))

    @api.model
    def _recruit_sms_confirm_unconfirmed(self):
        """The queue's sends that may have gone without an answer saying so and that no
        status callback confirmed within CONFIRM_AFTER, looked up in the provider's list
        of messages: found, sent; absent, queued again (once: Twilio did not get it);
        when the list cannot tell, they stay failed with the reason, for a person."""
        due = self.sudo().search([("recruit_sms_unconfirmed_since", "<=", fields.Datetime.now() - CONFIRM_AFTER),
                                  ("state", "=", "error")])
        for company, company_sms in due.grouped(lambda sms: sms._get_sms_company()).items():
            stream = open_sms_stream(self.env, company)
            on_whatsapp = company_sms._recruit_sms_whatsapp_sends()
            try:
                for sms in company_sms:
                    found, sid = sms._recruit_sms_lookup(stream, sms.recruit_sms_unconfirmed_since, on_whatsapp)
                    if found == twilio_api.FOUND:
                        sms._update_sms_state_and_trackers("pending")
                        if sid and "sms_twilio_sid" in sms.sms_tracker_id._fields:
                            sms.sms_tracker_id.sms_twilio_sid = sid
                        sms.write({"recruit_sms_unconfirmed_since": False, "to_delete": True})
                    elif found == twilio_api.ABSENT:
                        sms._update_sms_state_and_trackers("outgoing")
                        sms.recruit_sms_unconfirmed_since = False
                    else:
                        sms.recruit_sms_unconfirmed_since = False  # failed, with the reason to check
                    sms.mail_message_id._notify_message_notification_update()
            finally:
                stream.close()

    @api.model
    def _process_queue(self):
        # core's cron, copied (its domain is written inside it, no super() can narrow it;
        # tests/test_core_copies.py fails when core's changes), with held messages left
        # alone until their time and campaign messages left to their engine, after the
        # sends that may have gone are confirmed
        self._recruit_sms_confirm_unconfirmed()
        domain = self._recruit_sms_queue_domain()
        batch_size = self._get_send_batch_size()
        records = self.search(domain, limit=batch_size, order="id").try_lock_for_update()
        if not records:
            return
        # each company's texts through its own provider, as ``send`` does (one batch may hold several)
        for sms_api, company_sms in records._split_by_api():
            company_sms.with_context(sms_api=sms_api)._send(unlink_failed=False, unlink_sent=True, raise_exception=False)
        self.env["ir.cron"]._commit_progress(len(records), remaining=self.search_count(domain) if len(records) == batch_size else 0)
