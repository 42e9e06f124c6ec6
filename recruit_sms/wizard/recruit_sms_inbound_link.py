from odoo import fields, models


class RecruitSmsInboundLink(models.TransientModel):
    _name = "recruit.sms.inbound.link"
    _description = "Link unmatched text messages to an applicant"

    inbound_ids = fields.Many2many("recruit.sms.inbound", string="Messages", required=True)
    applicant_id = fields.Many2one("hr.applicant", required=True)

    def action_link(self):
        self.ensure_one()
        self.inbound_ids._recruit_sms_link_applicant(self.applicant_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.applicant",
            "res_id": self.applicant_id.id,
            "views": [(False, "form")],
        }
