import { Message } from "@mail/core/common/message";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime } from "@web/core/l10n/dates";

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
 * One email or SMS of the conversation, drawn by mail's own Message component (avatar,
 * author, date, channel icon and its delivery popover, email bodies, media links, which
 * the received SMS carries in its body), plus what mail's message data does not hold and
 * the conversation's payload does: the SMS state in words, the provider's failure reason
 * (mail's notification only knows a failure type) with Resend (mail offers no resend for
 * an SMS), the quiet-hours hold of a queued SMS, and the campaign a reply answers.
 *
 * Message actions (reactions, edit, delete, star) are off: they act on the chatter record,
 * never on what the candidate received or sent.
 */
export class ConversationMessage extends Message {
    static template = "recruit_sms.ConversationMessage";
    static props = [...Message.props, "bubble", "onResend?", "busy?"];

    get smsNotification() {
        return this.message.notification_ids.find((notification) => notification.notification_type === "sms");
    }

    get stateLabel() {
        return STATE_LABELS[this.props.bubble.state] || "";
    }

    get stateIcon() {
        // the icon mail's delivery popover shows for the same status
        return this.smsNotification?.statusIcon || "fa fa-mobile";
    }

    get stateClass() {
        const state = this.props.bubble.state;
        const tone = state === "failed" ? "text-danger" : ["delivered", "read"].includes(state) ? "text-success" : "text-muted";
        return `o_recruit_sms_state o_recruit_sms_state_${state} ${tone}`;
    }

    get heldUntil() {
        const held = this.props.bubble.held_until;
        return held ? deserializeDateTime(held).toLocaleString(DateTime.DATETIME_MED) : "";
    }
}
