from . import recruit_sms_composer
