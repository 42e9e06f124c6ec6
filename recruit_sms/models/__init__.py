from . import hr_applicant, res_company, res_config_settings, sms_sms
