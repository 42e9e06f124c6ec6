import json
import logging

from markupsafe import Markup
from psycopg2.extensions import TransactionRollbackError

from odoo import api, fields, models
from odoo.addons.sms.tools.sms_tools import sms_content_to_rendered_html
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools import inbound as inbound_rules
from ..tools import intent, keywords, phone
from .sms_sms import TEXT_CHANNELS

_logger = logging.getLogger(__name__)

REPLY_WINDOW = inbound_rules.REPLY_WINDOW


class RecruitSmsInbound(models.Model):
    """An SMS received from a candidate, as the provider delivered it.

    One row per provider message (its SID is unique in the database, so a retried or
    concurrent webhook never stores a message twice). A row without applicant is in the
    "Texts to review" list until a recruiter links it.

    Read-only for everyone: only the server's own code (webhook, queue, recruiters'
    actions) writes it, as superuser.
    """

    _name = "recruit.sms.inbound"
    _description = "Inbound SMS"
    _order = "received_date desc, id desc"
    _rec_name = "from_number"

    message_sid = fields.Char("Provider message ID", required=True, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    from_number = fields.Char("From", required=True, readonly=True, index=True)
    to_number = fields.Char("To", readonly=True)
    messaging_service_sid = fields.Char("Messaging Service SID", readonly=True)
    body = fields.Text(readonly=True)
    media = fields.Json(readonly=True, help="List of [URL, content type] sent with the message")
    media_count = fields.Integer(compute="_compute_media_count")
    num_segments = fields.Integer("Segments", readonly=True)
    from_country = fields.Char("Sender country", readonly=True)
    opt_out_type = fields.Char("Opt-out type", readonly=True)
    channel = fields.Selection(TEXT_CHANNELS, default="sms", required=True, readonly=True)
    received_date = fields.Datetime("Received", default=fields.Datetime.now, readonly=True, required=True)
    applicant_id = fields.Many2one("hr.applicant", readonly=True, index="btree_not_null", ondelete="set null")
    related_applicant_ids = fields.Many2many(
        "hr.applicant", string="Other applications with this number", readonly=True,
    )
    mail_message_id = fields.Many2one("mail.message", "Message", readonly=True, index="btree_not_null", ondelete="set null")
    state = fields.Selection(
        [("received", "Received"), ("matched", "On an applicant"), ("unmatched", "Unmatched"), ("error", "Failed")],
        default="received", required=True, readonly=True, index=True,
        help="Received: stored by the webhook, waiting to be attached (within seconds). "
             "Failed: attaching it failed; the reason says why, and the other messages went on.",
    )
    error_reason = fields.Text("Why it failed", readonly=True)
    opt_out_intent = fields.Char(
        "Asks to stop?", readonly=True,
        help="The words of this message that seem to ask to stop being texted, though it is no STOP keyword.",
    )
    simulated = fields.Boolean(
        readonly=True,
        help="Received through the sandbox's Simulate a reply, not from a provider. Set by the server only: a "
             "simulated message never changes the opt-out of a number that an applicant of a company on a real "
             "provider uses.",
    )

    campaign_line_id = fields.Many2one(
        "recruit.sms.campaign.line", "Reply to campaign message", readonly=True, index="btree_not_null",
        ondelete="set null",
    )
    campaign_id = fields.Many2one(related="campaign_line_id.campaign_id", string="Reply to campaign")

    _message_sid_unique = models.Constraint(
        "unique(message_sid)",
        "This provider message was already received.",
    )

    @api.depends("media")
    def _compute_media_count(self):
        for inbound in self:
            inbound.media_count = len(inbound.media or [])

    # ------------------------------------------------------------
    # Receiving (webhook and sandbox share this path)
    # ------------------------------------------------------------

    @api.model
    def _recruit_sms_store(self, sms, company, simulated=False):
        """Store ``sms`` (an ``InboundSms``) received on ``company``'s number, as fast as
        possible: the webhook answers Twilio right after. Returns the new row, or an
        empty recordset when the message was already stored. ``simulated``: the sandbox's
        Simulate a reply, never the webhook.

        Idempotent in the database: ``INSERT ... ON CONFLICT (message_sid) DO NOTHING``
        stores a retried or concurrently delivered message once.
        """
        number = phone.try_e164(sms.from_number, sms.from_country or company.country_id.code) or sms.from_number
        now = fields.Datetime.now()
        self.env.cr.execute("""
            INSERT INTO recruit_sms_inbound (
                message_sid, company_id, from_number, to_number, messaging_service_sid, body, media,
                num_segments, from_country, opt_out_type, received_date, state, simulated, channel,
                create_uid, create_date, write_uid, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'received', %s, %s, %s, %s, %s, %s)
            ON CONFLICT (message_sid) DO NOTHING
            RETURNING id
        """, [
            sms.message_sid, company.id, number, sms.to_number or None, sms.messaging_service_sid or None, sms.body,
            json.dumps([list(item) for item in sms.media]) if sms.media else None,
            sms.num_segments, sms.from_country or None, sms.opt_out_type or None, now, bool(simulated),
            "whatsapp" if sms.channel == "whatsapp" else "sms", self.env.uid, now, self.env.uid, now,
        ])
        row = self.env.cr.fetchone()
        if not row:
            _logger.info("Inbound SMS %s already stored (retry)", sms.message_sid)
            return self.browse()
        # numbers and bodies are personal data: at debug level only
        _logger.info("Inbound SMS %s stored (company %s)", sms.message_sid, company.id)
        _logger.debug("Inbound SMS %s from %s: %s", sms.message_sid, number, sms.body)
        return self.browse(row[0])

    @api.model
    def _recruit_sms_receive(self, sms, company, simulated=False):
        """Store ``sms`` and attach it at once (the sandbox's path). Returns (record, created)."""
        record = self.sudo()._recruit_sms_store(sms, company, simulated=simulated)
        if not record:
            return self.sudo().search([("message_sid", "=", sms.message_sid)], limit=1), False
        record._recruit_sms_process()
        return record, True

    def _recruit_sms_process(self):
        """Attach received messages to their applicant (or leave them unmatched), tell
        the recruiter and answer keywords.

        Each message is processed in a savepoint of its own, together with the change of
        its state: one that fails is rolled back alone and ends in the error state with
        the reason, the others go on; one that succeeds keeps what it did (a STOP
        confirmation handed to the provider) with its new state, so that no later run
        processes it again.

        A concurrent update (serialization failure, deadlock) is no failure of the
        message: it is raised, the message staying received for a fresh transaction.
        """
        for record in self.sudo().filtered(lambda r: r.state == "received"):
            try:
                with self.env.cr.savepoint():
                    record._recruit_sms_process_one()
            except TransactionRollbackError:
                raise
            except Exception as error:  # whatever fails, the message says why and the others go on
                record._recruit_sms_fail(error)

    def _recruit_sms_process_one(self):
        """Attach this received message to its applicant, or leave it unmatched."""
        self.ensure_one()
        applicant, others = self._recruit_sms_find_applicant()
        if applicant:
            self.related_applicant_ids = others
            # a STOP ends the conversation: it waits for no answer and replies to no campaign
            self._recruit_sms_attach(applicant, ends=keywords.classify(self.body, self.opt_out_type) == keywords.OPT_OUT)
        else:
            self.state = "unmatched"
        # in the message's own savepoint: a confirmation sent is kept with its new state
        if not self._recruit_sms_handle_keyword():
            self._recruit_sms_handle_intent()
            self.env["recruit.sms.auto.reply"]._recruit_sms_answer(self)

    def _recruit_sms_fail(self, error):
        """Processing this message failed with ``error`` (its savepoint rolled back)."""
        self.ensure_one()
        # a business error says why in words; anything else is named by its type too
        reason = str(error) if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
        self.sudo().write({"state": "error", "error_reason": reason})
        # the reason may quote the number or the body: at debug level only
        _logger.warning("Inbound SMS %s (id %s) could not be processed (%s); it is marked failed with the reason",
                        self.message_sid, self.id, type(error).__name__)
        _logger.debug("Inbound SMS %s failed: %s", self.message_sid, reason, exc_info=error)

    @api.model
    def _recruit_sms_process_batch(self, batch=100):
        """Attach a batch of what the webhook stored; returns how many were processed
        (attached, unmatched or failed). Rows are locked with SKIP LOCKED, so several
        workers (or servers) share the queue without processing a message twice."""
        self.flush_model(["state"])
        self.env.cr.execute("""
            SELECT id FROM recruit_sms_inbound WHERE state = 'received'
             ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED
        """, [batch])
        records = self.browse([row[0] for row in self.env.cr.fetchall()])
        try:
            records._recruit_sms_process()
        except TransactionRollbackError:
            # another transaction updated the same data: what was processed before it is
            # kept, the rest waits for the next run, in a fresh transaction
            _logger.info("Inbound SMS queue: concurrent update, %s message(s) left for the next run",
                         len(records.filtered(lambda r: r.state == "received")))
        return len(records.filtered(lambda r: r.state != "received"))

    @api.model
    def _cron_process_received(self, batch=100):
        while done := self._recruit_sms_process_batch(batch):
            remaining = self.search_count([("state", "=", "received")])
            if self.env["ir.cron"]._commit_progress(done, remaining=remaining) <= 0 or not remaining:
                break

    @api.model
    def _recruit_sms_trigger_processing(self):
        """Wake the queue up now, for this message. Always a wake-up of its own: one that
        looks due may be the one a running cron is consuming (Odoo deletes a job's due
        wake-ups when it starts, committed when it ends), and that run's search may no
        longer see this message; skipping ours would leave it for the once-a-minute
        safety net."""
        self.env.ref("recruit_sms.ir_cron_recruit_sms_inbound").sudo()._trigger()

    def _recruit_sms_find_applicant(self):
        """(applicant, other applicants) the sender's number belongs to.

        Applicants whose phone is the number come first; failing that, the applicant a
        recruiter linked an earlier message from this number to.
        """
        self.ensure_one()
        applicants = self._recruit_sms_holders()
        if not applicants:
            domain = [
                ("from_number", "=", self.from_number), ("applicant_id", "!=", False), ("id", "!=", self.id),
                ("company_id", "=", self.company_id.id),  # a link made in another company says nothing here
            ]
            if self.simulated:
                # a simulation stays within the sandbox company's own applicants
                domain.append(("applicant_id.company_id", "in", [self.company_id.id, False]))
            linked = self.search(domain, limit=1)
            applicants = linked.applicant_id
        candidates = [
            inbound_rules.Candidate(
                applicant.id,
                applicant.active and applicant.application_status == "ongoing",
                applicant.recruit_sms_last_message_date or applicant.write_date or applicant.create_date,
            )
            for applicant in applicants
        ]
        chosen, others = inbound_rules.pick_applicant(candidates)
        browse = self.env["hr.applicant"].sudo().browse
        return browse(chosen) if chosen else browse(), browse(others)

    @api.model
    def _recruit_sms_whatsapp_last(self, numbers):
        """{(number, company id): when it last wrote to that company on WhatsApp} for the
        (number, company id) pairs of ``numbers``, in one query: WhatsApp's 24-hour window
        runs from there."""
        pairs = set(numbers)
        if not pairs:
            return {}
        groups = self.sudo()._read_group(
            [("channel", "=", "whatsapp"), ("from_number", "in", list({number for number, _company in pairs})),
             ("company_id", "in", list({company for _number, company in pairs})),
             # a simulated message opens no window once the company sends for real
             "|", ("simulated", "=", False), ("company_id.sms_provider", "=", "sandbox")],
            ["from_number", "company_id"], ["received_date:max"])
        return {(number, company.id): last for number, company, last in groups if (number, company.id) in pairs}

    def _recruit_sms_holders(self):
        """The applications, archived ones included, of this message's number in its
        company (or in none)."""
        return self.env["hr.applicant"]._recruit_sms_holders([self.from_number], self.company_id)

    def _recruit_sms_media_items(self):
        """The media as the conversation shows them: ``[{"url", "content_type"}]``. Only
        https links are given a ``url``; any other one (``javascript:``, ``data:``, plain
        http) has ``url`` False and is shown as text, its address in place of a missing
        content type."""
        self.ensure_one()
        items = []
        for url, content_type in self.media or []:
            if inbound_rules.is_safe_media_url(url):
                items.append({"url": url, "content_type": content_type})
            else:
                items.append({"url": False, "content_type": content_type or str(url or "")})
        return items

    def _recruit_sms_media_label(self, content_type):
        """What a received file is, in a recruiter's words (its content type stays in the
        link's title)."""
        kind = (content_type or "").split(";")[0].strip().lower()
        labels = {"application/pdf": self.env._("PDF document"), "text/vcard": self.env._("Contact card"),
                  "text/x-vcard": self.env._("Contact card")}
        if kind in labels:
            return labels[kind]
        family = kind.split("/")[0]
        return {"image": self.env._("Image"), "video": self.env._("Video"), "audio": self.env._("Audio recording")}.get(
            family) or (self.env._("File (%(type)s)", type=kind) if kind else self.env._("File"))

    def _recruit_sms_body_html(self):
        """The message as posted in the chatter, as Markup (message_post escapes a str):
        the body with its web addresses as links, as Odoo shows an SMS, then the media,
        https ones as links and any other as plain text."""
        html = sms_content_to_rendered_html(self.body or "")
        items = []
        for url, content_type in self.media or []:
            if inbound_rules.is_safe_media_url(url):
                items.append(Markup('<li><a href="{url}" target="_blank" rel="noopener noreferrer" title="{type}">{label}</a></li>')
                             .format(url=url, type=content_type or "", label=self._recruit_sms_media_label(content_type)))
            else:
                items.append(Markup("<li>{text}</li>").format(text=" ".join(filter(None, [content_type, str(url or "")]))))
        if items:
            html += Markup("<ul>{items}</ul>").format(items=Markup("").join(items))
        # Posting an SMS, Odoo renders its body once more, turning every "http(s)://"
        # it finds into a link, inside our links too: the colon written as a character
        # reference keeps it away (the HTML parser reads it back as ':')
        return html.replace("://", Markup("&#58;//"))

    def _recruit_sms_attach(self, applicant, ends=False):
        """Post this message on ``applicant``'s thread, as written by the applicant. With
        ``ends`` (a STOP), the conversation waits for no answer (no inbox count, no
        response-time escalation, no new-message alert) and no campaign counts it as a
        reply."""
        self.ensure_one()
        applicant = applicant.sudo()
        partner = applicant._recruit_sms_ensure_partner(self.from_number)
        message = applicant.with_context(mail_create_nosubscribe=True, mail_post_autofollow=False).message_post(
            body=self._recruit_sms_body_html(),
            message_type="sms",
            subtype_xmlid="mail.mt_note",
            author_id=partner.id,
            email_from=partner.email_formatted or self.from_number,
            date=self.received_date,
        )
        self.write({"applicant_id": applicant.id, "mail_message_id": message.id, "state": "matched"})
        if self.company_id._recruit_sms_whatsapp_ready() and applicant.recruit_sms_channel != self.channel:
            applicant.recruit_sms_channel = self.channel  # answered where they last wrote
        applicant._recruit_sms_mark_received(self.received_date, self.body or self.env._("(media)"), self.channel,
                                             waiting=not ends)
        if not ends:
            self._recruit_sms_link_campaign(applicant)
            applicant._recruit_sms_notify_inbound(self)
        return message

    def _recruit_sms_link_campaign(self, applicant):
        """A reply to a campaign lands in the normal inbox, with the campaign shown."""
        line = self.env["recruit.sms.campaign.line"].sudo().search([
            ("applicant_id", "=", applicant.id), ("state", "=", "sent"),
            ("sent_at", "<=", self.received_date), ("sent_at", ">=", self.received_date - REPLY_WINDOW),
        ], order="sent_at desc, id desc", limit=1)
        if line:
            self.campaign_line_id = line
            applicant.sudo().recruit_sms_campaign_id = line.campaign_id

    # ------------------------------------------------------------
    # STOP, START and HELP
    # ------------------------------------------------------------

    def _recruit_sms_handle_keyword(self):
        """STOP, START and HELP from the candidate opt the number out, back in, or get
        the help answer: the message itself stays in the conversation like any other.
        Whether the message was a keyword."""
        kind = keywords.classify(self.body, self.opt_out_type)
        if not kind:
            return False
        number, applicant, company = self.from_number, self.applicant_id, self.company_id
        blacklist = self.env["phone.blacklist"].sudo()
        opted_out = number in blacklist._recruit_sms_opted_out([number])
        if kind == keywords.OPT_OUT:
            if not opted_out:  # the confirmation goes once
                self._recruit_sms_opt_out("keyword")
            return True
        if kind == keywords.OPT_IN:
            if not opted_out:
                return False  # "Yes" to a question is a plain answer
            if self._recruit_sms_simulation_spares(number):
                return True
            blacklist._recruit_sms_opt_in(
                number, "keyword", applicant=applicant, inbound=self, reason=self.body,
                note=self.env._("Opted back in by the candidate's message: %(body)s", body=self.body))
            self._recruit_sms_confirm(company.recruit_sms_optin_reply)
            return True
        # HELP: the company's HELP rule answers, like its other automatic replies
        if applicant:
            applicant._recruit_sms_notify_inbox()
        if not self._recruit_sms_provider_answers():
            self.env["recruit.sms.auto.reply"]._recruit_sms_answer(self, help_keyword=True)
        return True

    def _recruit_sms_handle_intent(self):
        """A message that is no keyword but seems to ask to stop ("please stop texting
        me"): the number is opted out at once when the company says so, else the
        applicant is flagged for a recruiter to confirm or dismiss, and gets no automated
        text meanwhile."""
        words = intent.wants_to_stop(self.body)
        if not words:
            return
        self.opt_out_intent = words
        number, applicant = self.from_number, self.applicant_id
        if number in self.env["phone.blacklist"].sudo()._recruit_sms_opted_out([number]):
            return
        if self.company_id.recruit_sms_intent_opt_out:
            self._recruit_sms_opt_out("intent")
        elif applicant:
            # every application of the number in the company waits for the recruiter's decision
            holders = self._recruit_sms_holders().filtered("active") | applicant
            holders.write({"recruit_sms_optout_asked_inbound_id": self.id})
            holders._recruit_sms_notify_inbox()
            applicant._recruit_sms_ask_decision(self)

    def _recruit_sms_opt_out(self, source, user=None):
        """Opt this message's number out because of what it says (``source`` in the
        ledger: "keyword", "intent" with the ``user`` who confirmed it, if any, or
        "deadline" when nobody decided in time), and send the company's confirmation."""
        number, applicant = self.from_number, self.applicant_id
        if self._recruit_sms_simulation_spares(number):
            return False
        if user:
            note = self.env._("Opted out by %(user)s, as the candidate asked: %(body)s", user=user.name, body=self.body)
        elif source == "deadline":
            note = self.env._("Opted out: nobody decided within 10 business days whether this message asked to stop, "
                              "so it is honoured as a revocation (FCC rule): %(body)s", body=self.body)
        else:
            note = self.env._("Opted out by the candidate's message: %(body)s", body=self.body)
        self.env["phone.blacklist"]._recruit_sms_opt_out(number, source, applicant=applicant, inbound=self,
                                                         reason=self.body, note=note)
        self._recruit_sms_confirm(self.company_id.recruit_sms_optout_reply)
        return True

    def _recruit_sms_confirm(self, reply):
        """Answer the candidate with ``reply``, unless the provider answers keywords itself."""
        if reply and not self._recruit_sms_provider_answers():
            self.applicant_id.with_company(self.company_id)._recruit_sms_send_confirmation(
                self.from_number, reply, self._recruit_sms_reply_channel())

    def _recruit_sms_provider_answers(self):
        """Whether the provider already answered this keyword: Twilio's Advanced Opt-Out
        answers SMS only, never WhatsApp."""
        return self.company_id.recruit_sms_provider_answers_keywords and self.channel == "sms"

    def _recruit_sms_reply_channel(self):
        """Where an answer to this message goes: where it came from (WhatsApp's window is
        open, they just wrote), as long as the company still uses WhatsApp."""
        return self.company_id._recruit_sms_channel(self.channel)

    def _recruit_sms_simulation_spares(self, number):
        """Whether this message, a simulated one, must leave ``number``'s opt-out alone:
        the phone blacklist is shared by every company, so a simulated STOP or START would
        change what a real candidate receives when a company on a real provider knows the
        number: an applicant of its (or of no company, which any company may text), a row
        of its consent ledger, or a message it received from it. Says why in the
        conversation."""
        if not self.simulated:
            return False
        real_companies = self.env["res.company"].sudo().search([("sms_provider", "!=", "sandbox")])
        if not real_companies:
            return False
        Applicant = self.env["hr.applicant"].sudo().with_context(active_test=False)
        applicants = Applicant.search(Applicant._recruit_sms_holding([number]))
        real = Domain("company_id", "in", real_companies.ids) | Domain("company_id", "=", False)
        known = (
            any(not applicant.company_id or applicant.company_id in real_companies for applicant in applicants)
            or self.env["recruit.sms.consent.event"].sudo().search_count(Domain("number", "=", number) & real, limit=1)
            or self.sudo().search_count(Domain("from_number", "=", number) & Domain("simulated", "=", False) & real,
                                        limit=1)
        )
        if not known:
            return False
        if self.applicant_id:
            self.applicant_id._recruit_sms_log(self.env._(
                "Simulated reply: the opt-out of %(number)s was left unchanged, and no confirmation was sent. An "
                "applicant of a company that texts through a real SMS provider uses this number, and opt-outs are "
                "shared by all companies.", number=number))
        return True

    # ------------------------------------------------------------
    # Texts to review (unmatched inbound): actions of the recruiters
    # ------------------------------------------------------------

    def _recruit_sms_link_applicant(self, applicant):
        """Attach these unmatched messages (and the other unmatched ones from the same
        numbers to the same companies) to ``applicant``; later messages from these numbers
        follow. The user must see the messages and may write on the applicant."""
        self.check_access("read")
        applicant.check_access("write")
        if any(inbound.company_id != applicant._recruit_sms_company() for inbound in self):
            # later texts from the number would land on another company's applicant
            raise UserError(self.env._("Link: the applicant must belong to the company that received the messages."))
        if not applicant:
            raise UserError(self.env._("Choose the applicant to link the message to."))
        self._recruit_sms_check_unmatched()
        # the others of the same companies only: another company's messages are not theirs to move
        pending = self.sudo().search([
            ("from_number", "in", self.mapped("from_number")), ("state", "=", "unmatched"),
            ("company_id", "in", self.company_id.ids),
        ], order="received_date asc, id asc")
        for inbound in pending | self.sudo():
            inbound._recruit_sms_attach(applicant)
        return True

    def _recruit_sms_check_unmatched(self):
        if self.filtered(lambda r: r.state == "error"):
            raise UserError(self.env._("This message could not be processed: press Retry first."))
        if self.filtered(lambda r: r.state != "unmatched"):
            raise UserError(self.env._("This message is already on an applicant."))

    def action_retry(self):
        """Process failed messages again, now (their number may have been fixed, the
        error may have been transient): recruitment officers, within their companies."""
        self.check_access("read")
        self.env["hr.applicant"]._recruit_sms_check_officer(
            self.env._("Only a recruitment officer can retry a received message."))
        if self.filtered(lambda r: r.state != "error"):
            raise UserError(self.env._("Only a message that could not be processed can be retried."))
        self.sudo().write({"state": "received", "error_reason": False})
        self.sudo()._recruit_sms_process()
        return True

    def action_create_applicant(self):
        self.ensure_one()
        self._recruit_sms_check_unmatched()
        applicant = self.env["hr.applicant"].create({
            # named by their number, as people write it, until the recruiter knows their name
            "partner_name": phone.international(self.from_number),
            "partner_phone": self.from_number,
            "company_id": self.company_id.id,
        })
        self._recruit_sms_link_applicant(applicant)
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.applicant",
            "res_id": applicant.id,
            "views": [(False, "form")],
        }

    def action_open_link_wizard(self):
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Link to an applicant"),
            "res_model": "recruit.sms.inbound.link",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_inbound_ids": self.ids},
        }
