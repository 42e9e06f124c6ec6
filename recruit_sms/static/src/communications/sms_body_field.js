import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useDebounced } from "@web/core/utils/timing";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { TextField, textField } from "@web/views/fields/text/text_field";

/**
 * The composer's body: a text field with a live length and segment counter when the
 * message goes by SMS. The count comes from the server's own rule (tools/segments.py),
 * so what the user sees is what will be billed.
 */
export class SmsBodyField extends Component {
    static template = "recruit_sms.SmsBodyField";
    static components = { TextField };
    static props = {
        ...standardFieldProps,
        placeholder: { type: String, optional: true },
        channelField: { type: String, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ label: "" });
        this.recount = useDebounced((text) => this.count(text), 150);
        onWillStart(() => this.count(this.props.record.data[this.props.name] || ""));
    }

    get textProps() {
        return {
            name: this.props.name,
            record: this.props.record,
            readonly: this.props.readonly,
            id: this.props.id,
            placeholder: this.props.placeholder,
        };
    }

    get showCounter() {
        const channelField = this.props.channelField;
        return !channelField || this.props.record.data[channelField] === "sms";
    }

    async count(text) {
        const result = await this.orm.call("recruit.sms.composer", "recruit_sms_count", [text]);
        this.state.label = result.label;
    }

    onInput(ev) {
        if (ev.target.tagName === "TEXTAREA") {
            this.recount(ev.target.value);
        }
    }
}

export const smsBodyField = {
    component: SmsBodyField,
    supportedTypes: ["text"],
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...textField.extractProps(fieldInfo, dynamicInfo),
        channelField: fieldInfo.options?.channel_field,
    }),
};

registry.category("fields").add("recruit_sms_body", smsBodyField);
