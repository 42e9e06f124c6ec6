import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("recruit_sms_systray_tour", {
    steps: () => [
        {
            content: "The badge counts the conversation waiting for me",
            trigger: ".o_recruit_sms_systray .o_recruit_sms_systray_counter:contains(1)",
        },
        {
            content: "Open the panel",
            trigger: ".o_recruit_sms_systray",
            run: "click",
        },
        {
            content: "It is in 'For you', green (just arrived)",
            trigger: ".o_recruit_sms_group_mine .o_recruit_sms_row:contains(Ann Applicant):contains(Are you still hiring?) .o_recruit_sms_dot_green",
        },
        {
            content: "and the team has nothing waiting",
            trigger: ".o_recruit_sms_group_team:contains(Nothing waiting)",
        },
        {
            content: "Open the conversation",
            trigger: ".o_recruit_sms_group_mine .o_recruit_sms_row:contains(Ann Applicant)",
            run: "click",
        },
        {
            content: "The chat shows the candidate's message",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_bubble.o_recruit_sms_in:contains(Are you still hiring?)",
        },
        {
            content: "No subject to write in the chat window",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_composer_box:not(:has(.o_recruit_sms_subject_input))",
        },
        {
            content: "Send with nothing written",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_send",
            run: "click",
        },
        {
            content: "The refusal is beside the composer, not a dialog",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_error:contains(Body is required)",
        },
        {
            content: "Reply in one field",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_body_input",
            run: "edit Yes we are, can you come Monday?",
        },
        {
            content: "Enter sends",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_body_input",
            run: "press Enter",
        },
        {
            content: "The reply is in the chat",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_bubble.o_recruit_sms_out:contains(Yes we are, can you come Monday?)",
        },
        {
            content: "The badge drops to zero",
            trigger: ".o_recruit_sms_systray:not(:has(.o_recruit_sms_systray_counter))",
        },
    ],
});
