from odoo import api, models


class RecruitSmsServerFields(models.AbstractModel):
    """Fields only the addon's server code sets: what happened (when a candidate wrote,
    since when they wait, what was sent and how), never a caller's say, since the gate and
    the inbox rely on them. A model lists them in ``_recruit_sms_server_fields``; a value
    for one of them is dropped from every create and write that does not run as superuser
    (the server's own writes run under sudo). The one declaration of such fields. Two
    stricter rules stay with their models: the kind of an SMS is the sending code's alone,
    even under sudo (``sms.sms``), and models whose state moves through buttons (campaigns,
    scheduled messages) refuse a caller's change rather than drop it."""

    _name = "recruit.sms.server.fields"
    _description = "Fields only the server sets"

    _recruit_sms_server_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._recruit_sms_drop_server_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._recruit_sms_drop_server_fields(vals)
        return super().write(vals)

    def _recruit_sms_drop_server_fields(self, vals):
        if not self.env.su:
            for name in self._recruit_sms_server_fields:
                vals.pop(name, None)
