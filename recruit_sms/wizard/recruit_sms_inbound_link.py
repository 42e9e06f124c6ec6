from odoo import api, fields, models


class RecruitSmsInboundLink(models.TransientModel):
    _name = "recruit.sms.inbound.link"
    _description = "Link unmatched text messages to an applicant"

    inbound_ids = fields.Many2many("recruit.sms.inbound", string="Messages", required=True)
    applicant_id = fields.Many2one("hr.applicant", required=True)

    # only what the caller may see: the wizard would show it otherwise (checked as the
    # caller; constraints run as superuser)
    @api.model_create_multi
    def create(self, vals_list):
        links = super().create(vals_list)
        links._check_readable()
        return links

    def write(self, vals):
        result = super().write(vals)
        self._check_readable()
        return result

    def _check_readable(self):
        self.applicant_id.check_access("read")
        self.inbound_ids.check_access("read")

    def action_link(self):
        self.ensure_one()
        self.inbound_ids._recruit_sms_link_applicant(self.applicant_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.applicant",
            "res_id": self.applicant_id.id,
            "views": [(False, "form")],
        }
