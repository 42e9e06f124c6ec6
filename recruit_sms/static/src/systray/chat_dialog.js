import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { Conversation } from "../conversation/conversation";

/**
 * The chat window opened from the systray: the conversation and its composer, the same
 * component as the Communications tab. Not mail's ChatWindow: that one shows a thread
 * record's Thread and Composer, which cannot keep only the emails and SMS nor send by
 * the chosen channel (see Conversation).
 */
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
