"""Every public route and every public method of the addon, fed what a stranger or a
scripted browser may send (NUL bytes, a megabyte of text, invalid UTF-8, dates out of
range, values of the wrong type): the answer is a 4xx or a UserError, never a server
error."""

import inspect

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import RedirectWarning, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .inbound_common import ROUTE, InboundCase
from .test_booking import BookingCase
from .test_public_methods import (
    EMPLOYEE,
    EVERYONE,
    INTERVIEWER,
    MANAGER,
    OFFICER,
    PUBLIC_METHODS,
    SYSTEM,
    PublicMethodsCase,
)
from .test_trust import rpc

MEGABYTE = "x" * 1_000_000
TEXTS = ["\x00", "Hi\x00there", MEGABYTE, "\udcff", "0001-01-01T00:00:00+14:00", "9999-12-31 23:59:59", "^at 23:59 x"]
OTHERS = [None, 0, -1, 2**63, 1.5, True, [], ["x"], {"a": 1}]
# what a form field may carry over HTTP (no lone surrogate: bytes are sent as they are)
FORM_VALUES = ["\x00", "a\x00b", "x" * 60_000, "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"),
               "0001-01-01T00:00:00+14:00", "-1", "99999999999999999999", ""]

# core's ORM entry points: their values are converted by the ORM, which answers a NUL or
# a value of the wrong type as it does on every model; the addon's part of them (which
# fields a caller may write) is checked in test_trust
ORM_METHODS = {"create", "write", "load", "default_get", "message_new"}
LOGGERS = ("odoo.addons.recruit_sms.controllers.inbound", "odoo.addons.recruit_sms.controllers.booking",
           "odoo.addons.recruit_sms.controllers.status", "odoo.addons.sms_twilio.controllers.controllers",
           "odoo.http", "odoo.addons.recruit_sms.models.recruit_sms_inbound")


@tagged("post_install", "-at_install")
class TestPublicMethodsTakeAnyInput(PublicMethodsCase):
    def caller(self, group):
        if group == SYSTEM:
            return self.env.ref("base.user_admin")
        if group == MANAGER:  # one for every method of the group
            if not getattr(self, "_fuzz_manager", None):
                self._fuzz_manager = mail_new_test_user(
                    self.env, login="rsms_fuzz_manager", groups="base.group_user,hr_recruitment.group_hr_recruitment_manager")
            return self._fuzz_manager
        assert group in (OFFICER, INTERVIEWER, EMPLOYEE, EVERYONE)
        return self.recruiter

    def test_no_argument_makes_a_server_error(self):
        failures, calls = [], 0
        for (model, method), (group, how) in sorted(PUBLIC_METHODS.items()):
            if method in ORM_METHODS:
                continue
            ids, args = how(self)
            user = self.caller(group)
            parameters = list(inspect.signature(getattr(type(self.env[model]), method)).parameters.values())[1:]
            for index, parameter in enumerate(parameters):
                if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                    continue
                for value in TEXTS + OTHERS:
                    call_args, call_kwargs = list(args), {}
                    if index < len(call_args):
                        call_args[index] = value
                    else:
                        call_kwargs[parameter.name] = value
                    calls += 1
                    try:
                        with self.env.cr.savepoint(), mute_logger(*LOGGERS):
                            rpc(self.env, user, model, method, *([ids] if ids is not None else []), *call_args,
                                **call_kwargs)
                    except (UserError, RedirectWarning) as error:
                        self.assertTrue(str(error), "a user error says what is wrong")
                    except Exception as error:  # any other one is what this test finds
                        failures.append(f"{model}.{method}({parameter.name}={str(value)[:30]!r}): "
                                        f"{type(error).__name__}: {str(error)[:120]}")
                    self.env.invalidate_all()
        self.assertGreater(calls, 300, "every argument of every method was tried")
        self.assertEqual(failures, [])


@tagged("post_install", "-at_install")
class TestWebhookTakesAnyInput(InboundCase):
    def test_no_field_makes_a_server_error_signed_or_not(self):
        failures = []
        for field in ("To", "From", "Body", "AccountSid", "MessagingServiceSid", "MessageSid", "NumMedia",
                      "MediaUrl0", "NumSegments", "OptOutType", "FromCountry"):
            for value in FORM_VALUES:
                for signed in (False, True):
                    form = self.form("Hello", NumMedia="1", MediaUrl0="https://media.example/a.jpg")
                    form[field] = value
                    with mute_logger(*LOGGERS):
                        response = self.post(form, signature=None if signed else False, process=False)
                        self.process_received()
                    if response.status_code >= 500:
                        failures.append((field, value[:20], signed, response.status_code))
        self.assertEqual(failures, [])

    def test_invalid_utf8_and_a_wrong_content_type_are_client_errors(self):
        with mute_logger(*LOGGERS):
            for body, content_type in ((b"To=%FF%FE&From=%C3%28&Body=%80", "application/x-www-form-urlencoded"),
                                       (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
                                       (b'{"To": "+15005550006"}', "application/json"),
                                       (b"--x\r\nbroken", "multipart/form-data; boundary=x")):
                response = self.url_open(ROUTE, data=body, headers={"Content-Type": content_type})
                self.assertLess(response.status_code, 500, body)
                self.assertGreaterEqual(response.status_code, 400, body)

    def test_the_status_callback_takes_any_input(self):
        with mute_logger(*LOGGERS):
            for uuid in ("ab%00cd", "x" * 5000, "0" * 32, "%FF%FE"):
                for status in ("read", "delivered", "\x00", "x" * 5000):
                    response = self.url_open(f"/sms_twilio/status/{uuid}", data={"SmsStatus": status, "ErrorCode": "\x00"},
                                             headers={"X-Twilio-Signature": "x"})
                    self.assertLess(response.status_code, 500, (uuid[:10], status[:10]))


@tagged("post_install", "-at_install")
class TestBookingTakesAnyInput(BookingCase):
    def test_no_token_or_slot_makes_a_server_error(self):
        path = self.link_for()
        csrf = self.csrf(path)
        with mute_logger(*LOGGERS):
            for token in ("ab%00cd", "%FF%FE", "x" * 5000, "' OR 1=1 --"):
                self.assertLess(self.url_open(f"/recruit_sms/book/{token}").status_code, 500, token[:10])
                self.assertLess(self.url_open(f"/recruit_sms/book/{token}", data={"slot": "x", "csrf_token": csrf}
                                              ).status_code, 500, token[:10])
            for slot in [*FORM_VALUES, "9999-12-31T23:59:59-12:00", "2026-02-30T10:00:00+00:00"]:
                self.assertLess(self.book(path, slot, csrf=csrf).status_code, 500, slot[:20])


@tagged("post_install", "-at_install")
class TestEveryRouteIsFuzzed(HttpCase):
    def test_the_addons_routes_are_the_ones_fuzzed_here(self):
        """A new public route must be added to the fuzz tests above."""
        from odoo.http import _generate_routing_rules

        modules = self.env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        routes = set()
        for url, endpoint in _generate_routing_rules(modules, nodb_only=False):
            function = getattr(endpoint, "func", endpoint)  # the controller's bound method
            function = getattr(function, "__func__", function)
            if getattr(function, "__module__", "").startswith(("odoo.addons.recruit_sms.",
                                                               "odoo.addons.recruit_sms_website.")):
                routes.add(url)
        self.assertEqual(routes, {ROUTE, "/recruit_sms/book/<string:token>", "/sms_twilio/status/<string:uuid>"})
