from . import recruit_sms_composer, recruit_sms_inbound_link
