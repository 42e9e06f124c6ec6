import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("recruit_sms_paste_tour", {
    steps: () => [
        {
            content: "Open the panel",
            trigger: ".o_recruit_sms_systray",
            run: "click",
        },
        {
            content: "Paste text instead of searching",
            trigger: ".o_recruit_sms_paste_toggle",
            run: "click",
        },
        {
            content: "Paste a signature",
            trigger: ".o_recruit_sms_paste_input",
            run: "edit Ann Applicant, Warehouse lead. Mobile: (415) 555-0142, home +1 628 555 0199, since 2026-11-23",
        },
        {
            content: "Ann's number shows her conversation",
            trigger: ".o_recruit_sms_found_number:contains(+14155550142) .o_recruit_sms_found_applicant:contains(Ann Applicant)",
        },
        {
            content: "The other number belongs to nobody: create an applicant with it",
            trigger: ".o_recruit_sms_found_number:contains(+16285550199) .o_recruit_sms_found_create",
            run: "click",
        },
        {
            content: "A chat opens with the new applicant",
            trigger: ".o_recruit_sms_chat_dialog:contains(+16285550199)",
        },
    ],
});

registry.category("web_tour.tours").add("recruit_sms_paste_form_tour", {
    steps: () => [
        {
            content: "Open the Communications tab",
            trigger: ".o_notebook .nav-link:contains(Communications)",
            run: "click",
        },
        {
            content: "Find phone numbers in pasted text",
            trigger: ".o_recruit_sms_communications .o_recruit_sms_paste_toggle",
            run: "click",
        },
        {
            content: "Paste a referral's signature",
            trigger: ".o_recruit_sms_communications .o_recruit_sms_paste_input",
            run: "edit My friend Zed is looking too: +1 628 555 0198",
        },
        {
            content: "Nobody has the number: create an applicant with it",
            trigger: ".o_recruit_sms_found_number:contains(+16285550198) .o_recruit_sms_found_create",
            run: "click",
        },
        {
            content: "The new applicant's form opens",
            trigger: ".o_form_view .o_field_widget[name=partner_name]:contains(+16285550198), .o_form_view .o_field_widget[name=partner_name] input",
        },
    ],
});
