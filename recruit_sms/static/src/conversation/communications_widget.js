import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { Conversation } from "./conversation";

/** The applicant's Communications tab. */
export class CommunicationsWidget extends Component {
    static template = "recruit_sms.CommunicationsWidget";
    static components = { Conversation };
    static props = { ...standardWidgetProps };
}

registry.category("view_widgets").add("recruit_sms_communications", { component: CommunicationsWidget });
