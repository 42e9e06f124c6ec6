from . import (
    hr_applicant,
    hr_applicant_conversation,
    phone_blacklist,
    recruit_sms_inbound,
    recruit_sms_read,
    recruit_sms_scheduled,
    res_company,
    res_config_settings,
    res_users,
    sms_sms,
    sms_tracker,
)
