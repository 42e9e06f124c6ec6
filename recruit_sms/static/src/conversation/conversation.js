import { Component, onWillStart, onWillUpdateProps, status, useEffect, useRef, useState } from "@odoo/owl";
import { DateSection } from "@mail/core/common/date_section";
import { _t } from "@web/core/l10n/translation";
import { useDebounced } from "@web/core/utils/timing";
import { useService } from "@web/core/utils/hooks";
import { Message } from "@mail/core/common/message";

/**
 * A conversation with an applicant: every email and SMS, oldest first, and a composer
 * (Email/SMS, subject, body) to continue it. Used by the Communications tab and by
 * the chat window of the systray; both send through hr.applicant.recruit_sms_compose,
 * which also runs the chat commands (^claim, ^at ...).
 *
 * Each message is mail's own Message component (patched in message_patch.js). The list
 * around them is not mail's Thread: Thread shows a thread record's whole chatter as
 * /mail/thread/messages pages it (notes, stage changes, tracking), with no way to keep
 * only the emails and SMS with the candidate, and it shares that record (its loaded
 * pages, its scroll position) with the chatter beside this tab on the applicant's form.
 *
 * The composer is not mail's Composer either: that one posts a chatter message or a note
 * through /mail/message/post and keeps its draft on the applicant's thread record (the
 * very draft of the form's chatter); it has no choice of channel, no subject, no SMS
 * counter and no ^commands, and a text must go through recruit_sms_compose, where the
 * compliance gate and the commands are.
 */
export class Conversation extends Component {
    static template = "recruit_sms.Conversation";
    static components = { Message, DateSection };
    static props = {
        applicantId: { type: [Number, { value: false }] },
        markRead: { type: Boolean, optional: true },
        onChange: { type: Function, optional: true },
        // the chat window: no subject field (the conversation's own), Enter sends
        oneField: { type: Boolean, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.store = useService("mail.store");
        this.state = useState({
            conversation: null,
            busy: false,
            channel: "email",
            subject: "",
            body: "",
            counter: "",
            repair: false, // {text, replaced, segments} when repairing the draft saves segments
            simulating: false,
            reply: "",
            replyChannel: "sms",
            templateId: false, // an approved WhatsApp template in place of the body
            error: "", // why the last send was refused, shown beside the composer
        });
        this.resend = this.resend.bind(this);
        this.recount = useDebounced(() => this.count(), 150);
        // A loaded conversation opens on its newest message and stays there while the
        // messages take their height (an email's body is drawn after mounting), unless
        // the user scrolls up.
        this.threadRef = useRef("thread");
        this.feedRef = useRef("feed");
        this.stickToEnd = true;
        useEffect(
            (threadEl, feedEl) => {
                if (!threadEl || !feedEl) {
                    return;
                }
                const toEnd = () => {
                    if (this.stickToEnd) {
                        threadEl.scrollTop = threadEl.scrollHeight;
                    }
                };
                const onScroll = () => {
                    this.stickToEnd = threadEl.scrollHeight - threadEl.scrollTop - threadEl.clientHeight < 16;
                };
                const observer = new ResizeObserver(toEnd);
                observer.observe(feedEl);
                threadEl.addEventListener("scroll", onScroll);
                return () => {
                    observer.disconnect();
                    threadEl.removeEventListener("scroll", onScroll);
                };
            },
            () => [this.threadRef.el, this.feedRef.el]
        );
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
        if (status(this) === "destroyed") {
            // the user left (another record, another view) while it loaded
            return;
        }
        // mail's data of the conversation's messages, for mail's Message component
        this.store.insert(conversation.store_data);
        this.thread = this.store.Thread.insert({ model: "hr.applicant", id: applicantId });
        this.state.conversation = conversation;
        this.stickToEnd = true;
        if (first || !this.state.subject || this.props.oneField) {
            // a reply keeps the conversation's subject unless the recruiter writes another
            this.state.subject = conversation.applicant.subject || "";
        }
        if (first) {
            const applicant = conversation.applicant;
            this.state.channel = !applicant.can_text ? "email" : applicant.whatsapp && applicant.channel === "whatsapp" ? "whatsapp" : "sms";
            this.state.replyChannel = this.state.channel === "whatsapp" ? "whatsapp" : "sms";
            this.state.templateId = false;
            if (this.props.markRead) {
                await this.orm.call("hr.applicant", "recruit_sms_mark_read", [[applicantId]]);
            }
        }
    }

    /** The conversation's messages, each with mail's record of it, oldest first. */
    get feed() {
        const feed = [];
        for (const bubble of this.state.conversation.messages) {
            const message = this.store["mail.message"].get(bubble.id);
            if (message) {
                feed.push({ bubble, message });
            }
        }
        return feed;
    }

    bubbleClass(bubble) {
        return `o_recruit_sms_bubble o_recruit_sms_${bubble.direction} o_recruit_sms_channel_${bubble.channel}`;
    }

    get isCommand() {
        return this.state.body.trimStart().startsWith("^");
    }

    setChannel(channel) {
        if (channel !== "email" && !this.state.conversation.applicant.can_text) {
            return;
        }
        this.state.channel = channel;
        this.state.templateId = false;
        this.recount();
    }

    /** WhatsApp outside its 24-hour window: only an approved template may go. */
    get needsTemplate() {
        const whatsapp = this.state.conversation.applicant.whatsapp;
        return this.state.channel === "whatsapp" && whatsapp && !whatsapp.window_open;
    }

    get template() {
        const whatsapp = this.state.conversation.applicant.whatsapp;
        return (whatsapp && whatsapp.templates.find((template) => template.id === this.state.templateId)) || false;
    }

    onTemplateChange(ev) {
        this.state.templateId = parseInt(ev.target.value) || false;
    }

    onBodyInput(ev) {
        this.state.body = ev.target.value;
        this.recount();
    }

    async insertBookingLink() {
        // a new link to the recruiter's free slots, at the end of the draft
        this.state.busy = true;
        try {
            const sentence = await this.orm.call("hr.applicant", "recruit_sms_booking_link", [[this.props.applicantId]]);
            const body = this.state.body.trimEnd();
            this.state.body = body ? `${body}\n${sentence}` : sentence;
            this.recount();
        } finally {
            this.state.busy = false;
        }
    }

    async count() {
        if (this.state.channel !== "sms" || this.isCommand) {
            // WhatsApp counts no SMS: a message is one message
            this.state.counter = "";
            this.state.repair = false;
            return;
        }
        const result = await this.orm.call("recruit.sms.composer", "recruit_sms_count", [
            this.state.body,
            this.props.applicantId,
        ]);
        this.state.counter = result.label;
        this.state.repair = result.repair && { ...result.repair, before: result.segments };
    }

    repair() {
        // the draft with its costly look-alikes (curly quotes, dashes...) made plain
        this.state.body = this.state.repair.text;
        this.recount();
    }

    async send() {
        this.state.busy = true;
        this.state.error = "";
        try {
            // a refusal (missing body, refused SMS, bad command) is shown beside the
            // composer, not as a dialog; the draft stays as typed
            const result = await this.orm.call("hr.applicant", "recruit_sms_compose", [
                [this.props.applicantId],
                this.state.channel,
                this.state.subject,
                this.state.body,
                this.state.channel === "whatsapp" ? this.state.templateId : false,
            ]);
            if (result.feedback) {
                this.notification.add(result.feedback, { type: "info" });
            }
            this.state.body = "";
            this.state.templateId = false;
            this.state.counter = "";
            this.state.repair = false;
        } catch (error) {
            if (error.data?.name !== "odoo.exceptions.UserError") {
                throw error;
            }
            this.state.error = error.data.message;
            return;
        } finally {
            this.state.busy = false;
        }
        await this.afterChange();
    }

    /** After a send, a reply or a resend: the conversation, and the chatter beside it (the
     * same mail thread), show it without a reload. */
    async afterChange() {
        await this.load();
        this.thread?.fetchNewMessages();
        this.props.onChange?.();
    }

    async simulateReply() {
        if (!this.state.reply.trim()) {
            return;
        }
        this.state.busy = true;
        try {
            await this.orm.call("hr.applicant", "recruit_sms_simulate_reply", [
                [this.props.applicantId],
                this.state.reply,
                this.state.replyChannel,
            ]);
            this.state.reply = "";
            this.state.simulating = false;
        } finally {
            this.state.busy = false;
        }
        await this.afterChange();
    }

    onBodyKeydown(ev) {
        // as in mail's composer: Ctrl+Enter sends; in the chat window Enter alone does
        // (Shift+Enter starts a new line)
        const sends = ev.ctrlKey || ev.metaKey || (this.props.oneField && !ev.shiftKey);
        if (ev.key === "Enter" && sends && !this.state.busy) {
            ev.preventDefault();
            this.send();
        }
    }

    async resend(bubble) {
        this.state.busy = true;
        try {
            await this.orm.call("hr.applicant", "recruit_sms_resend", [[this.props.applicantId], bubble.id]);
            this.notification.add(_t("The message was sent again."), { type: "success" });
        } finally {
            this.state.busy = false;
        }
        await this.afterChange();
    }
}
