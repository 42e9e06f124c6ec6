import { Component, markup, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { useDebounced } from "@web/core/utils/timing";
import { useService } from "@web/core/utils/hooks";

const STATE_LABELS = {
    queued: _t("Queued"),
    sending: _t("Sending"),
    sent: _t("Sent"),
    delivered: _t("Delivered"),
    failed: _t("Failed"),
    cancelled: _t("Cancelled"),
};

/**
 * A conversation with an applicant: every email and SMS as bubbles, and a composer
 * (Email/SMS, subject, body) to continue it. Used by the Communications tab and by
 * the chat window of the systray; both send through hr.applicant.recruit_sms_compose,
 * which also runs the chat commands (^claim, ^at ...).
 */
export class Conversation extends Component {
    static template = "recruit_sms.Conversation";
    static props = {
        applicantId: { type: [Number, { value: false }] },
        markRead: { type: Boolean, optional: true },
        onChange: { type: Function, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({
            conversation: null,
            busy: false,
            channel: "email",
            subject: "",
            body: "",
            counter: "",
            simulating: false,
            reply: "",
        });
        this.recount = useDebounced(() => this.count(), 150);
        onWillStart(() => this.load(this.props.applicantId, true));
        onWillUpdateProps((next) => {
            if (next.applicantId !== this.props.applicantId) {
                return this.load(next.applicantId, true);
            }
        });
    }

    async load(applicantId = this.props.applicantId, first = false) {
        if (!applicantId) {
            this.state.conversation = null;
            return;
        }
        const conversation = await this.orm.call("hr.applicant", "recruit_sms_get_conversation", [[applicantId]]);
        for (const message of conversation.messages) {
            message.html = message.channel === "email" ? markup(message.body) : false;
            message.when = formatDateTime(deserializeDateTime(message.date));
            message.stateLabel = STATE_LABELS[message.state] || "";
        }
        this.state.conversation = conversation;
        if (first) {
            this.state.channel = conversation.applicant.can_text ? "sms" : "email";
            if (this.props.markRead) {
                await this.orm.call("hr.applicant", "recruit_sms_mark_read", [[applicantId]]);
            }
        }
    }

    get isCommand() {
        return this.state.body.trimStart().startsWith("^");
    }

    setChannel(channel) {
        if (channel === "sms" && !this.state.conversation.applicant.can_text) {
            return;
        }
        this.state.channel = channel;
        this.recount();
    }

    onBodyInput(ev) {
        this.state.body = ev.target.value;
        this.recount();
    }

    async count() {
        if (this.state.channel !== "sms" || this.isCommand) {
            this.state.counter = "";
            return;
        }
        const result = await this.orm.call("recruit.sms.composer", "recruit_sms_count", [
            this.state.body,
            this.props.applicantId,
        ]);
        this.state.counter = result.label;
    }

    async send() {
        this.state.busy = true;
        try {
            // errors (missing subject, refused SMS, bad command) come back as a dialog;
            // the draft stays as typed
            const result = await this.orm.call("hr.applicant", "recruit_sms_compose", [
                [this.props.applicantId],
                this.state.channel,
                this.state.subject,
                this.state.body,
            ]);
            if (result.feedback) {
                this.notification.add(result.feedback, { type: "info" });
            }
            this.state.body = "";
            this.state.counter = "";
            if (!result.feedback) {
                this.state.subject = "";
            }
        } finally {
            this.state.busy = false;
        }
        await this.load();
        this.props.onChange?.();
    }

    async simulateReply() {
        if (!this.state.reply.trim()) {
            return;
        }
        this.state.busy = true;
        try {
            await this.orm.call("hr.applicant", "recruit_sms_simulate_reply", [[this.props.applicantId], this.state.reply]);
            this.state.reply = "";
            this.state.simulating = false;
        } finally {
            this.state.busy = false;
        }
        await this.load();
        this.props.onChange?.();
    }

    async resend(message) {
        this.state.busy = true;
        try {
            await this.orm.call("hr.applicant", "recruit_sms_resend", [[this.props.applicantId], message.id]);
            this.notification.add(_t("The message was sent again."), { type: "success" });
        } finally {
            this.state.busy = false;
        }
        await this.load();
    }
}
