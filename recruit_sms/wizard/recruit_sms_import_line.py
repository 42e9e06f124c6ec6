from odoo import fields, models

RESULTS = [("created", "Created"), ("updated", "Updated"), ("review", "Possible duplicate"), ("skipped", "Skipped")]


class RecruitSmsImportLine(models.TransientModel):
    _name = "recruit.sms.import.line"
    _description = "Import candidates: one row's result"
    _order = "line"

    import_id = fields.Many2one("recruit.sms.import", required=True, ondelete="cascade")
    line = fields.Integer()
    name = fields.Char()
    email = fields.Char()
    number = fields.Char("Phone")
    result = fields.Selection(RESULTS, required=True)
    reason = fields.Char()
    applicant_id = fields.Many2one("hr.applicant")
