"""Where recruit_sms follows a core method it cannot call (no hook to reach through super),
the core method's source is pinned here: an Odoo update that changes it fails this test,
so the change is ported by hand instead of passing unnoticed."""

import hashlib
import importlib
import inspect
import textwrap

from odoo.tests import TransactionCase, tagged

# (core module, class, method): (sha256 of its dedented source, what follows it and why)
FOLLOWED = {
    ("odoo.addons.sms.models.sms_sms", "SmsSms", "_process_queue"): (
        "4a333698dc9b5bc5b9b682193903afcb1336cbcd2a822867e2e3cb58930aac6e",
        "recruit_sms/models/sms_sms.py SmsSms._process_queue: core's domain is written inside the method, "
        "so held messages and campaign messages cannot be left out through super()"),
    ("odoo.addons.sms.models.mail_thread", "MailThread", "_notify_thread_by_sms"): (
        "649b1a5a4e773c61aa363c38ebd305fa165f3c8b6f1d4fa4753a0eca6b318236",
        "recruit_sms/models/hr_applicant_texting.py _recruit_sms_post_sms_batch: the same records (SMS, "
        "notification, tracker) for many applicants in one go, each with its own number and body"),
    ("odoo.addons.sms.models.sms_sms", "SmsSms", "_send_with_api"): (
        "0d20d35c3b8bcf72773eca9c822ac69a3d758a10bc68a4498656d480e86eb4e1",
        "recruit_sms/models/recruit_sms_campaign_line.py _recruit_sms_settle_batch: core's bookkeeping of "
        "answers (SMS state, trackers), for outcomes the engine recorded one at a time"),
}


@tagged("post_install", "-at_install")
class TestCoreMethodsFollowed(TransactionCase):
    def test_the_core_methods_followed_are_unchanged(self):
        for (module, cls, method), (digest, follower) in sorted(FOLLOWED.items()):
            with self.subTest(method=f"{cls}.{method}"):
                source = textwrap.dedent(inspect.getsource(getattr(getattr(importlib.import_module(module), cls), method)))
                self.assertEqual(hashlib.sha256(source.encode()).hexdigest(), digest,
                                 f"core's {cls}.{method} changed: port the change to {follower}, then pin the new hash")
