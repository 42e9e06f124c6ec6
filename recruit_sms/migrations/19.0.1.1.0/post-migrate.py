"""The HELP answer was a company setting; it is now each company's HELP automatic reply
rule: create those rules with the wording each company had."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Rule = env["recruit.sms.auto.reply"]
    companies = env["res.company"].with_context(active_test=False).search([])  # pylint: disable=no-search-all
    Rule._recruit_sms_default_help(companies)
    if not column_exists(cr, "res_company", "recruit_sms_help_reply"):
        return
    cr.execute(SQL("SELECT id, recruit_sms_help_reply FROM res_company WHERE recruit_sms_help_reply IS NOT NULL"))
    for company_id, reply in cr.fetchall():
        # a translated Char is stored as JSON {lang: text}; the rule's reply is translated too
        texts = reply if isinstance(reply, dict) else {"en_US": reply}
        rule = Rule.with_context(active_test=False).search(
            [("company_id", "=", company_id), ("trigger", "=", "help")], limit=1)
        for lang, text in texts.items():
            if text and env["res.lang"]._lang_get(lang):
                rule.with_context(lang=lang).reply = text
