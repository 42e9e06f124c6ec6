from freezegun import freeze_time

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_compliance import NUMBER, OPT_OUT_REPLY, ComplianceCase


@tagged("post_install", "-at_install")
class TestOptOutIntent(ComplianceCase):
    """Messages that ask to stop without being a STOP keyword."""

    def ledger_rows(self, number=NUMBER):
        return self.env["recruit.sms.consent.event"].search(
            [("number", "=", number), ("event", "in", ("opt_out", "opt_in"))], order="id")

    def automated_status(self):
        """What happens to an automated text (another module's, a template's) now."""
        message = self.applicant._message_sms("Automated message from another module")
        return message.notification_ids.notification_status, message.notification_ids.failure_reason or ""

    def test_a_message_asking_to_stop_is_flagged_and_holds_automated_texts(self):
        other_job = self.env["hr.applicant"].create({"partner_name": "Ann Applicant", "partner_phone": NUMBER,
                                                     "job_id": self.env["hr.job"].create({"name": "Baker"}).id,
                                                     "recruit_sms_consent": True})
        self.post(self.form("Hi, I found a job. Please stop texting me"))
        self.assertTrue(other_job.recruit_sms_optout_asked, "every application of the number waits")
        applicant = self.applicant.with_user(self.recruiter)
        self.assertFalse(self.blacklisted(), "a recruiter decides; the number is not opted out yet")
        self.assertEqual(self.sent(), [], "no confirmation before anyone decided")
        self.assertTrue(applicant.recruit_sms_optout_asked)
        self.assertEqual(applicant.recruit_sms_optout_asked_text, "stop texting me")
        # first in the recruiter's inbox, with the words
        rows = applicant.recruit_sms_inbox_data()["groups"][0]["conversations"]
        self.assertEqual((rows[0]["id"], rows[0]["asked_to_stop"]), (self.applicant.id, "stop texting me"))
        # automated texts and campaigns wait; the recruiter may still ask what they meant
        status, reason = self.automated_status()
        self.assertEqual(status, "canceled")
        self.assertIn("may ask to stop", reason)
        eligible, excluded = self.env["recruit.sms.gate"]._split_for_campaign(self.applicant, self.company)
        self.assertFalse(eligible)
        self.assertEqual(self.env["recruit.sms.gate"]._summary(
            [verdict for verdict, _request in excluded.values()]), "may have asked to stop: 1")
        applicant.recruit_sms_compose("sms", "Hi", "Do you want us to stop texting you?")
        self.assertEqual(self.sent(), [(NUMBER, "Do you want us to stop texting you?")])
        # a scheduled text is automated when it falls due: it fails, saying why, and is not "sent"
        applicant.recruit_sms_compose("sms", "Later", "^at 2030-01-01 10:00 Shift reminder")
        scheduled = self.env["recruit.sms.scheduled"].search([("applicant_id", "=", self.applicant.id)])
        with freeze_time("2030-01-01 20:00:00"):
            self.env["recruit.sms.scheduled"]._send_due()
        self.assertEqual(scheduled.state, "failed")
        self.assertIn("may ask to stop", scheduled.failure_reason)
        self.assertEqual(len(self.sent()), 1)

    def test_one_click_opts_out_with_the_message_as_evidence(self):
        self.post(self.form("Remove me from your list please"))
        inbound = self.env["recruit.sms.inbound"].sudo().search([("from_number", "=", NUMBER)], order="id desc", limit=1)
        self.applicant.with_user(self.recruiter).action_recruit_sms_optout_asked()
        self.assertTrue(self.blacklisted())
        event = self.ledger_rows()[-1]
        self.assertEqual((event.event, event.source, event.user_id, event.reason, event.inbound_id),
                         ("opt_out", "intent", self.recruiter, "Remove me from your list please", inbound))
        self.assertEqual(self.sent(), [(NUMBER, OPT_OUT_REPLY)], "the candidate is told, once")
        self.assertFalse(self.applicant.recruit_sms_optout_asked)
        self.assertIn("opted out", self.automated_status()[1])

    def test_not_an_opt_out_lets_automated_texts_go_again(self):
        self.post(self.form("Haha stop texting me so early, I work nights"))
        self.assertTrue(self.applicant.recruit_sms_optout_asked)
        interviewer = mail_new_test_user(
            self.env, login="rsms_intent_interviewer",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer")
        self.applicant.interviewer_ids = interviewer
        with self.assertRaises(AccessError):
            self.applicant.with_user(interviewer).action_recruit_sms_optout_dismiss()
        self.assertTrue(self.applicant.recruit_sms_optout_asked, "an interviewer cannot lift it")
        self.applicant.with_user(self.recruiter).action_recruit_sms_optout_dismiss()
        self.assertFalse(self.applicant.recruit_sms_optout_asked)
        self.assertFalse(self.blacklisted())
        self.automated_status()
        self.assertIn((NUMBER, "Automated message from another module"), self.sent())
        self.assertFalse(self.ledger_rows().filtered(lambda e: e.source == "intent"))

    def test_the_company_may_opt_out_at_once(self):
        self.company.recruit_sms_intent_opt_out = True
        self.post(self.form("No me escriban más, gracias"))
        self.assertTrue(self.blacklisted())
        self.assertEqual([(e.event, e.source) for e in self.ledger_rows()], [("opt_out", "intent")])
        self.assertEqual(self.sent(), [(NUMBER, OPT_OUT_REPLY)])
        self.assertFalse(self.applicant.recruit_sms_optout_asked)

    def test_keywords_are_handled_once_as_keywords(self):
        self.company.recruit_sms_intent_opt_out = True
        self.post(self.form("Unsubscribe"))
        self.assertEqual([(e.event, e.source) for e in self.ledger_rows()], [("opt_out", "keyword")])
        self.assertEqual(self.sent(), [(NUMBER, OPT_OUT_REPLY)])

    def test_ordinary_replies_are_not_flagged(self):
        self.post(self.form("Don't text me before noon, I work nights"))
        self.post(self.form("Don't stop sending me jobs, Monday works"))
        self.assertFalse(self.applicant.recruit_sms_optout_asked)
        self.automated_status()
        self.assertIn((NUMBER, "Automated message from another module"), self.sent())

    def test_an_unknown_number_asking_to_stop(self):
        form = self.form("wrong number, remove me from your list", sender="+12025550177")
        self.post(form)
        inbound = self.inbound(form)
        self.assertEqual((inbound.state, inbound.opt_out_intent), ("unmatched", "wrong number"))
        self.assertFalse(self.blacklisted("+12025550177"), "flagged on the message for whoever reviews it")
        self.company.recruit_sms_intent_opt_out = True
        self.post(self.form("Stop messaging me", sender="+12025550177"))
        self.assertTrue(self.blacklisted("+12025550177"))
