import { Notification } from "@mail/core/common/notification_model";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

/** A text sent on WhatsApp is an SMS notification to mail (same queue, same tracking):
 * draw it as WhatsApp, in the chatter as in the conversation. */
patch(Notification.prototype, {
    get icon() {
        if (this.notification_type === "sms" && this.recruit_sms_whatsapp) {
            return "fa fa-whatsapp";
        }
        return super.icon;
    },
    get label() {
        if (this.notification_type === "sms" && this.recruit_sms_whatsapp) {
            return _t("WhatsApp");
        }
        return super.label;
    },
});
