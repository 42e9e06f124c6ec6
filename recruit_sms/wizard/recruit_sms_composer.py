from odoo import api, fields, models

from ..models.hr_applicant import CHANNELS, MAX_EMAIL_BODY
from ..tools import gsm_repair, user_input
from ..tools.segments import count_segments


class RecruitSmsComposer(models.TransientModel):
    _name = "recruit.sms.composer"
    _description = "Message an applicant by email or SMS"

    applicant_id = fields.Many2one("hr.applicant", required=True, ondelete="cascade")
    channel = fields.Selection("_selection_channel", "Send by", required=True, default="email")
    subject = fields.Char()
    body = fields.Text()
    sms_available = fields.Boolean(compute="_compute_sms_available")
    sms_blocked_reason = fields.Char(compute="_compute_sms_available")
    sms_count_info = fields.Char("Length", compute="_compute_sms_count_info")
    sms_repair_info = fields.Char("Costly characters", compute="_compute_sms_count_info")
    whatsapp_template_id = fields.Many2one(
        "recruit.sms.whatsapp.template", "WhatsApp template",
        domain="[('company_id', '=', applicant_company_id)]",
        help="An approved template, sent in place of the text: the only message WhatsApp accepts when the candidate "
             "has not written there in the last 24 hours.")
    applicant_company_id = fields.Many2one("res.company", compute="_compute_whatsapp")
    whatsapp_note = fields.Char("WhatsApp window", compute="_compute_whatsapp")
    whatsapp_needs_template = fields.Boolean(compute="_compute_whatsapp")
    whatsapp_preview = fields.Text("The candidate reads", compute="_compute_whatsapp")

    @api.model
    def _selection_channel(self):
        # offered when one of the user's companies texts on WhatsApp; sending checks the applicant's
        if any(company._recruit_sms_whatsapp_ready() for company in self.env.companies):
            return CHANNELS
        return [channel for channel in CHANNELS if channel[0] != "whatsapp"]

    @api.depends("applicant_id", "channel", "whatsapp_template_id")
    def _compute_whatsapp(self):
        for composer in self:
            applicant = composer.applicant_id
            company = applicant._recruit_sms_company() if applicant else self.env.company
            window_open, note = applicant._recruit_sms_whatsapp_window() if (
                applicant and composer.channel == "whatsapp" and company._recruit_sms_whatsapp_ready()) else (True, False)
            composer.applicant_company_id = company
            composer.whatsapp_note = note
            composer.whatsapp_needs_template = not window_open
            template = composer.whatsapp_template_id
            composer.whatsapp_preview = template._recruit_sms_fill(applicant)[1] if template and applicant else False

    # a draft is for an applicant the caller may read (the record rules keep it to their
    # companies): the wizard would show it otherwise (constraints run as superuser, so
    # this is checked here, as the caller)
    @api.model_create_multi
    def create(self, vals_list):
        composers = super().create(vals_list)
        composers.applicant_id.check_access("read")
        return composers

    def write(self, vals):
        result = super().write(vals)
        if "applicant_id" in vals:
            self.applicant_id.check_access("read")
        return result

    @api.model
    def default_get(self, fields_list):
        self.check_access("create")
        values = super().default_get(fields_list)
        applicant = self.env["hr.applicant"].browse(values.get("applicant_id") or self.env.context.get("active_id"))
        if applicant and "applicant_id" in fields_list:
            values["applicant_id"] = applicant.id
        if applicant and "channel" in fields_list and not self.env.context.get("default_channel"):
            values["channel"] = "sms" if applicant.recruit_sms_can_text else "email"
            # WhatsApp when the candidate texts there, and it is among the channels offered here
            if values["channel"] == "sms" and "whatsapp" in dict(self._selection_channel()) \
                    and applicant._recruit_sms_company()._recruit_sms_channel(applicant.recruit_sms_channel) == "whatsapp":
                values["channel"] = "whatsapp"
        return values

    @api.depends("applicant_id.recruit_sms_can_text")
    def _compute_sms_available(self):
        for composer in self:
            reason = composer.applicant_id and composer.applicant_id._recruit_sms_blocked_reason()
            composer.sms_available = bool(composer.applicant_id) and not reason
            composer.sms_blocked_reason = reason or False

    @api.depends("body", "channel", "applicant_id")
    def _compute_sms_count_info(self):
        for composer in self:
            suffix = composer.applicant_id._recruit_sms_first_contact_suffix() if composer.applicant_id else ""
            composer.sms_count_info = composer._format_count(count_segments((composer.body or "") + suffix))
            composer.sms_repair_info = composer._format_repair(composer.body, suffix)

    def _format_repair(self, body, suffix=""):
        """What a repair would save, in words, or False when it saves nothing."""
        preview = gsm_repair.preview(body, suffix)
        if not preview["repair"]:
            return False  # nothing to repair, or the first-contact notice keeps it Unicode
        return self.env._(
            "Unicode because of %(chars)s: Repair replaces them with plain characters, %(before)s SMS become %(after)s.",
            chars=" ".join(f"\u201c{char}\u201d" if char.strip() else repr(char) for char in preview["repair"]["replaced"]),
            before=preview["segments"], after=preview["repair"]["segments"])

    def action_repair(self):
        """Replace the costly look-alike characters of the draft, and keep the composer open."""
        self.ensure_one()
        self.body = gsm_repair.repair(self.body or "")[0]
        return self._recruit_sms_reopen()

    def _format_count(self, count):
        encoding = "GSM-7" if count.encoding == "gsm7" else "Unicode"
        return self.env._(
            "%(units)s characters, %(segments)s SMS (%(encoding)s, %(per)s per SMS)",
            units=count.units, segments=count.segments, encoding=encoding, per=count.per_segment,
        )

    @api.model
    def recruit_sms_count(self, text, applicant_id=False):
        """The live counter of the chat composer: the same rule as this form's, with the
        first-contact notice when it will be appended."""
        self.check_access("create")
        Applicant = self.env["hr.applicant"]
        text = Applicant._recruit_sms_input(self.env._("Message"), text, user_input.text, MAX_EMAIL_BODY)
        applicant = Applicant.browse(Applicant._recruit_sms_input(self.env._("Applicant"), applicant_id,
                                                                  user_input.record_id, optional=True))
        if applicant:
            applicant.check_access("read")  # whether a number was ever texted is the applicant's data
        suffix = applicant._recruit_sms_first_contact_suffix() if applicant else ""
        count = count_segments((text or "") + suffix)
        return dict(count.as_dict(), label=self._format_count(count), repair=gsm_repair.preview(text, suffix)["repair"])

    def _recruit_sms_reopen(self):
        """The composer again, with its edited draft."""
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new", "name": self.env._("Message")}

    def action_insert_booking_link(self):
        """Add a new booking link to the draft, and keep the composer open."""
        self.ensure_one()
        sentence = self.applicant_id.recruit_sms_booking_link()
        self.body = f"{self.body.rstrip()}\n{sentence}" if (self.body or "").strip() else sentence
        return self._recruit_sms_reopen()

    def action_send(self):
        self.ensure_one()
        template = self.whatsapp_template_id if self.channel == "whatsapp" else self.whatsapp_template_id.browse()
        result = self.applicant_id.recruit_sms_compose(self.channel, self.subject, self.body, template_id=template.id)
        if "feedback" in result:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {"message": result["feedback"], "type": "info", "next": {"type": "ir.actions.act_window_close"}},
            }
        return {"type": "ir.actions.act_window_close"}
