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
