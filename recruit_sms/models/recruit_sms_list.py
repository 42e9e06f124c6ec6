from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class RecruitSmsList(models.Model):
    """A list of applicants to text: chosen one by one (static) or every applicant
    matching conditions when it is used (dynamic). A campaign can go to a list."""

    _name = "recruit.sms.list"
    _description = "Text list"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    kind = fields.Selection([("static", "Chosen applicants"), ("dynamic", "Applicants matching conditions")],
                            required=True, default="static",
                            help="Chosen applicants stay the same; conditions are evaluated each time the list is used.")
    applicant_ids = fields.Many2many("hr.applicant", string="Applicants", check_company=True)
    domain = fields.Char("Conditions", default="[]")
    member_count = fields.Integer("Applicants in the list", compute="_compute_reach")
    textable_count = fields.Integer("Can be texted now", compute="_compute_reach")
    blocked_summary = fields.Text("Cannot be texted", compute="_compute_reach")

    def _recruit_sms_members(self):
        """The list's applicants as the current user sees them (record rules apply); a
        dynamic list's as they match now."""
        self.ensure_one()
        if self.kind == "static":
            return self.applicant_ids
        try:
            domain = Domain(literal_eval(self.domain or "[]"))
            if domain.is_true():
                raise UserError(self.env._(
                    "%(list)s: set at least one condition, so that a list never holds every applicant by mistake.",
                    list=self.name))
            return self.env["hr.applicant"].search(domain & Domain("company_id", "in", [self.company_id.id, False]))
        except (ValueError, SyntaxError, TypeError, KeyError) as error:
            raise UserError(self.env._(
                "%(list)s: the conditions %(domain)s cannot be used (%(error)s). Pick them again with the editor.",
                list=self.name, domain=self.domain, error=error)) from error

    @api.depends("kind", "applicant_ids", "domain")
    @api.depends_context("uid")
    def _compute_reach(self):
        gate_model = self.env["recruit.sms.gate"]
        for text_list in self:
            try:
                members = text_list._recruit_sms_members()
            except UserError as error:
                text_list.update({"member_count": 0, "textable_count": 0, "blocked_summary": str(error)})
                continue
            # as a campaign to the list would be decided
            eligible, excluded = gate_model._split_for_campaign(members, text_list.company_id)
            text_list.member_count = len(members)
            text_list.textable_count = len(eligible)
            text_list.blocked_summary = gate_model._summary(verdict for verdict, _request in excluded.values())

    def action_new_campaign(self):
        """A draft campaign to this list, for review."""
        self.ensure_one()
        campaign = self.env["recruit.sms.campaign"].create({"name": self.name, "list_id": self.id,
                                                            "company_id": self.company_id.id})
        return {"type": "ir.actions.act_window", "res_model": "recruit.sms.campaign", "res_id": campaign.id,
                "view_mode": "form", "views": [(False, "form")]}
