from collections import defaultdict

from odoo import models


class SmsSms(models.Model):
    _inherit = "sms.sms"

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
