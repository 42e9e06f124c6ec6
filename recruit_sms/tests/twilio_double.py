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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class TwilioDouble:
    def __init__(self):
        self.requests = []
        self.connections = 0  # opened by clients so far
        self.stamp = None  # optional callable: its value is recorded with each request (a test's clock)
        self.responses = deque()
        # what the account's own resources answer (GET): the account, and the numbers it owns
        self.account = {"status": "active", "type": "Full"}
        self.owned_numbers = []
        self._sid = 0
        self._lock = threading.Lock()
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
                return status, delay, payload
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
                status, delay, payload = double._next_answer(form)
                if delay:
                    time.sleep(delay)
                self.answer(status, payload)

            def do_GET(self):
                auth = self.auth()
                double.requests.append({"path": self.path, "auth": auth, "form": None, "method": "GET",
                                        "connection": self.connection_number, "at": None})
                with double._lock:
                    queued = double.responses.popleft() if double.responses else None
                if queued:
                    self.answer(queued[0], queued[1])
                elif self.path.endswith("/IncomingPhoneNumbers.json"):
                    self.answer(200, {"incoming_phone_numbers": [{"phone_number": n} for n in double.owned_numbers]})
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
