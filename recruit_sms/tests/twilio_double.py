"""A loopback stand-in for Twilio's Messages REST API, for the tests of this addon.

It records every request (path, Basic auth, form, connection) and answers what the test
queued, so that tests exercise the real HTTP client code of the provider. It speaks
HTTP/1.1 with keep-alive and answers in one segment, as Twilio's servers do, and counts
the connections its clients open.
"""

import base64
import json
import threading
import time
from collections import deque
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class TwilioDouble:
    def __init__(self):
        self.requests = []
        self.connections = 0  # opened by clients so far
        self.stamp = None  # optional callable: its value is recorded with each request (a test's clock)
        self.responses = deque()
        # what the account's own resources answer (GET): the account, and the numbers it owns
        self.account = {"status": "active", "type": "Full"}
        self.owned_numbers = []
        self.numbers_page_size = None
        self._sid = 0
        self._lock = threading.Lock()
        # what the account's Messages list holds: every message created, answered or not
        self.created = []
        self.list_answer = None  # (status, payload) the Messages list answers instead, when set
        self.latency = 0  # seconds before every answer to a send, as a real service takes
        self.in_flight = self.max_in_flight = 0  # sends being answered now, and the most at once
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, status, payload, delay=0):
        """Queue the answer to the next request (default: 201 with a new SID), given
        after ``delay`` seconds (longer than the client's timeout: a timeout). A payload
        of bytes is sent as is (a proxy's error page, say)."""
        self.responses.append((status, payload, delay))

    def _next_answer(self, form):
        with self._lock:
            if self.responses:
                status, payload, delay = self.responses.popleft()
            else:
                status, delay, payload = self._created_answer(form)
            if 200 <= status < 300 and isinstance(payload, dict) and payload.get("sid"):
                self.created.append({"sid": payload["sid"], "to": form.get("To"), "body": form.get("Body"),
                                     "date_created": formatdate(usegmt=True)})
            return status, delay, payload

    def _created_answer(self, form):
        self._sid += 1
        return 201, 0, {
            "sid": f"SM{self._sid:032d}",
            "status": "queued",
            "to": form.get("To"),
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form.get("Body"),
            "error_code": None,
            "error_message": None,
        }

    def _handler(self):
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive
            # head and body in one write, without Nagle's delay
            wbufsize = -1
            disable_nagle_algorithm = True
            timeout = 30  # an idle connection is closed after this many seconds

            def setup(self):
                with double._lock:
                    double.connections += 1
                    self.connection_number = double.connections
                return super().setup()

            def auth(self):
                header = self.headers.get("Authorization", "")
                if not header.startswith("Basic "):
                    return ("", "")
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                return (user, password)

            def answer(self, status, payload):
                body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode(), keep_blank_values=True).items()}
                double.requests.append({"path": self.path, "auth": self.auth(), "form": form,
                                        "connection": self.connection_number,
                                        "at": double.stamp() if double.stamp else None})
                with double._lock:
                    double.in_flight += 1
                    double.max_in_flight = max(double.max_in_flight, double.in_flight)
                try:
                    status, delay, payload = double._next_answer(form)
                    if delay or double.latency:
                        time.sleep(delay or double.latency)
                    self.answer(status, payload)
                finally:
                    with double._lock:
                        double.in_flight -= 1

            def do_GET(self):
                auth = self.auth()
                double.requests.append({"path": self.path, "auth": auth, "form": None, "method": "GET",
                                        "connection": self.connection_number, "at": None})
                if "/Messages.json" in self.path:  # the account's messages, newest first, by To
                    wanted = parse_qs(urlsplit(self.path).query).get("To", [None])[0]
                    self.answer(*double.list_answer or (200, {"messages": [
                        message for message in reversed(double.created) if wanted in (None, message["to"])],
                        "meta": {"next_page_url": None}}))
                    return
                with double._lock:
                    queued = double.responses.popleft() if double.responses else None
                if queued:
                    self.answer(queued[0], queued[1])
                elif "/IncomingPhoneNumbers.json" in self.path:
                    # one page of ``numbers_page_size`` (all of them when None), as Twilio pages them
                    size = double.numbers_page_size or max(1, len(double.owned_numbers))
                    page = int(parse_qs(urlsplit(self.path).query).get("Page", ["0"])[0])
                    numbers = double.owned_numbers[page * size:(page + 1) * size]
                    following = (f"{urlsplit(self.path).path}?PageSize={size}&Page={page + 1}"
                                 if (page + 1) * size < len(double.owned_numbers) else None)
                    self.answer(200, {"incoming_phone_numbers": [{"phone_number": n} for n in numbers],
                                      "next_page_uri": following})
                else:
                    self.answer(200, {"sid": auth[0], **double.account})

            def log_message(self, *args):
                pass

        return Handler


def serve_for(case_class):
    """Start a double for a test class, stop it with the class, and point the class's
    company at it."""
    double = TwilioDouble().start()
    case_class.addClassCleanup(double.stop)
    case_class.company.recruit_sms_twilio_api_url = double.base_url
    return double
