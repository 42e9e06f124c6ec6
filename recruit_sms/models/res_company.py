from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..providers import SmsApiSandbox, SmsApiTwilioRecruit
from ..tools import deliverability, gate, phone, twilio_api


class ResCompany(models.Model):
    _inherit = "res.company"

    sms_provider = fields.Selection(
        selection_add=[("sandbox", "Sandbox (nothing leaves Odoo)")],
        ondelete={"sandbox": "set default"},
    )
    recruit_sms_twilio_api_url = fields.Char(
        "Twilio API base URL",
        default=twilio_api.DEFAULT_API_URL,
        groups="base.group_system",
        help="Base URL of Twilio's REST API, or of a Twilio-compatible service.",
    )
    recruit_sms_twilio_messaging_service_sid = fields.Char(
        "Messaging Service SID",
        groups="base.group_system",
        help="When set, messages are sent through this Messaging Service instead of a From number.",
    )

    # compliance: keyword answers, first-contact notice, texting hours
    recruit_sms_optout_reply = fields.Char(
        "Opt-out confirmation", translate=True,
        default="You have successfully been unsubscribed, you will not receive any more messages from this number. "
                "Reply START to re-subscribe.",
    )
    recruit_sms_optin_reply = fields.Char(
        "Opt-in confirmation", translate=True,
        default="You have successfully been re-subscribed to this number. Reply STOP to unsubscribe. Msg&Data Rates May Apply.",
    )
    recruit_sms_first_contact_notice = fields.Char(
        "First-contact notice", translate=True, default="Reply STOP to opt out.",
        help="Appended to the first SMS ever sent to a number.",
    )
    recruit_sms_sla_hours = fields.Integer(
        "Response time (working hours)", default=24,
        help="A conversation waiting longer than this, counted in the working hours of whoever must answer, gives "
             "them an activity and shows as escalated in the inbox. 0: never.")
    recruit_sms_intent_opt_out = fields.Boolean(
        "Opt out messages that ask to stop",
        help="A message that is no STOP keyword but seems to ask to stop (\"please stop texting me\", \"no me "
             "escriban\") opts the number out at once, with the confirmation. Unticked: the applicant is flagged "
             "for a recruiter to decide, and gets no automated text until then.",
    )
    recruit_sms_provider_answers_keywords = fields.Boolean(
        "The provider answers STOP/START/HELP itself",
        help="Twilio's Advanced Opt-Out (or the carrier) already confirms: do not send our confirmations.",
    )
    recruit_sms_quiet_start = fields.Float("Texts from", default=8.0, help="Earliest hour at the recipient's local time.")
    recruit_sms_quiet_end = fields.Float("Texts until", default=21.0, help="Latest hour at the recipient's local time.")
    recruit_sms_law_everywhere = fields.Boolean(
        "Strictest texting law everywhere",
        help="Apply every texting rule (Texting law) to every recipient, wherever they are: the strictest hours and "
             "caps win. Off: each recipient gets the rules of their own place.")
    recruit_sms_quiet_hold_replies = fields.Boolean(
        "Hold manual replies too",
        help="By default a recruiter's one-to-one reply to a candidate who wrote in the last 24 hours goes out at "
             "once; tick this to hold it until the window opens like automated messages.",
    )

    recruit_sms_rate = fields.Float(
        "Messages per second", default=1.0,
        help="What the Twilio Messaging Service (or another SMS provider) may send per second: campaigns never "
             "go faster. Each Twilio number has its own rate, set with the number.",
    )
    recruit_sms_apply_template_id = fields.Many2one(
        "sms.template", "Text on apply", domain=[("model", "=", "hr.applicant")],
        help="Texted to each new applicant who came by the website's form, by email or by import and agreed to be texted, unless their job "
             "position has its own.",
    )
    recruit_sms_bulk_cap = fields.Integer(
        "Bulk Text selection limit", default=50,
        help="How many applicants can be selected at once for Bulk Text; add more inside the campaign.",
    )

    # deliverability: the brake on carrier filtering and the daily cap (tools/deliverability)
    recruit_sms_brake_sample = fields.Integer(
        "Texts watched", default=100,
        help="The brake looks at each sender's and each campaign's last this many texts the carrier answered for.")
    recruit_sms_brake_filtered_pct = fields.Float(
        "Filtered (%)", default=5.0,
        help="Campaigns pause when this share of the texts watched was filtered by the carrier as spam (30007).")
    recruit_sms_brake_unregistered = fields.Integer(
        "Unregistered refusals", default=3,
        help="Campaigns pause when this many of the texts watched were refused because the sender is not registered "
             "for A2P 10DLC (30034).")
    recruit_sms_brake_optout_pct = fields.Float(
        "Opt-outs (%)", default=3.0,
        help="A campaign pauses when this share of the texts watched was followed by an opt-out.")
    recruit_sms_daily_cap = fields.Integer(
        "Daily cap", default=0,
        help="At most this many campaign texts a day (UTC) from all the company's senders, as carriers cap a brand "
             "(T-Mobile: 2,000 to 200,000 by brand score); 0: no cap. Each sender may have its own cap too.")

    recruit_sms_whatsapp = fields.Boolean(
        "WhatsApp", help="Text candidates on WhatsApp too, through the SMS provider (Twilio, or the sandbox).")
    recruit_sms_whatsapp_sender = fields.Char(
        "WhatsApp sender",
        help="The WhatsApp-enabled number of the Twilio account (Messaging > Senders > WhatsApp senders), in "
             "international form, e.g. +14155238886. The sandbox needs none.")

    @api.constrains("recruit_sms_whatsapp_sender")
    def _check_recruit_sms_whatsapp(self):
        for company in self.filtered("recruit_sms_whatsapp_sender"):
            if not phone.try_e164(company.recruit_sms_whatsapp_sender):
                raise ValidationError(self.env._(
                    "WhatsApp sender: %(number)s is no phone number; write it in international form, e.g. +14155238886.",
                    number=company.recruit_sms_whatsapp_sender))

    def _recruit_sms_whatsapp_ready(self):
        """Whether this company texts on WhatsApp: enabled, through the sandbox, or
        through Twilio with a WhatsApp sender."""
        self.ensure_one()
        if not self.recruit_sms_whatsapp:
            return False
        return self.sms_provider == "sandbox" or (self.sms_provider == "twilio" and bool(self.recruit_sms_whatsapp_sender))

    def _recruit_sms_check_whatsapp(self):
        """Refuse, saying how to fix it, what needs WhatsApp when this company does not text there."""
        if not self._recruit_sms_whatsapp_ready():
            raise UserError(self._recruit_sms_whatsapp_missing())

    def _recruit_sms_channel(self, wanted):
        """Where a text meant for ``wanted`` goes: WhatsApp only while this company texts
        there, else SMS."""
        return gate.WHATSAPP if wanted == gate.WHATSAPP and self._recruit_sms_whatsapp_ready() else gate.SMS

    def _recruit_sms_whatsapp_missing(self):
        """What keeps WhatsApp from working for this company, in words that say how to fix it."""
        self.ensure_one()
        if self.recruit_sms_whatsapp and self.sms_provider == "twilio":
            return self.env._("WhatsApp sender: Twilio needs the WhatsApp-enabled number to send from; an administrator "
                              "copies it from Twilio's Console (Messaging > Senders > WhatsApp senders) into Settings.")
        if self.recruit_sms_whatsapp:
            return self.env._("WhatsApp goes through Twilio or the sandbox: an administrator chooses one of them as SMS "
                              "provider in Settings.")
        return self.env._("WhatsApp is not set up for %(company)s: an administrator enables it in Settings > SMS, or "
                          "send by SMS.", company=self.name)

    @api.constrains("recruit_sms_rate", "recruit_sms_bulk_cap")
    def _check_recruit_sms_bulk(self):
        for company in self:
            if company.recruit_sms_rate <= 0 or company.recruit_sms_bulk_cap <= 0:
                raise ValidationError(self.env._("Messages per second and Bulk Text selection limit must be positive."))

    @api.constrains("recruit_sms_brake_sample", "recruit_sms_brake_filtered_pct", "recruit_sms_brake_unregistered",
                    "recruit_sms_brake_optout_pct", "recruit_sms_daily_cap")
    def _check_recruit_sms_brake(self):
        for company in self:
            if company.recruit_sms_brake_sample <= 0 or company.recruit_sms_brake_unregistered <= 0:
                raise ValidationError(self.env._("Deliverability: 'Texts watched' and 'Unregistered refusals' must be "
                                                 "at least 1 (e.g. 100 and 3)."))
            if not (0 < company.recruit_sms_brake_filtered_pct <= 100 and 0 < company.recruit_sms_brake_optout_pct <= 100):
                raise ValidationError(self.env._("Deliverability: 'Filtered (%)' and 'Opt-outs (%)' must be between 0 "
                                                 "and 100 (e.g. 5 and 3)."))
            if company.recruit_sms_daily_cap < 0:
                raise ValidationError(self.env._("Deliverability: the daily cap is a number of texts, 0 for none."))

    def _recruit_sms_thresholds(self):
        self.ensure_one()
        return deliverability.Thresholds(
            sample=self.recruit_sms_brake_sample, filtered_pct=self.recruit_sms_brake_filtered_pct,
            unregistered=self.recruit_sms_brake_unregistered, opt_out_pct=self.recruit_sms_brake_optout_pct)

    @api.constrains("recruit_sms_quiet_start", "recruit_sms_quiet_end")
    def _check_recruit_sms_quiet_hours(self):
        for company in self:
            if not 0 <= company.recruit_sms_quiet_start < company.recruit_sms_quiet_end <= 24:
                raise ValidationError(self.env._(
                    "Texting hours: 'Texts from' must be before 'Texts until', both between 0 and 24 (e.g. 8 and 21)."))

    @api.constrains("recruit_sms_twilio_api_url", "recruit_sms_twilio_messaging_service_sid")
    def _check_recruit_sms_twilio_settings(self):
        for company in self.sudo():
            try:
                twilio_api.normalize_api_url(company.recruit_sms_twilio_api_url)
                twilio_api.check_messaging_service_sid(company.recruit_sms_twilio_messaging_service_sid)
            except twilio_api.TwilioSettingError as error:
                raise ValidationError(self.env._("%(company)s: %(error)s", company=company.name, error=error)) from error

    @api.model
    def _recruit_sms_normalize_sender(self, vals):
        """The WhatsApp sender as Twilio addresses it (E.164), however it was typed."""
        if vals.get("recruit_sms_whatsapp_sender"):
            vals["recruit_sms_whatsapp_sender"] = phone.try_e164(vals["recruit_sms_whatsapp_sender"]) \
                or vals["recruit_sms_whatsapp_sender"]  # left as typed: the constraint says what is wrong

    def write(self, vals):
        self._recruit_sms_normalize_sender(vals)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._recruit_sms_normalize_sender(vals)
        companies = super().create(vals_list)
        self.env["recruit.sms.auto.reply"]._recruit_sms_default_help(companies)
        return companies

    def _get_sms_api_class(self):
        self.ensure_one()
        if self.sms_provider == "sandbox":
            return SmsApiSandbox
        if self.sms_provider == "twilio":
            return SmsApiTwilioRecruit
        return super()._get_sms_api_class()

    def _recruit_sms_select_sandbox(self):
        """Select the sandbox provider, unless a provider is already configured.

        Called by the demo data: a database that already sends through Twilio (or has
        an SMS account with Odoo) keeps its provider.
        """
        sms_accounts = self.env["iap.account"].sudo().search([("service_name", "=", "sms")])
        for company in self.sudo():
            configured = (
                company.sms_provider != "iap"
                or company.sms_twilio_account_sid
                or sms_accounts.filtered(lambda a, c=company: not a.company_ids or c in a.company_ids)
            )
            if not configured:
                company.sms_provider = "sandbox"
