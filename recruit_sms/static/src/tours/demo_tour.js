import { registry } from "@web/core/registry";

// the badge before the answer, to check that it drops by one (module state: read before
// the tour leaves the page)
let waiting = 0;

function badgeCount() {
    const counter = document.querySelector(".o_recruit_sms_systray .o_recruit_sms_systray_counter");
    return counter ? parseInt(counter.textContent, 10) : 0;
}

registry.category("web_tour.tours").add("recruit_sms_demo_tour", {
    steps: () => [
        {
            content: "Right after install, the badge shows the conversations waiting for me and my team",
            trigger: ".o_recruit_sms_systray .o_recruit_sms_systray_counter",
            run() {
                waiting = badgeCount();
                if (!(waiting > 0)) {
                    throw new Error(`the demo badge should be lit, it shows ${waiting}`);
                }
            },
        },
        {
            content: "Open the panel",
            trigger: ".o_recruit_sms_systray",
            run: "click",
        },
        {
            content: "Open a conversation waiting for over a day (red)",
            trigger: ".o_recruit_sms_group_mine .o_recruit_sms_row:has(.o_recruit_sms_dot_red)",
            run: "click",
        },
        {
            content: "The chat shows the candidate's text",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_bubble.o_recruit_sms_in",
        },
        {
            content: "Answer",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_body_input",
            run: "edit Sorry for the wait! Can we call you tomorrow at 10?",
        },
        {
            content: "Send",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_send",
            run: "click",
        },
        {
            content: "The answer is in the chat",
            trigger: ".o_recruit_sms_chat_dialog .o_recruit_sms_bubble.o_recruit_sms_out:contains(Can we call you tomorrow at 10?)",
        },
        {
            content: "Close the chat",
            trigger: ".modal .btn-close",
            run: "click",
        },
        {
            content: "The badge drops by one",
            trigger: ".o_recruit_sms_systray:not(:has(.o-dropdown--menu))",
            async run() {
                for (let tries = 0; tries < 50 && badgeCount() !== waiting - 1; tries++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                if (badgeCount() !== waiting - 1) {
                    throw new Error(`the badge shows ${badgeCount()}, expected ${waiting - 1}`);
                }
            },
        },
        {
            content: "Open the text campaigns",
            trigger: "body",
            run: "goToUrl /odoo/action-recruit_sms.recruit_sms_campaign_action",
            expectUnloadPage: true,
        },
        {
            content: "Open the finished campaign",
            trigger: ".o_list_view .o_data_row:contains(Weekend shifts) .o_data_cell",
            run: "click",
        },
        {
            content: "Its results: delivered, failed, replied (a STOP is no reply), opted out",
            trigger: ".o_form_view .oe_stat_button:contains(Replied):contains(2)",
        },
        {
            content: "with the failures' reasons",
            trigger: ".o_form_view .oe_stat_button:contains(Failed):contains(2)",
        },
        {
            content: "Open the settings",
            trigger: "body",
            run: "goToUrl /odoo/action-base_setup.action_general_configuration",
            expectUnloadPage: true,
        },
        {
            content: "The webhook URL to paste into Twilio is shown",
            trigger: ".o_recruit_sms_webhooks:contains(/recruit_sms/twilio/inbound)",
        },
    ],
});
