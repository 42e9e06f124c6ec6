import { registry } from "@web/core/registry";

/** Send the campaign open in the form, confirm, and see it sending. */
export function sendCampaignSteps() {
    return [
        {
            content: "Send",
            trigger: "button[name=action_send]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The campaign is sending",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains(Sending)",
        },
    ];
}

registry.category("web_tour.tours").add("recruit_sms_bulk_text_tour", {
    steps: () => [
        {
            content: "Switch the applications to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Select the first applicant",
            trigger: ".o_data_row:contains(Bulk Alice) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Select the second applicant",
            trigger: ".o_data_row:contains(Bulk Bob) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the actions",
            trigger: ".o_cp_action_menus button:contains(Actions)",
            run: "click",
        },
        {
            content: "Bulk Text",
            trigger: ".o-dropdown-item:contains(Bulk Text)",
            run: "click",
        },
        {
            content: "Write the message, with a merge field",
            trigger: ".o_field_widget[name=body] textarea",
            run: "edit Hello {{ object.partner_name }}, can you work Saturday?",
        },
        {
            content: "Add more recipients: open the Recipients tab",
            trigger: ".o_notebook .nav-link:contains(Recipients)",
            run: "click",
        },
        {
            content: "Pick the recruiter's saved filter",
            trigger: ".o_field_widget[name=recipient_filter_id] input",
            run: "edit Weekend crew",
        },
        {
            content: "Choose it",
            trigger: ".o-autocomplete--dropdown-item .dropdown-item:contains(Weekend crew)",
            run: "click",
        },
        {
            content: "Add the applicants it matches",
            trigger: "button[name=action_add_recipients]",
            run: "click",
        },
        {
            content: "Carol joined Alice and Bob",
            trigger: ".o_field_widget[name=recipient_ids] .o_data_row:contains(Bulk Carol)",
        },
        {
            content: "Review",
            trigger: ".o_notebook .nav-link:contains(Review)",
            run: "click",
        },
        {
            content: "All three can receive it",
            trigger: ".o_field_widget[name=review_eligible]:contains(3)",
        },
        ...sendCampaignSteps(),
    ],
});

registry.category("web_tour.tours").add("recruit_sms_campaign_done_tour", {
    steps: () => [
        {
            content: "The campaign is done",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains(Done)",
        },
        {
            content: "Its progress is full",
            trigger: ".o_recruit_sms_campaign_progress:contains(100)",
        },
        {
            content: "Three sent",
            trigger: ".o_field_widget[name=count_sent]:contains(3)",
        },
    ],
});
