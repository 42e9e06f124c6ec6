from odoo import fields, models


class RecruitSmsPrice(models.Model):
    """What one SMS (one segment) costs a company to a country, for the campaign review's
    estimate. A row without country prices every other country."""

    _name = "recruit.sms.price"
    _description = "SMS price per country"
    _order = "country_id"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    country_id = fields.Many2one("res.country", help="Empty: every country without a price of its own.")
    price = fields.Float("Price per SMS", digits=(12, 5), required=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    _country_unique = models.UniqueIndex(
        "(company_id, COALESCE(country_id, 0))", "One price per country (and one for the others) per company.")

    def _recruit_sms_prices(self, company):
        """{country code or None: price} of ``company``."""
        return {price.country_id.code or None: price.price
                for price in self.sudo().search([("company_id", "=", company.id)])}
