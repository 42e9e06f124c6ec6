from . import (
    hr_applicant,
    phone_blacklist,
    recruit_sms_inbound,
    res_company,
    res_config_settings,
    res_users,
    sms_sms,
    sms_tracker,
)
