import { Component, markup, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { formatDateTime, deserializeDateTime } from "@web/core/l10n/dates";

const STATE_LABELS = {
    queued: _t("Queued"),
    sending: _t("Sending"),
    sent: _t("Sent"),
    delivered: _t("Delivered"),
    failed: _t("Failed"),
    cancelled: _t("Cancelled"),
};

/**
 * The applicant's Communications tab: every email and SMS, both directions, as a
 * conversation the recruiter can continue.
 */
export class Communications extends Component {
    static template = "recruit_sms.Communications";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.state = useState({ conversation: null, busy: false, simulating: false, reply: "" });
        onWillStart(() => this.load(this.props.record.resId));
        onWillUpdateProps((next) => {
            if (next.record.resId !== this.props.record.resId) {
                return this.load(next.record.resId);
            }
        });
    }

    async load(resId = this.props.record.resId) {
        if (!resId) {
            this.state.conversation = null;
            return;
        }
        const conversation = await this.orm.call("hr.applicant", "recruit_sms_get_conversation", [[resId]]);
        for (const message of conversation.messages) {
            message.html = message.channel === "email" ? markup(message.body) : false;
            message.when = formatDateTime(deserializeDateTime(message.date));
            message.stateLabel = STATE_LABELS[message.state] || "";
        }
        this.state.conversation = conversation;
    }

    async openComposer(channel) {
        if (this.props.record.isDirty) {
            await this.props.record.save();
        }
        const context = { default_applicant_id: this.props.record.resId };
        if (channel) {
            context.default_channel = channel;
        }
        await this.action.doAction("recruit_sms.recruit_sms_composer_action", {
            additionalContext: context,
            onClose: () => this.load(),
        });
    }

    async simulateReply() {
        const body = this.state.reply;
        if (!body.trim()) {
            return;
        }
        this.state.busy = true;
        try {
            await this.orm.call("hr.applicant", "recruit_sms_simulate_reply", [[this.props.record.resId], body]);
            this.state.reply = "";
            this.state.simulating = false;
        } finally {
            this.state.busy = false;
            await this.load();
        }
    }

    async resend(message) {
        this.state.busy = true;
        try {
            await this.orm.call("hr.applicant", "recruit_sms_resend", [[this.props.record.resId], message.id]);
            this.notification.add(_t("The message was sent again."), { type: "success" });
        } finally {
            this.state.busy = false;
            await this.load();
        }
    }
}

export const communicationsWidget = {
    component: Communications,
};

registry.category("view_widgets").add("recruit_sms_communications", communicationsWidget);
