import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { useDropdownState } from "@web/core/dropdown/dropdown_hooks";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useDebounced } from "@web/core/utils/timing";
import { useBus, useService } from "@web/core/utils/hooks";
import { PasteNumbers } from "../paste/paste_numbers";
import { ChatDialog } from "./chat_dialog";

const COLOUR_LABELS = {
    green: _t("Waiting less than 12 hours"),
    orange: _t("Waiting 12 to 24 hours"),
    red: _t("Waiting more than 24 hours"),
    blue: _t("Responded"),
};

/**
 * The chat icon of the systray: how many conversations wait for me, live, and the
 * panel of missed messages ("For you", "For the team") with a "Start chat" search.
 */
export class RecruitSmsSystray extends Component {
    static template = "recruit_sms.Systray";
    static components = { Dropdown, PasteNumbers };
    static props = [];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.dialog = useService("dialog");
        this.dropdown = useDropdownState();
        this.state = useState({
            visible: false, count: 0, groups: [], query: "", results: [], loaded: false,
            pasting: false, canCreate: false,
        });
        this.search = useDebounced(() => this.runSearch(), 200);
        // the inbox's live changes, through the service that holds the bus subscription
        useBus(useService("recruit_sms_inbox").bus, "change", () => this.refresh());
        onWillStart(async () => {
            // only for the people who recruit (interviewers included)
            this.state.visible = await user.hasGroup("hr_recruitment.group_hr_recruitment_interviewer");
            this.state.canCreate = await user.hasGroup("hr_recruitment.group_hr_recruitment_user");
            if (this.state.visible) {
                await this.refreshCount();
            }
        });
    }

    async refreshCount() {
        this.state.count = await this.orm.call("hr.applicant", "recruit_sms_inbox_count", []);
    }

    async refresh() {
        if (!this.state.visible) {
            return;
        }
        if (this.dropdown.isOpen) {
            await this.loadPanel();
        } else {
            await this.refreshCount();
        }
    }

    async loadPanel() {
        const data = await this.orm.call("hr.applicant", "recruit_sms_inbox_data", []);
        for (const group of data.groups) {
            for (const row of group.conversations) {
                row.colourLabel = COLOUR_LABELS[row.colour];
                row.since = row.waiting_since ? deserializeDateTime(row.waiting_since).toRelative() : "";
            }
        }
        this.state.count = data.count;
        this.state.groups = data.groups;
        this.state.loaded = true;
    }

    onQueryInput(ev) {
        this.state.query = ev.target.value;
        this.search();
    }

    async runSearch() {
        this.state.results = this.state.query.trim().length >= 2
            ? await this.orm.call("hr.applicant", "recruit_sms_search_chat", [this.state.query])
            : [];
    }

    togglePaste() {
        this.state.pasting = !this.state.pasting;
    }

    openChat(row) {
        this.dropdown.close();
        this.dialog.add(ChatDialog, {
            applicantId: row.id,
            title: row.job ? `${row.name} · ${row.job}` : row.name,
            onChange: () => this.refresh(),
            openRecord: () => this.action.doAction({
                type: "ir.actions.act_window",
                res_model: "hr.applicant",
                res_id: row.id,
                views: [[false, "form"]],
            }),
        }, { onClose: () => this.refreshCount() });
    }

    openDashboard() {
        this.dropdown.close();
        this.action.doAction("recruit_sms.recruit_sms_conversation_action");
    }
}

registry.category("systray").add("recruit_sms.Systray", { Component: RecruitSmsSystray }, { sequence: 26 });
