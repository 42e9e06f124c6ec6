import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("recruit_sms_communications_tour", {
    steps: () => [
        {
            content: "Open the Communications tab",
            trigger: ".o_notebook .nav-link:contains(Communications)",
            run: "click",
        },
        {
            content: "The conversation is empty",
            trigger: ".o_recruit_sms_empty",
        },
        {
            content: "SMS is preselected for a textable applicant",
            trigger: ".o_recruit_sms_composer .o_recruit_sms_channel_sms.btn-primary",
        },
        {
            content: "Write the subject",
            trigger: ".o_recruit_sms_subject_input",
            run: "edit Tour subject",
        },
        {
            content: "Write the body",
            trigger: ".o_recruit_sms_body_input",
            run: "edit Tour body from the Communications tab",
        },
        {
            content: "The live counter shows the length and segments",
            trigger: ".o_recruit_sms_counter:contains(37 characters, 1 SMS)",
        },
        {
            content: "Send",
            trigger: ".o_recruit_sms_send",
            run: "click",
        },
        {
            content: "The bubble appears, delivered by the sandbox",
            trigger: ".o_recruit_sms_bubble.o_recruit_sms_out.o_recruit_sms_channel_sms:contains(Tour body from the Communications tab) .o_recruit_sms_state_delivered",
        },
        {
            content: "with its subject as header",
            trigger: ".o_recruit_sms_bubble .o_recruit_sms_subject:contains(Tour subject)",
        },
        {
            content: "The chatter beside the tab shows the text too, without reloading the page",
            trigger: ".o-mail-Chatter .o-mail-Message-body:contains(Tour body from the Communications tab)",
        },
        {
            content: "The sandbox can simulate the applicant's reply",
            trigger: ".o_recruit_sms_simulate",
            run: "click",
        },
        {
            content: "Type the reply",
            trigger: ".o_recruit_sms_simulate_input",
            run: "edit Sure, see you Monday",
        },
        {
            content: "Receive it",
            trigger: ".o_recruit_sms_simulate_send",
            run: "click",
        },
        {
            content: "The reply shows as an incoming bubble",
            trigger: ".o_recruit_sms_bubble.o_recruit_sms_in.o_recruit_sms_channel_sms:contains(Sure, see you Monday)",
        },
        {
            content: "and the conversation waits for a response",
            trigger: ".o_recruit_sms_waiting",
        },
        {
            content: "The chatter shows the candidate's reply as well",
            trigger: ".o-mail-Chatter .o-mail-Message-body:contains(Sure, see you Monday)",
        },
    ],
});

registry.category("web_tour.tours").add("recruit_sms_conversation_states_tour", {
    steps: () => [
        {
            content: "Open the Communications tab",
            trigger: ".o_notebook .nav-link:contains(Communications)",
            run: "click",
        },
        {
            content: "The candidate's text is drawn as the chatter draws it: author and avatar",
            trigger: ".o_recruit_sms_bubble.o_recruit_sms_in:contains(Here is my licence) .o-mail-Message-author:contains(Ann Applicant)",
        },
        {
            content: "with its media as a link",
            trigger: ".o_recruit_sms_bubble.o_recruit_sms_in:contains(Here is my licence) a[href='https://api.twilio.com/media/ME1']",
        },
        {
            content: "An internal note stays out of the conversation",
            trigger: ".o_recruit_sms_thread:not(:contains(Strong profile, call back))",
        },
        {
            content: "A text outside the candidate's hours says until when it is held",
            trigger: ".o_recruit_sms_bubble:contains(Automated reminder) .o_recruit_sms_held",
        },
        {
            content: "A failed text gives the provider's reason",
            trigger: ".o_recruit_sms_bubble:contains(Your call is at 10:00) .o_recruit_sms_failure:contains(Unreachable destination handset (30003))",
        },
        {
            content: "Resend it",
            trigger: ".o_recruit_sms_bubble:contains(Your call is at 10:00) .o_recruit_sms_resend",
            run: "click",
        },
        {
            content: "It is delivered, and the reason is gone",
            trigger: ".o_recruit_sms_bubble:contains(Your call is at 10:00):not(:has(.o_recruit_sms_failure)) .o_recruit_sms_state_delivered",
        },
    ],
});

registry.category("web_tour.tours").add("recruit_sms_applicant_tables_tour", {
    steps: () => [
        {
            content: "Open the Communications tab",
            trigger: ".o_notebook .nav-link:contains(Communications)",
            run: "click",
        },
        {
            content: "The consent ledger has a title",
            trigger: ".o_horizontal_separator:contains(Consent ledger)",
        },
        {
            content: "and the scheduled messages theirs",
            trigger: ".o_horizontal_separator:contains(Scheduled messages)",
        },
        {
            content: "The scheduled message is listed",
            trigger: ".o_recruit_sms_table .o_data_row:contains(Reminder: interview tomorrow)",
        },
        {
            content: "with no blank rows under a short table",
            trigger: ".o_recruit_sms_table:has(.o_data_row):not(:has(tbody tr:not(.o_data_row):visible))",
        },
    ],
});
