import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("recruit_sms_whatsapp_tour", {
    steps: () => [
        {
            content: "Open the Communications tab",
            trigger: ".o_notebook .nav-link:contains(Communications)",
            run: "click",
        },
        {
            content: "Choose WhatsApp",
            trigger: ".o_recruit_sms_composer .o_recruit_sms_channel_whatsapp",
            run: "click",
        },
        {
            content: "The candidate never wrote there: only a template can go",
            trigger: ".o_recruit_sms_whatsapp_window.text-warning:contains(only an approved template)",
        },
        {
            content: "so free text cannot be typed",
            trigger: ".o_recruit_sms_body_input:disabled",
        },
        {
            content: "Write the subject",
            trigger: ".o_recruit_sms_subject_input",
            run: "edit Follow-up",
        },
        {
            content: "Choose the approved template",
            trigger: ".o_recruit_sms_template_select",
            run: "selectByLabel Tour follow-up",
        },
        {
            content: "It shows as the candidate will read it",
            trigger: ".o_recruit_sms_template_preview:contains(Hi Ann, about the Forklift driver role)",
        },
        {
            content: "Send",
            trigger: ".o_recruit_sms_send",
            run: "click",
        },
        {
            content: "The template is in the conversation, on WhatsApp, delivered by the sandbox",
            trigger: ".o_recruit_sms_bubble.o_recruit_sms_out.o_recruit_sms_channel_whatsapp:contains(Hi Ann, about the Forklift driver role) .o_recruit_sms_state_delivered",
        },
        {
            content: "drawn as a WhatsApp message, not an SMS",
            trigger: ".o_recruit_sms_bubble.o_recruit_sms_out .o-mail-Message-notification:contains(WhatsApp) .fa-whatsapp",
        },
        {
            content: "The sandbox simulates the candidate answering on WhatsApp",
            trigger: ".o_recruit_sms_simulate",
            run: "click",
        },
        {
            content: "on WhatsApp",
            trigger: ".o_recruit_sms_simulate_channel",
            run: "select whatsapp",
        },
        {
            content: "Type the reply",
            trigger: ".o_recruit_sms_simulate_input",
            run: "edit Yes, happy to talk",
        },
        {
            content: "Receive it",
            trigger: ".o_recruit_sms_simulate_send",
            run: "click",
        },
        {
            content: "The reply lands in the same conversation, on WhatsApp",
            trigger: ".o_recruit_sms_bubble.o_recruit_sms_in.o_recruit_sms_channel_whatsapp:contains(Yes, happy to talk) .o_recruit_sms_whatsapp_badge",
        },
        {
            content: "and the window is open: free text may go",
            trigger: ".o_recruit_sms_whatsapp_window.text-success:contains(free text for)",
        },
        {
            content: "Write the reply's subject",
            trigger: ".o_recruit_sms_subject_input",
            run: "edit Monday",
        },
        {
            content: "Write a free reply",
            trigger: ".o_recruit_sms_body_input:enabled",
            run: "edit Great, does Monday 10:00 suit you?",
        },
        {
            content: "Send it",
            trigger: ".o_recruit_sms_send",
            run: "click",
        },
        {
            content: "It goes on WhatsApp too",
            trigger: ".o_recruit_sms_bubble.o_recruit_sms_out.o_recruit_sms_channel_whatsapp:contains(does Monday 10:00 suit you) .o_recruit_sms_state_delivered",
        },
    ],
});
