from . import (
    recruit_sms_composer,
    recruit_sms_figures,
    recruit_sms_import,
    recruit_sms_import_line,
    recruit_sms_inbound_link,
    sms_composer,
)
