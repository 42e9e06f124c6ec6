from odoo.tests import TransactionCase, tagged
from odoo.tools import html2plaintext


@tagged("post_install", "-at_install")
class TestScreensExplainThemselves(TransactionCase):
    def test_every_list_of_the_addon_says_what_it_is_for_and_how_to_start(self):
        xmlids = self.env["ir.model.data"].search([("module", "=", "recruit_sms"), ("model", "=", "ir.actions.act_window")])
        lists = self.env["ir.actions.act_window"].browse(xmlids.mapped("res_id")).filtered(lambda a: a.target != "new")
        self.assertGreaterEqual(len(lists), 3)
        for action in lists:
            with self.subTest(action=action.name):
                self.assertGreater(len(html2plaintext(action.help or "").split()), 12,
                                   "an empty list shows what it is for and how to start")
