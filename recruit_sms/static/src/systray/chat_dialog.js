import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { Conversation } from "../conversation/conversation";

/** The chat window opened from the systray: the conversation and its composer. */
export class ChatDialog extends Component {
    static template = "recruit_sms.ChatDialog";
    static components = { Dialog, Conversation };
    static props = {
        applicantId: Number,
        title: String,
        onChange: { type: Function, optional: true },
        openRecord: Function,
        close: Function,
    };
}
