import io
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..tools.csv_safe import Writer

# the consent exports, CSV files attached to no record: kept a day, for their download
EXPORT_PREFIX = "sms-consent-"
EXPORT_KEPT = timedelta(days=1)

EVENTS = [
    ("consent", "Consent given"),
    ("consent_withdrawn", "Consent withdrawn"),
    ("opt_out", "Opted out"),
    ("opt_in", "Opted back in"),
]
SOURCES = [
    ("keyword", "Candidate's keyword (STOP/START)"),
    ("intent", "Candidate's message asking to stop"),
    ("deadline", "Candidate's message asking to stop, undecided for 10 business days"),
    ("twilio_21610", "Provider: unsubscribed (Twilio 21610)"),
    ("command", "Recruiter's command"),
    ("import", "Import"),
    ("form", "Entered by a recruiter"),
    ("application", "Application form"),
]


class RecruitSmsConsentEvent(models.Model):
    """The consent ledger: every change of a number's SMS status, as evidence.

    Written by the code paths that change the status (never by hand), never rewritten:
    read-only for everyone; administrators may only delete rows (erasing a candidate)."""

    _name = "recruit.sms.consent.event"
    _description = "SMS consent ledger"
    _order = "date desc, id desc"
    _rec_name = "number"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    number = fields.Char(required=True, readonly=True, index=True)
    applicant_id = fields.Many2one("hr.applicant", readonly=True, index="btree_not_null", ondelete="set null")
    company_id = fields.Many2one("res.company", readonly=True, index=True,
                                 help="The company whose candidate or number it concerns.")
    event = fields.Selection(EVENTS, required=True, readonly=True)
    source = fields.Selection(SOURCES, "How", required=True, readonly=True)
    user_id = fields.Many2one("res.users", "By", readonly=True, default=lambda self: self.env.user)
    reason = fields.Char(readonly=True)
    inbound_id = fields.Many2one("recruit.sms.inbound", "Message that caused it", readonly=True, ondelete="set null")

    @api.autovacuum
    def _gc_exports(self):
        """Consent exports are downloaded at once: the files do not outlive the day, nor keep
        a candidate's numbers after their ledger rows are erased."""
        self.env["ir.attachment"].sudo().search([
            ("name", "=like", f"{EXPORT_PREFIX}%"), ("res_model", "=", False), ("res_id", "=", False),
            ("create_date", "<", fields.Datetime.now() - EXPORT_KEPT),
        ]).unlink()

    def _log(self, number, event, source, *, applicant=None, reason=None, inbound=None, company=None):
        company = company or (applicant and applicant.company_id) or (inbound and inbound.company_id) or self.env.company
        return self.sudo().create({
            "number": number,
            "company_id": company.id,
            "event": event,
            "source": source,
            "applicant_id": applicant.id if applicant else False,
            "reason": reason or False,
            "inbound_id": inbound.id if inbound else False,
            "user_id": self.env.user.id,
        })

    def _last_opt_out(self, number):
        return self.sudo().search([("number", "=", number), ("event", "in", ("opt_out", "opt_in"))], limit=1).filtered(
            lambda e: e.event == "opt_out")

    def _to_csv(self, texts=None):
        """The ledger rows and, one timeline with them, the ``texts`` (SMS notifications)
        sent: their kind, who sent them and the texting law they went under."""
        selection = {name: dict(self._fields[name]._description_selection(self.env)) for name in ("event", "source")}
        out = io.StringIO()
        writer = Writer(out)
        # a revocation shows when it came (the candidate's message) and when it was honoured
        writer.writerow(["date (UTC)", "number", "applicant", "event", "how", "by", "reason or texting law", "message",
                         "message received (UTC)"])
        rows = [(event.date, event.id, [
            fields.Datetime.to_string(event.date), event.number, event.applicant_id.partner_name or "",
            selection["event"][event.event], selection["source"][event.source], event.user_id.name or "",
            event.reason or "", (event.inbound_id.body or "") if event.inbound_id else "",
            fields.Datetime.to_string(event.inbound_id.received_date) if event.inbound_id else "",
        ]) for event in self]
        if texts:
            kinds = dict(texts._fields["recruit_sms_kind"]._description_selection(self.env))
            for text in texts:
                message = text.mail_message_id
                applicant = self.env[message.model].browse(message.res_id) if message.model == "hr.applicant" else None
                rows.append((message.date, text.id, [
                    fields.Datetime.to_string(message.date), text.sms_number or "",
                    (applicant.partner_name or "") if applicant else "", self.env._("Text sent"),
                    kinds.get(text.recruit_sms_kind) or self.env._("Automated"), message.author_id.name or "",
                    text.recruit_sms_law or "", html2plaintext(message.body or ""), "",
                ]))
        for _date, _id, row in sorted(rows, key=lambda row: (row[0], row[1])):
            writer.writerow(row)
        return out.getvalue()
