"""What a request to Twilio proves when it gets no answer, against a real socket."""

import http.server
import socket
import threading

import pytest
import requests
from recruit_sms_tools import twilio_client
from recruit_sms_tools.twilio_client import AMBIGUOUS, NOT_SENT


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A loopback server that answers ``handler(request)`` or behaves as told."""

    def __init__(self, behaviour):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                received.append(self.rfile.read(length))
                behaviour(self)

            def log_message(self, *_args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/Messages.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def answer(status, body, content_type="application/json"):
    def behaviour(handler):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return behaviour


def hang_up(handler):
    handler.close_connection = True
    handler.connection.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def session():
    with requests.Session() as opened:
        yield opened


def test_a_refused_connection_proves_nothing_was_sent(session):
    reply = twilio_client.post(session, f"http://127.0.0.1:{free_port()}/x", {"To": "+1"}, None, 2)
    assert (reply.status, reply.failure) == (0, NOT_SENT)


def test_a_read_timeout_may_have_sent_it():
    server = Server(lambda handler: threading.Event().wait(1.0))
    try:
        with requests.Session() as session:
            reply = twilio_client.post(session, server.url, {"To": "+1", "Body": "Hi"}, None, 0.3)
        assert (reply.status, reply.failure) == (0, AMBIGUOUS)
        assert server.received, "the request did reach the service"
    finally:
        server.close()


def test_a_connection_closed_after_the_request_may_have_sent_it():
    server = Server(hang_up)
    try:
        with requests.Session() as session:
            reply = twilio_client.post(session, server.url, {"To": "+1", "Body": "Hi"}, None, 2)
        assert reply.failure == AMBIGUOUS
        assert server.received
    finally:
        server.close()


@pytest.mark.parametrize(("body", "payload"), [(b'{"sid": "SM1"}', {"sid": "SM1"}), (b"<html>portal</html>", None)])
def test_answers_are_read_as_json_or_nothing(body, payload):
    server = Server(answer(201, body, "text/html" if payload is None else "application/json"))
    try:
        with requests.Session() as session:
            reply = twilio_client.post(session, server.url, {"To": "+1"}, None, 2)
        assert (reply.status, reply.payload, reply.failure, reply.ok) == (201, payload, None, True)
    finally:
        server.close()
