import { Component, useState } from "@odoo/owl";
import { useDebounced } from "@web/core/utils/timing";
import { useService } from "@web/core/utils/hooks";

/**
 * Paste any text (an email signature, a job-board page, a CV): the phone numbers in it,
 * each normalized with the applicants who hold it; one click opens a conversation, or
 * creates an applicant for a number nobody holds. Used by the inbox panel and by the
 * applicant's Communications tab.
 */
export class PasteNumbers extends Component {
    static template = "recruit_sms.PasteNumbers";
    static props = {
        onOpen: Function,
        canCreate: { type: Boolean, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ pasted: "", found: null });
        this.scan = useDebounced(() => this.runScan(), 300);
    }

    onInput(ev) {
        this.state.pasted = ev.target.value;
        this.scan();
    }

    async runScan() {
        this.state.found = this.state.pasted.trim()
            ? await this.orm.call("hr.applicant", "recruit_sms_scan_text", [this.state.pasted])
            : null;
    }

    async create(number) {
        const row = await this.orm.call("hr.applicant", "recruit_sms_create_from_number", [number]);
        this.props.onOpen(row);
    }
}
