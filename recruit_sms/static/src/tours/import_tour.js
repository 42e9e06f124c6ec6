import { registry } from "@web/core/registry";
import { sendCampaignSteps } from "./campaign_tour";

const CSV = "First name,Last name,Mobile,Consent\nTia,Tour,+1 628 555 0191,yes\nUma,Tour,+1 628 555 0192,yes\nVic,Tour,555-01,yes\n";

registry.category("web_tour.tours").add("recruit_sms_import_tour", {
    steps: () => [
        {
            content: "Choose the file",
            trigger: ".modal .o_field_widget[name=data_file]",
            run() {
                const input = this.anchor.querySelector("input[type=file]");
                const files = new DataTransfer();
                files.items.add(new File([CSV], "tour-fair.csv", { type: "text/csv" }));
                input.files = files.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is taken",
            trigger: ".modal .o_field_widget[name=data_file] .o_clear_file_button",
        },
        {
            content: "Say how they agreed to texts",
            trigger: ".modal .o_field_widget[name=consent_evidence] input",
            run: "edit Tour sign-up sheet",
        },
        {
            content: "Import",
            trigger: ".modal button[name=action_import]",
            run: "click",
        },
        {
            content: "The report: two created",
            trigger: ".modal .o_recruit_sms_import_counts:contains(2 created)",
        },
        {
            content: "and the invalid number skipped, with the reason",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains(Vic Tour):contains(Invalid phone number)",
        },
        {
            content: "Go to the applications",
            trigger: ".modal",
            run: "goToUrl /odoo/action-hr_recruitment.crm_case_categ0_act_job?view_type=list",
            expectUnloadPage: true,
        },
        {
            content: "Select Tia",
            trigger: ".o_data_row:contains(Tia Tour) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "and Uma",
            trigger: ".o_data_row:contains(Uma Tour) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the actions",
            trigger: ".o_cp_action_menus button:contains(Actions)",
            run: "click",
        },
        {
            content: "Make a text list",
            trigger: ".o-dropdown-item:contains(Make a text list)",
            run: "click",
        },
        {
            content: "The list can text both",
            trigger: ".o_field_widget[name=textable_count]:contains(2)",
        },
        {
            content: "New campaign to this list",
            trigger: "button[name=action_new_campaign]",
            run: "click",
        },
        {
            content: "Write the text",
            trigger: ".o_field_widget[name=body] textarea",
            run: "edit Hi {{ object.partner_name }}, thanks for signing up!",
        },
        ...sendCampaignSteps(),
    ],
});
