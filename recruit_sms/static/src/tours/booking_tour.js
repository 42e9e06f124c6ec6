import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("recruit_sms_booking_tour", {
    steps: () => [
        {
            content: "The page fits the phone: no horizontal scroll",
            trigger: ".o_recruit_sms_booking",
            run() {
                if (document.documentElement.scrollWidth > window.innerWidth) {
                    throw new Error(`the page is ${document.documentElement.scrollWidth}px wide on a ${window.innerWidth}px screen`);
                }
            },
        },
        {
            content: "The candidate sees the times in their zone",
            trigger: ".o_recruit_sms_booking_form:contains(Times are Los Angeles time)",
        },
        {
            content: "and taps the first free time",
            trigger: ".o_recruit_sms_booking_slot:first",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The time is shown back, in words, to confirm",
            trigger: ".o_recruit_sms_booking_confirm:contains(Book your interview on):contains(Los Angeles time)",
        },
        {
            content: "and confirmed",
            trigger: ".o_recruit_sms_booking_yes",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The interview is booked",
            trigger: ".o_recruit_sms_booking_done:contains(Your interview is booked for)",
        },
        {
            content: "and no time is offered any more",
            trigger: ".o_recruit_sms_booking:not(:has(.o_recruit_sms_booking_slot))",
        },
    ],
});
