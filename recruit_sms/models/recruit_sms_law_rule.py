from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import ormcache

from ..tools import gate, quiet_hours, texting_law

SUNDAY = [("same", "As other days"), ("own", "Hours of its own"), ("none", "No texts")]


class RecruitSmsLawRule(models.Model):
    """A texting rule of a place that goes beyond the company's own hours: the hours texts
    may reach someone there (by weekday) and how many texts one person may get in any 24
    hours. The US states' and Canada's are shipped, with their source and the date they
    came into force; a manager adds their company's own. The gate applies every rule of
    the recipient's place (the strictest wins where they overlap)."""

    _name = "recruit.sms.law.rule"
    _description = "Texting rule of a place"
    _order = "country_id, state_id, name"

    name = fields.Char("Rule", required=True, translate=True, help="As the recruiter reads it on a held text.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True,
        help="Empty: the law of the place, for every company. Set: a rule this company adds for itself.")
    country_id = fields.Many2one("res.country", help="Empty: every recipient, wherever they are.")
    state_id = fields.Many2one("res.country.state", "State or province", domain="[('country_id', '=', country_id)]",
                               help="Empty: the whole country.")
    hours_apply = fields.Boolean("Texting hours", help="Texts reach someone there only within these hours, their time.")
    start_hour = fields.Float("From", default=8.0)
    end_hour = fields.Float("Until", default=20.0)
    sunday = fields.Selection(SUNDAY, "On Sundays", default="same", required=True)
    sunday_start_hour = fields.Float("Sunday from", default=12.0)
    sunday_end_hour = fields.Float("Sunday until", default=21.0)
    frequency_cap = fields.Integer(
        "Texts per 24 hours", help="How many counted texts one person may get in any 24 hours; 0: no cap.")
    counts_automated = fields.Boolean(
        "Counts automated texts", default=True,
        help="Texts on apply, automatic replies, scheduled texts and other modules' texts.")
    counts_campaign = fields.Boolean("Counts campaigns", default=True)
    identify_sender = fields.Boolean(
        "Identify the sender",
        help="Every text names the company, a way to reach it and how to opt out (Canada's CASL).")
    implied_consent_months = fields.Integer(
        "Implied consent lapses after (months)",
        help="Consent the candidate did not give themselves (an import) is only implied: it lapses this many months "
             "after their last contact (application, message), and automated texts stop. 0: it does not lapse.")
    date_from = fields.Date("In force since")
    source = fields.Char(help="The statute, and where to read it.")
    note = fields.Text("What it requires")

    @api.constrains("start_hour", "end_hour", "sunday_start_hour", "sunday_end_hour", "frequency_cap")
    def _check_values(self):
        for rule in self:
            pairs = [(rule.start_hour, rule.end_hour)] + ([(rule.sunday_start_hour, rule.sunday_end_hour)]
                                                          if rule.sunday == "own" else [])
            if rule.hours_apply and any(not 0 <= start < end <= 24 for start, end in pairs):
                raise ValidationError(self.env._(
                    "%(rule)s: the texting hours must start before they end, between 00:00 and 24:00.", rule=rule.name))
            if rule.implied_consent_months < 0:
                raise ValidationError(self.env._("%(rule)s: the months of implied consent cannot be negative.",
                                                 rule=rule.name))
            if rule.frequency_cap < 0:
                raise ValidationError(self.env._("%(rule)s: texts per 24 hours cannot be negative.", rule=rule.name))

    def _recruit_sms_rule(self):
        """This rule as the gate applies it (``texting_law.Rule``)."""
        self.ensure_one()
        hours = None
        if self.hours_apply:
            start, end = quiet_hours.hour_to_time(self.start_hour), quiet_hours.hour_to_time(self.end_hour)
            sunday = {"same": None, "none": False}.get(self.sunday, (
                quiet_hours.hour_to_time(self.sunday_start_hour), quiet_hours.hour_to_time(self.sunday_end_hour)))
            hours = texting_law.weekly(start, end, sunday)
        counted = {kind for kind, counts in ((gate.AUTOMATED, self.counts_automated),
                                             (gate.CAMPAIGN, self.counts_campaign)) if counts}
        return texting_law.Rule(
            code=str(self.id), name=self.name, country=self.country_id.code or None,
            state=self.state_id.code or None, hours=hours, cap=self.frequency_cap, counted=frozenset(counted),
            identify=self.identify_sender, implied_months=self.implied_consent_months)

    @api.model
    def _recruit_sms_rules(self, company):
        """The rules that apply to the texts of ``company``: the law's and its own. Read
        once per registry (every send asks the gate, Odoo's own SMS path included), and
        again when a rule changes."""
        return list(self._recruit_sms_rules_of(company.id, self.env.lang))

    @ormcache("company_id", "lang")
    def _recruit_sms_rules_of(self, company_id, lang):
        rules = self.sudo().with_context(lang=lang).search([("company_id", "in", (False, company_id))])
        return tuple(rule._recruit_sms_rule() for rule in rules)

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
