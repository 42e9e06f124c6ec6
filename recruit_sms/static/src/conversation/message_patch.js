import { Message } from "@mail/core/common/message";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { patch } from "@web/core/utils/patch";

const { DateTime } = luxon;

const STATE_LABELS = {
    queued: _t("Queued"),
    sending: _t("Sending"),
    sent: _t("Sent"),
    delivered: _t("Delivered"),
    read: _t("Read"),
    failed: _t("Failed"),
    cancelled: _t("Cancelled"),
};

/**
 * Mail's Message, patched in place as core's modules do: given a bubble of the
 * Communications tab (``recruitSmsBubble``), it also shows what mail's message data does
 * not hold and the conversation's payload does: the SMS state in words, the provider's
 * failure reason (mail's notification only knows a failure type) with Resend (mail offers
 * no resend for an SMS), the quiet-hours hold of a queued SMS, and the campaign a reply
 * answers. Without a bubble (the chatter, Discuss) nothing changes.
 */
Message.props.push("recruitSmsBubble?", "recruitSmsOnResend?", "recruitSmsBusy?");

patch(Message.prototype, {
    get recruitSmsNotification() {
        return this.message.notification_ids.find((notification) => notification.notification_type === "sms");
    },

    get recruitSmsStateLabel() {
        return STATE_LABELS[this.props.recruitSmsBubble.state] || "";
    },

    get recruitSmsStateIcon() {
        // the icon mail's delivery popover shows for the same status
        return this.recruitSmsNotification?.statusIcon || "fa fa-mobile";
    },

    get recruitSmsStateClass() {
        const state = this.props.recruitSmsBubble.state;
        const tone = state === "failed" ? "text-danger" : ["delivered", "read"].includes(state) ? "text-success" : "text-muted";
        return `o_recruit_sms_state o_recruit_sms_state_${state} ${tone}`;
    },

    get recruitSmsHeldUntil() {
        const held = this.props.recruitSmsBubble.held_until;
        return held ? deserializeDateTime(held).toLocaleString(DateTime.DATETIME_MED) : "";
    },
});
