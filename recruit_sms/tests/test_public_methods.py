
"""Every method a browser can call on the addon's models (and on the core models it
extends) is listed here with who may call it; each is then called, through the same
entry point as the web client, by people who may not, and must be refused."""

import base64
import inspect

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import tagged

from .common import RecruitSmsCase
from .test_trust import rpc

INTERVIEWER = "hr_recruitment.group_hr_recruitment_interviewer"
OFFICER = "hr_recruitment.group_hr_recruitment_user"
MANAGER = "hr_recruitment.group_hr_recruitment_manager"
SYSTEM = "base.group_system"
EMPLOYEE = "base.group_user"
EVERYONE = "everyone"

# (model, method): (the least group that may call it, how to call it: record ids or None, args)
PUBLIC_METHODS = {
    ("hr.applicant", "create"): (OFFICER, lambda c: (None, [{"partner_name": "Intruder"}])),
    ("hr.applicant", "write"): (INTERVIEWER, lambda c: ([c.applicant.id], [{"recruit_sms_consent": False}])),
    ("hr.applicant", "load"): (OFFICER, lambda c: (None, [["partner_name"], [["Intruder"]]])),
    ("hr.applicant", "recruit_sms_compose"): (INTERVIEWER, lambda c: ([c.applicant.id], ["sms", "Hi", "Hello"])),
    ("hr.applicant", "recruit_sms_send"): (INTERVIEWER, lambda c: ([c.applicant.id], ["sms", "Hi", "Hello"])),
    ("hr.applicant", "recruit_sms_get_conversation"): (INTERVIEWER, lambda c: ([c.applicant.id], [])),
    ("hr.applicant", "recruit_sms_resend"): (INTERVIEWER, lambda c: ([c.applicant.id], [1])),
    ("hr.applicant", "recruit_sms_simulate_reply"): (INTERVIEWER, lambda c: ([c.applicant.id], ["START"])),
    ("hr.applicant", "action_recruit_sms_export_consent"): (OFFICER, lambda c: ([c.applicant.id], [])),
    ("hr.applicant", "recruit_sms_inbox_count"): (INTERVIEWER, lambda c: (None, [])),
    ("hr.applicant", "recruit_sms_inbox_data"): (INTERVIEWER, lambda c: (None, [])),
    ("hr.applicant", "recruit_sms_search_chat"): (INTERVIEWER, lambda c: (None, ["Ann"])),
    ("hr.applicant", "recruit_sms_scan_text"): (INTERVIEWER, lambda c: (None, ["Call +1 415 555 0142"])),
    ("hr.applicant", "recruit_sms_create_from_number"): (OFFICER, lambda c: (None, ["+1 628 555 0188"])),
    ("hr.applicant", "recruit_sms_mark_read"): (INTERVIEWER, lambda c: ([c.applicant.id], [])),
    ("hr.applicant", "action_recruit_sms_optout_asked"): (INTERVIEWER, lambda c: ([c.applicant.id], [])),
    ("hr.applicant", "action_recruit_sms_optout_dismiss"): (OFFICER, lambda c: ([c.applicant.id], [])),
    ("hr.applicant", "recruit_sms_booking_link"): (INTERVIEWER, lambda c: ([c.applicant.id], [])),
    ("hr.applicant", "action_recruit_sms_bulk_text"): (OFFICER, lambda c: ([c.applicant.id], [])),
    # core's Send SMS on applicants, which opens Bulk Text
    ("hr.applicant", "action_send_sms"): (OFFICER, lambda c: ([c.applicant.id], [])),
    ("hr.applicant", "action_recruit_sms_make_list"): (OFFICER, lambda c: ([c.applicant.id], [])),
    # core's mail gateway entry, public in core: creating an applicant needs the right to
    ("hr.applicant", "message_new"): (OFFICER, lambda c: (None, [{"subject": "Intruder", "email_from": "x@example.com"}])),
    ("recruit.sms.list", "action_new_campaign"): (OFFICER, lambda c: ([c.text_list.id], [])),
    # the merge fields a template may use: no data, the same list for everyone
    ("hr.applicant", "mail_allowed_qweb_expressions"): (EVERYONE, lambda c: (None, [])),
    ("recruit.sms.campaign", "create"): (OFFICER, lambda c: (None, [{"name": "Intruder", "body": "Hi"}])),
    ("recruit.sms.campaign", "write"): (OFFICER, lambda c: ([c.campaign.id], [{"body": "Hi"}])),
    ("recruit.sms.campaign", "action_repair_body"): (OFFICER, lambda c: ([c.campaign.id], [])),
    ("recruit.sms.campaign", "action_recruit_sms_analytics"): (OFFICER, lambda c: ([c.campaign.id], [])),
    ("recruit.sms.report", "action_recruit_sms_dashboard"): (OFFICER, lambda c: (None, [])),
    ("recruit.sms.report", "recruit_sms_figures"): (OFFICER, lambda c: (None, [[]])),
    ("recruit.sms.figures", "action_open_analysis"): (OFFICER, lambda c: ([c.figures.id], [])),
    ("recruit.sms.campaign", "action_send"): (OFFICER, lambda c: ([c.campaign.id], [])),
    ("recruit.sms.campaign", "action_cancel"): (OFFICER, lambda c: ([c.campaign.id], [])),
    ("recruit.sms.campaign", "action_retry_failed"): (OFFICER, lambda c: ([c.campaign.id], [])),
    ("recruit.sms.campaign", "action_add_recipients"): (OFFICER, lambda c: ([c.campaign.id], [])),
    ("recruit.sms.scheduled", "create"): (SYSTEM, lambda c: (None, [{"applicant_id": c.applicant.id, "subject": "x",
                                                                      "body": "x", "send_at": "2030-01-01"}])),
    ("recruit.sms.scheduled", "write"): (OFFICER, lambda c: ([c.scheduled.id], [{"body": "Hijacked"}])),
    ("recruit.sms.scheduled", "action_cancel"): (OFFICER, lambda c: ([c.scheduled.id], [])),
    ("recruit.sms.scheduled", "action_retry"): (OFFICER, lambda c: ([c.scheduled.id], [])),
    ("recruit.sms.inbound", "action_create_applicant"): (OFFICER, lambda c: ([c.inbound.id], [])),
    ("recruit.sms.inbound", "action_retry"): (OFFICER, lambda c: ([c.inbound.id], [])),
    ("recruit.sms.inbound", "action_open_link_wizard"): (OFFICER, lambda c: ([c.inbound.id], [])),
    ("recruit.sms.inbound.link", "action_link"): (OFFICER, lambda c: ([c.link.id], [])),
    # a wizard is created, and changed, only for an applicant (and texts) the caller may read
    ("recruit.sms.composer", "create"): (INTERVIEWER, lambda c: (None, [{"applicant_id": c.applicant.id, "channel": "email"}])),
    ("recruit.sms.composer", "write"): (INTERVIEWER, lambda c: ([c.composer.id], [{"body": "Hi"}])),
    ("recruit.sms.inbound.link", "create"): (OFFICER, lambda c: (None, [{"applicant_id": c.applicant.id,
                                                                          "inbound_ids": [(6, 0, c.inbound.ids)]}])),
    ("recruit.sms.inbound.link", "write"): (OFFICER, lambda c: ([c.link.id], [{"applicant_id": c.applicant.id}])),
    ("recruit.sms.composer", "default_get"): (INTERVIEWER, lambda c: (None, [["applicant_id", "channel"]])),
    ("recruit.sms.composer", "recruit_sms_count"): (INTERVIEWER, lambda c: (None, ["Hi", c.applicant.id])),
    ("recruit.sms.composer", "action_insert_booking_link"): (INTERVIEWER, lambda c: ([c.composer.id], [])),
    ("recruit.sms.composer", "action_repair"): (INTERVIEWER, lambda c: ([c.composer.id], [])),
    ("recruit.sms.composer", "action_send"): (INTERVIEWER, lambda c: ([c.composer.id], [])),
    ("recruit.sms.whatsapp.template", "action_recruit_sms_load_from_twilio"): (MANAGER, lambda c: (None, [])),
    ("res.company", "create"): (SYSTEM, lambda c: (None, [{"name": "Intruder company"}])),
    # core's rule; the addon only writes the WhatsApp sender in E.164
    ("res.company", "write"): (SYSTEM, lambda c: ([c.company.id], [{"recruit_sms_whatsapp_sender": "+1 415 523 8886"}])),
    # core's own rule (employees create notifications); the addon only records the SMS's segments, which no
    # value given can set
    ("mail.notification", "create"): (EMPLOYEE, lambda c: (None, [{"mail_message_id": c.sms_message.id,
                                                                    "notification_type": "sms"}])),
    # core's own rule (a user writes their own notifications); the addon keeps what was sent, and how, unwritable
    ("mail.notification", "write"): (EMPLOYEE, lambda c: ([c.notification.id], [{"recruit_sms_kind": "confirmation"}])),
    # core's SMS composer; the addon only sends its mass mode on applicants to Bulk Text
    ("sms.composer", "action_send_sms"): (EMPLOYEE, lambda c: ([c.sms_composer.id], [])),
    # the mixin of fields only the server sets: abstract, no record of its own; its create and
    # write run as those of the models that use it (listed above and below)
    ("recruit.sms.server.fields", "create"): (SYSTEM, lambda c: (None, [{}])),
    ("recruit.sms.server.fields", "write"): (SYSTEM, lambda c: ([c.applicant.id], [{}])),
    ("sms.sms", "create"): (SYSTEM, lambda c: (None, [{"number": "+14155550142", "body": "x"}])),
    ("sms.sms", "write"): (SYSTEM, lambda c: ([c.sms.id], [{"body": "x"}])),
    ("res.config.settings", "action_recruit_sms_test_connection"): (SYSTEM, lambda c: ([c.settings.id], [])),
    ("recruit.sms.import", "action_import"): (OFFICER, lambda c: ([c.importer.id], [])),
    ("recruit.sms.import", "action_resume"): (OFFICER, lambda c: ([c.importer.id], [])),
    ("recruit.sms.import", "action_download_report"): (OFFICER, lambda c: ([c.importer.id], [])),
    # a company's own texting rules: its recruitment managers (the law's: administrators)
    ("recruit.sms.law.rule", "create"): (MANAGER, lambda c: (None, [{"name": "Intruder", "company_id": c.company.id}])),
    ("recruit.sms.law.rule", "write"): (MANAGER, lambda c: ([c.law_rule.id], [{"end_hour": 23}])),
    ("recruit.sms.law.rule", "unlink"): (MANAGER, lambda c: ([c.law_rule.id], [])),
    # resuming what the brake paused is a recruitment manager's decision
    ("recruit.sms.campaign", "action_resume"): (MANAGER, lambda c: ([c.campaign.id], [])),
    ("recruit.sms.sender", "action_resume"): (MANAGER, lambda c: ([c.sender.id], [])),
    ("recruit.sms.sender", "write"): (MANAGER, lambda c: ([c.sender.id], [{"daily_cap": 5}])),
}


def addon_public_methods(env):
    """(model, method) of every function the addon defines on a model that the web
    client may call (public, not ``@api.private``)."""
    found = set()
    for name in env.registry:
        model = env[name]
        for cls in type(model).mro():
            if not cls.__module__.startswith("odoo.addons.recruit_sms."):
                continue
            for attribute, value in vars(cls).items():
                if attribute.startswith("_") or not inspect.isfunction(value):
                    continue
                try:
                    get_public_method(model, attribute)
                except AccessError:
                    continue
                found.add((name, attribute))
    return found


class PublicMethodsCase(RecruitSmsCase):
    """A record of each kind the listed methods are called on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = mail_new_test_user(cls.env, login="rsms_pm_portal", groups="base.group_portal")
        cls.employee = mail_new_test_user(cls.env, login="rsms_pm_employee", groups="base.group_user")
        cls.public = cls.env.ref("base.public_user")
        cls.campaign = cls.env["recruit.sms.campaign"].create({"name": "Theirs", "body": "Hi",
                                                               "recipient_ids": [(6, 0, cls.applicant.ids)]})
        cls.scheduled = cls.env["recruit.sms.scheduled"].create({
            "applicant_id": cls.applicant.id, "subject": "x", "body": "x", "send_at": "2030-01-01 10:00:00"})
        cls.inbound = cls.env["recruit.sms.inbound"].sudo().create({"message_sid": "SMpm", "from_number": "+14155550100",
                                                                   "state": "unmatched", "company_id": cls.company.id})
        cls.link = cls.env["recruit.sms.inbound.link"].create({"inbound_ids": [(6, 0, cls.inbound.ids)],
                                                               "applicant_id": cls.applicant.id})
        cls.composer = cls.env["recruit.sms.composer"].create({
            "applicant_id": cls.applicant.id, "channel": "sms", "subject": "Hi", "body": "Hello"})
        cls.sms_composer = cls.env["sms.composer"].create({"composition_mode": "numbers", "numbers": "+14155550142",
                                                            "body": "x"})
        cls.sms = cls.env["sms.sms"].sudo().create({"number": "+14155550142", "body": "x", "state": "error"})
        cls.settings = cls.env["res.config.settings"].create({})
        cls.text_list = cls.env["recruit.sms.list"].create({"name": "Theirs", "applicant_ids": [(6, 0, cls.applicant.ids)]})
        cls.figures = cls.env["recruit.sms.figures"].create({})
        cls.sms_message = cls.applicant.message_post(body="x", message_type="comment")
        cls.notification = cls.env["mail.notification"].create({
            "mail_message_id": cls.sms_message.id, "notification_type": "sms",
            "res_partner_id": cls.applicant._recruit_sms_ensure_partner(cls.applicant.phone_sanitized).id})
        cls.law_rule = cls.env["recruit.sms.law.rule"].create({"name": "Theirs", "company_id": cls.company.id})
        cls.sender = cls.env["recruit.sms.sender"]._recruit_sms_get(cls.company, ["+15005550006"])
        cls.importer = cls.env["recruit.sms.import"].with_user(cls.recruiter).create({
            "data_file": base64.b64encode(b"Name,Phone\nIntruder,+14155550199\n"), "filename": "x.csv"})


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase):
    def test_every_public_method_is_listed_with_who_may_call_it(self):
        found = addon_public_methods(self.env)
        self.assertEqual(sorted(found - set(PUBLIC_METHODS)), [],
                         "new methods callable from the browser: list them here with the groups allowed")
        self.assertEqual(sorted(set(PUBLIC_METHODS) - found), [], "listed methods that no longer exist")

    def test_people_without_the_group_are_refused(self):
        refused = []
        for (model, method), (group, how) in sorted(PUBLIC_METHODS.items()):
            if group == EVERYONE:
                continue
            ids, args = how(self)
            for user in (self.portal, self.public) if group == EMPLOYEE else (self.portal, self.public, self.employee):
                with self.subTest(model=model, method=method, user=user.login):
                    call_args = args if ids is None else [ids, *args]
                    with self.assertRaises(AccessError):
                        with self.env.cr.savepoint():
                            rpc(self.env, user, model, method, *call_args)
                    refused.append((model, method, user.login))
        self.assertEqual(len(refused), sum(2 if group == EMPLOYEE else 3
                                           for group, _how in PUBLIC_METHODS.values() if group != EVERYONE))

    def test_another_companys_manager_reaches_no_record_of_this_company(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        manager_b = mail_new_test_user(
            self.env, login="rsms_pm_manager_b", groups="base.group_user,hr_recruitment.group_hr_recruitment_manager",
            company_id=company_b.id, company_ids=[(6, 0, company_b.ids)])
        refused = 0
        for (model, method), (group, how) in sorted(PUBLIC_METHODS.items()):
            ids, args = how(self)
            if ids is None or group in (EVERYONE, SYSTEM) or model in ("recruit.sms.composer", "recruit.sms.inbound.link",
                                                                                      "recruit.sms.figures", "sms.composer"):
                continue  # no record of company A to reach (wizards are their creator's own)
            with self.subTest(model=model, method=method):
                with self.assertRaises(AccessError):
                    with self.env.cr.savepoint():
                        rpc(self.env, manager_b, model, method, ids, *args)
                refused += 1
        self.assertGreater(refused, 15)
