import json
import logging

from odoo import api, fields, models
from odoo.addons.sms.tools.sms_tools import sms_content_to_rendered_html
from odoo.exceptions import UserError
from odoo.tools import html_escape

from ..tools import inbound as inbound_rules
from ..tools import phone

_logger = logging.getLogger(__name__)


class RecruitSmsInbound(models.Model):
    """An SMS received from a candidate, as the provider delivered it.

    One row per provider message (its SID is unique in the database, so a retried or
    concurrent webhook never stores a message twice). A row without applicant is in the
    Unmatched inbound list until a recruiter links it.
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
    received_date = fields.Datetime("Received", default=fields.Datetime.now, readonly=True, required=True)
    applicant_id = fields.Many2one("hr.applicant", readonly=True, index="btree_not_null", ondelete="set null")
    related_applicant_ids = fields.Many2many(
        "hr.applicant", string="Other applications with this number", readonly=True,
    )
    mail_message_id = fields.Many2one("mail.message", "Message", readonly=True, index="btree_not_null", ondelete="set null")
    state = fields.Selection(
        [("received", "Received"), ("matched", "On an applicant"), ("unmatched", "Unmatched")],
        default="received", required=True, readonly=True, index=True,
        help="Received: stored by the webhook, waiting to be attached (within seconds).",
    )

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
    def _recruit_sms_store(self, sms, company):
        """Store ``sms`` (an ``InboundSms``) received on ``company``'s number, as fast as
        possible: the webhook answers Twilio right after. Returns the new row, or an
        empty recordset when the message was already stored.

        Idempotent in the database: ``INSERT ... ON CONFLICT (message_sid) DO NOTHING``
        stores a retried or concurrently delivered message once.
        """
        number = phone.try_e164(sms.from_number, sms.from_country or company.country_id.code) or sms.from_number
        now = fields.Datetime.now()
        self.env.cr.execute("""
            INSERT INTO recruit_sms_inbound (
                message_sid, company_id, from_number, to_number, messaging_service_sid, body, media,
                num_segments, from_country, opt_out_type, received_date, state,
                create_uid, create_date, write_uid, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'received', %s, %s, %s, %s)
            ON CONFLICT (message_sid) DO NOTHING
            RETURNING id
        """, [
            sms.message_sid, company.id, number, sms.to_number or None, sms.messaging_service_sid or None, sms.body,
            json.dumps([list(item) for item in sms.media]) if sms.media else None,
            sms.num_segments, sms.from_country or None, sms.opt_out_type or None, now, self.env.uid, now, self.env.uid, now,
        ])
        row = self.env.cr.fetchone()
        if not row:
            _logger.info("Inbound SMS %s already stored (retry)", sms.message_sid)
            return self.browse()
        _logger.info("Inbound SMS %s from %s stored", sms.message_sid, number)
        _logger.debug("Inbound SMS %s body: %s", sms.message_sid, sms.body)
        return self.browse(row[0])

    @api.model
    def _recruit_sms_receive(self, sms, company):
        """Store ``sms`` and attach it at once (the sandbox's path). Returns (record, created)."""
        record = self.sudo()._recruit_sms_store(sms, company)
        if not record:
            return self.sudo().search([("message_sid", "=", sms.message_sid)], limit=1), False
        record._recruit_sms_process()
        return record, True

    def _recruit_sms_process(self):
        """Attach received messages to their applicant (or leave them unmatched) and tell
        the recruiter."""
        for record in self.sudo().filtered(lambda r: r.state == "received"):
            applicant, others = record._recruit_sms_find_applicant()
            if applicant:
                record.related_applicant_ids = others
                record._recruit_sms_attach(applicant)
            else:
                record.state = "unmatched"

    @api.model
    def _recruit_sms_process_batch(self, batch=100):
        """Attach a batch of what the webhook stored; returns how many. Rows are locked
        with SKIP LOCKED, so several workers (or servers) share the queue without
        processing a message twice."""
        self.flush_model(["state"])
        self.env.cr.execute("""
            SELECT id FROM recruit_sms_inbound WHERE state = 'received'
             ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED
        """, [batch])
        records = self.browse([row[0] for row in self.env.cr.fetchall()])
        records._recruit_sms_process()
        return len(records)

    @api.model
    def _cron_process_received(self, batch=100):
        while done := self._recruit_sms_process_batch(batch):
            remaining = self.search_count([("state", "=", "received")])
            if self.env["ir.cron"]._commit_progress(done, remaining=remaining) <= 0 or not remaining:
                break

    @api.model
    def _recruit_sms_trigger_processing(self):
        """Wake the queue up now, unless a wake-up is already due (a burst of messages
        then costs one trigger; the cron also runs every minute as a safety net)."""
        cron = self.env.ref("recruit_sms.ir_cron_recruit_sms_inbound").sudo()
        self.env.cr.execute(
            "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= %s LIMIT 1",
            [cron.id, fields.Datetime.now()],
        )
        if not self.env.cr.fetchone():
            cron._trigger()

    def _recruit_sms_find_applicant(self):
        """(applicant, other applicants) the sender's number belongs to.

        Applicants whose phone is the number come first; failing that, the applicant a
        recruiter linked an earlier message from this number to.
        """
        self.ensure_one()
        applicants = self.env["hr.applicant"].sudo().with_context(active_test=False).search([
            "|", ("partner_phone_sanitized", "=", self.from_number), ("recruit_sms_number", "=", self.from_number),
            ("company_id", "in", [self.company_id.id, False]),
        ])
        if not applicants:
            linked = self.search([
                ("from_number", "=", self.from_number), ("applicant_id", "!=", False), ("id", "!=", self.id),
            ], limit=1)
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

    def _recruit_sms_body_html(self):
        html = sms_content_to_rendered_html(self.body or "")
        links = "".join(
            f'<li><a href="{html_escape(url)}" target="_blank" rel="noopener noreferrer">'
            f"{html_escape(content_type or url)}</a></li>"
            for url, content_type in self.media or []
        )
        return html + (f"<ul>{links}</ul>" if links else "")

    def _recruit_sms_attach(self, applicant):
        """Post this message on ``applicant``'s thread, as written by the applicant."""
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
        applicant._recruit_sms_mark_waiting(self.received_date, self.body or self.env._("(media)"))
        applicant._recruit_sms_notify_inbound(self)
        return message

    # ------------------------------------------------------------
    # Unmatched inbound: actions of the recruiters
    # ------------------------------------------------------------

    def action_link_applicant(self, applicant):
        """Attach these unmatched messages (and the other unmatched ones from the same
        numbers) to ``applicant``; later messages from these numbers follow."""
        applicant.check_access("write")
        if not applicant:
            raise UserError(self.env._("Choose the applicant to link the message to."))
        if self.filtered(lambda r: r.state != "unmatched"):
            raise UserError(self.env._("This message is already on an applicant."))
        pending = self.sudo().search([
            ("from_number", "in", self.mapped("from_number")), ("state", "=", "unmatched"),
        ], order="received_date asc, id asc")
        for inbound in pending | self.sudo():
            inbound._recruit_sms_attach(applicant)
        return True

    def action_create_applicant(self):
        self.ensure_one()
        if self.state != "unmatched":
            raise UserError(self.env._("This message is already on an applicant."))
        applicant = self.env["hr.applicant"].create({
            "partner_name": self.env._("SMS from %(number)s", number=self.from_number),
            "partner_phone": self.from_number,
            "company_id": self.company_id.id,
        })
        self.action_link_applicant(applicant)
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.applicant",
            "res_id": applicant.id,
            "views": [(False, "form")],
        }

    def action_open_link_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Link to an applicant"),
            "res_model": "recruit.sms.inbound.link",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_inbound_ids": self.ids},
        }
