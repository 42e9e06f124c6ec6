import { EventBus } from "@odoo/owl";
import { registry } from "@web/core/registry";

/**
 * The inbox's live changes (a message came in, a conversation was assigned, read or
 * answered): one subscription to Odoo's bus for the whole web client, as core's services
 * hold theirs, announced on ``bus`` to whoever listens with ``useBus`` (which stops
 * listening when its component goes away).
 */
export const recruitSmsInboxService = {
    dependencies: ["bus_service"],
    start(env, { bus_service }) {
        const bus = new EventBus();
        for (const type of ["recruit_sms/inbox", "recruit_sms/inbound"]) {
            bus_service.subscribe(type, (payload) => bus.trigger("change", payload));
        }
        return { bus };
    },
};

registry.category("services").add("recruit_sms_inbox", recruitSmsInboxService);
