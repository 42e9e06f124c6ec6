import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("recruit_sms_inbox_tour", {
    steps: () => [
        {
            content: "The team's conversations are a group named 'Team'",
            trigger: ".o_list_renderer .o_group_name:contains(Team)",
        },
        {
            content: "and it is open: the waiting candidate is in sight without a click",
            trigger: ".o_list_renderer .o_data_row:contains(Ann Applicant)",
        },
        {
            content: "No group is named 'None'",
            trigger: ".o_list_renderer:not(:has(.o_group_name:contains(None)))",
        },
    ],
});
