from odoo import models

from ..tools import keywords


class RecruitSmsInbound(models.Model):
    _inherit = "recruit.sms.inbound"

    def _recruit_sms_process(self):
        result = super()._recruit_sms_process()
        for record in self.sudo():
            record._recruit_sms_handle_keyword()
        return result

    def _recruit_sms_handle_keyword(self):
        """STOP, START and HELP from the candidate (seed 002, CTIA): the message itself
        stays in the conversation like any other."""
        kind = keywords.classify(self.body, self.opt_out_type)
        if not kind:
            return
        number, applicant, company = self.from_number, self.applicant_id, self.company_id
        blacklist = self.env["phone.blacklist"].sudo()
        opted_out = bool(blacklist.search_count([("number", "=", number)], limit=1))
        ledger = self.env["recruit.sms.consent.event"]
        reply = None
        if kind == keywords.OPT_OUT:
            if opted_out:
                return  # the confirmation goes once
            blacklist._add([number], message=self.env._("Opted out by the candidate's message: %(body)s", body=self.body))
            ledger._log(number, "opt_out", "keyword", applicant=applicant, inbound=self, reason=self.body)
            reply = company.recruit_sms_optout_reply
        elif kind == keywords.OPT_IN:
            if not opted_out:
                return  # "Yes" to a question is a plain answer
            blacklist._remove([number], message=self.env._("Opted back in by the candidate's message: %(body)s", body=self.body))
            ledger._log(number, "opt_in", "keyword", applicant=applicant, inbound=self, reason=self.body)
            reply = company.recruit_sms_optin_reply
        else:
            reply = company.recruit_sms_help_reply
        if applicant:
            applicant._recruit_sms_notify_inbox()
        if reply and not company.recruit_sms_provider_answers_keywords:
            applicant.with_company(company)._recruit_sms_send_confirmation(number, reply)

