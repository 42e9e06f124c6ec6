from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class RecruitSmsCampaign(models.Model):
    """Adding recipients by search: a domain on applicants, typed or taken from a saved
    filter (a favorite of the applicant list), as mass mailing does for its mailing lists."""

    # one concern per file: building the audience beside the campaign itself
    _inherit = "recruit.sms.campaign"  # pylint: disable=consider-merging-classes-inherited

    recipient_filter_id = fields.Many2one(
        "ir.filters", "Saved filter", domain=[("model_id", "=", "hr.applicant")],
        help="A favorite saved on the applicant list: its domain fills 'Applicants matching'.",
    )
    recipient_domain = fields.Char(
        "Applicants matching", default="[]",
        help="Add recipients: every applicant you can see that matches these conditions.",
    )

    @api.onchange("recipient_filter_id")
    def _onchange_recipient_filter_id(self):
        if self.recipient_filter_id:
            self.recipient_domain = self.recipient_filter_id.domain

    def _recruit_sms_recipient_domain(self):
        self.ensure_one()
        try:
            domain = Domain(literal_eval(self.recipient_domain or "[]"))
            self.env["hr.applicant"]._search(domain)  # field names checked now, not at send time
        except (ValueError, SyntaxError, TypeError, KeyError) as error:
            raise UserError(self.env._(
                "Applicants matching: %(domain)s is not a usable condition (%(error)s). Pick the "
                "conditions again with the editor, or choose a saved filter.",
                domain=self.recipient_domain, error=error,
            )) from error
        return domain

    def action_add_recipients(self):
        """Add the applicants matching the domain (as the current user sees them: record
        rules apply) to the recipients, without duplicates."""
        self._recruit_sms_check_unsent()  # before the search: a sent campaign says so, whatever matches
        for campaign in self:
            domain = campaign._recruit_sms_recipient_domain()
            if domain.is_true():
                raise UserError(self.env._(
                    "Applicants matching: set at least one condition (or a saved filter) before adding "
                    "applicants, so that a campaign never goes to every applicant by mistake."))
            found = self.env["hr.applicant"].search(domain & Domain("id", "not in", campaign.recipient_ids.ids))
            if not found:
                raise UserError(self.env._("Applicants matching: no applicant you can see matches that is not already a recipient."))
            campaign.write({"recipient_ids": [fields.Command.link(applicant.id) for applicant in found]})
        return True
