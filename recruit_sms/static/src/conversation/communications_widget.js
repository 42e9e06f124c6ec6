import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { PasteNumbers } from "../paste/paste_numbers";
import { Conversation } from "./conversation";

/** The applicant's Communications tab: the conversation, and phone numbers from pasted text. */
export class CommunicationsWidget extends Component {
    static template = "recruit_sms.CommunicationsWidget";
    static components = { Conversation, PasteNumbers };
    static props = { ...standardWidgetProps };

    setup() {
        this.action = useService("action");
        this.state = useState({ pasting: false, canCreate: false });
        onWillStart(async () => {
            this.state.canCreate = await user.hasGroup("hr_recruitment.group_hr_recruitment_user");
        });
    }

    /** Another applicant found in the pasted text: open their form (their own tab). */
    openApplicant(row) {
        if (row.id === this.props.record.resId) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "hr.applicant",
            res_id: row.id,
            views: [[false, "form"]],
        });
    }
}

registry.category("view_widgets").add("recruit_sms_communications", { component: CommunicationsWidget });
