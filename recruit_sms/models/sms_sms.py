from collections import defaultdict

from odoo import api, fields, models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    recruit_sms_exempt = fields.Boolean(
        "Compliance confirmation", readonly=True,
        help="An opt-out/opt-in/help confirmation: answers the candidate at once, whatever the hour or the opt-out.",
    )
    recruit_sms_manual = fields.Boolean("Written by a recruiter", readonly=True)
    recruit_sms_hold_until = fields.Datetime(
        "Held until", readonly=True, index="btree_not_null",
        help="Outside the recipient's texting hours: the queue sends it when they open.",
    )
    recruit_sms_block_reason = fields.Char("Blocked because", readonly=True)
    recruit_sms_campaign_line_id = fields.Many2one(
        "recruit.sms.campaign.line", "Campaign message", readonly=True, index="btree_not_null", ondelete="set null",
        help="Sent by its campaign, at the sender's pace; the SMS queue leaves it alone.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        flags = {
            "recruit_sms_exempt": bool(self.env.context.get("recruit_sms_exempt")),
            "recruit_sms_manual": bool(self.env.context.get("recruit_sms_manual")),
        }
        for vals in vals_list:
            for name, value in flags.items():
                vals.setdefault(name, value)
        return super().create(vals_list)

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
            return super(SmsSms, allowed)._send(
                unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception)
        return None

    def _recruit_sms_applicant(self):
        message = self.mail_message_id
        if message.model == "hr.applicant" and message.res_id:
            return self.env["hr.applicant"].sudo().browse(message.res_id).exists()
        return self.env["hr.applicant"]

    def _recruit_sms_gate(self):
        """The SMS of ``self`` that may go now. The others are blocked for good (opted-out
        number, applicant without consent) with the reason, or held until the recipient's
        texting hours open. Confirmations of STOP/START/HELP are exempt."""
        now = fields.Datetime.now()
        subject = self.filtered(lambda s: not s.recruit_sms_exempt)
        opted_out = set(self.env["phone.blacklist"].sudo().search(
            [("number", "in", [n for n in subject.mapped("number") if n])]).mapped("number"))
        blocked, held = defaultdict(self.browse), defaultdict(self.browse)
        for sms in subject:
            applicant = sms._recruit_sms_applicant()
            if sms.number in opted_out:
                blocked[self.env._("Not sent: %(number)s is opted out of SMS.", number=sms.number)] |= sms
            elif applicant and not applicant.recruit_sms_consent:
                blocked[self.env._("Not sent: the applicant has not agreed to receive text messages.")] |= sms
            elif applicant:
                hold = applicant._recruit_sms_hold_until(now=now, number=sms.number, manual=sms.recruit_sms_manual)
                if hold:
                    held[hold] |= sms
        for reason, records in blocked.items():
            records._recruit_sms_block(reason)
        for until, records in held.items():
            records.sudo().write({"recruit_sms_hold_until": until})
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger(until)
        stopped = self.browse().union(*blocked.values(), *held.values())
        return self - stopped

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

    @api.model
    def _process_queue(self):
        # core's cron, with held messages left alone until their time
        domain = self._recruit_sms_queue_domain()
        batch_size = self._get_send_batch_size()
        records = self.search(domain, limit=batch_size, order="id").try_lock_for_update()
        if not records:
            return
        records._send(unlink_failed=False, unlink_sent=True, raise_exception=False)
        self.env["ir.cron"]._commit_progress(len(records), remaining=self.search_count(domain) if len(records) == batch_size else 0)
