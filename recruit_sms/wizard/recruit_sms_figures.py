from datetime import timedelta

from odoo import api, fields, models


class RecruitSmsFigures(models.TransientModel):
    """The headline figures of texting over a period (and a job, recruiter or campaign):
    what the analytics' graph and pivot cannot show, because they are rates and
    percentiles, not sums."""

    _name = "recruit.sms.figures"
    _description = "Texting figures"

    date_from = fields.Date("From", required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=30))
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)
    job_id = fields.Many2one("hr.job", "Job Position")
    user_id = fields.Many2one("res.users", "Recruiter")
    campaign_id = fields.Many2one("recruit.sms.campaign")
    sent = fields.Integer("Texts sent", compute="_compute_figures")
    response_rate = fields.Float("Response rate (%)", compute="_compute_figures", digits=(5, 1),
                                 help="Of the applicants texted, the share who answered within 7 days.")
    recruiter_hours_p50 = fields.Float("Recruiters answer in (median, hours)", compute="_compute_figures", digits=(8, 1))
    recruiter_hours_p90 = fields.Float("Recruiters answer in (90 %, hours)", compute="_compute_figures", digits=(8, 1))
    candidate_hours_p50 = fields.Float("Candidates answer in (median, hours)", compute="_compute_figures", digits=(8, 1))
    candidate_hours_p90 = fields.Float("Candidates answer in (90 %, hours)", compute="_compute_figures", digits=(8, 1))
    opt_outs_per_1000 = fields.Float("Opt-outs per 1,000 texts", compute="_compute_figures", digits=(8, 1))

    def _domain(self):
        self.ensure_one()
        end = fields.Datetime.to_datetime(self.date_to)
        domain = [("date", ">=", fields.Datetime.to_datetime(self.date_from)),
                  # the last day included; the year 9999 has no day after it
                  ("date", "<", end + timedelta(days=1)) if end.year < 9999 else ("date", "!=", False)]
        for name in ("job_id", "user_id", "campaign_id"):
            if self[name]:
                domain.append((name, "=", self[name].id))
        return domain

    @api.depends("date_from", "date_to", "job_id", "user_id", "campaign_id")
    def _compute_figures(self):
        for wizard in self:
            figures = self.env["recruit.sms.report"].recruit_sms_figures(wizard._domain())
            wizard.sent = figures["sent"]
            wizard.response_rate = 100 * (figures["response_rate"] or 0)
            wizard.opt_outs_per_1000 = figures["opt_outs_per_1000"] or 0
            for name in ("recruiter_hours_p50", "recruiter_hours_p90", "candidate_hours_p50", "candidate_hours_p90"):
                wizard[name] = figures[name] or 0

    def action_open_analysis(self):
        action = self.env["recruit.sms.report"].action_recruit_sms_dashboard()
        action["domain"] = self._domain()
        action["context"] = {}
        return action
