"""A keep-alive client for Twilio's Messages API (and Twilio-compatible services).

A campaign hands thousands of messages, one after the other, to one host. One persistent
connection, with the request head built once, costs a fraction of a fresh ``requests`` call
per message (which also re-reads the proxy settings of the environment each time) and of
``http.client`` (which parses every answer's headers as an e-mail). It speaks just the HTTP/1.1
that this needs: a POST with a form, an answer with a length or in chunks.
"""

import base64
import contextlib
import json
import socket
import ssl
import time
from urllib.parse import urlsplit

from . import twilio_api

# a connection idle for longer may have been closed by the server: open a fresh one
IDLE_RECONNECT = 10.0
_MAX_LINE = 65536
_MAX_HEADERS = 100


# application/x-www-form-urlencoded, as urllib's urlencode writes it, in one C-level pass per
# value: urlencode looks every byte up from Python, and a campaign encodes one form a message
_FORM_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_FORM_ESCAPES = {byte: "+" if byte == 0x20 else f"%{byte:02X}" for byte in range(256) if byte not in _FORM_SAFE}


def form_encode(form):
    """``form`` (a dict) as a request body: the same text as ``urlencode(form)``."""
    return "&".join(
        f"{_form_quote(name)}={_form_quote(value)}" for name, value in form.items()
    )


def _form_quote(value):
    # UTF-8 bytes seen as latin-1 characters: one character per byte, escaped by the table
    return str(value).encode().decode("latin-1").translate(_FORM_ESCAPES)


class ProtocolError(OSError):
    """The service answered something that is not an HTTP/1.x answer."""


class TwilioClient:
    def __init__(self, api_url, account_sid, auth_token, timeout=5.0, clock=time.monotonic):
        url = urlsplit(twilio_api.messages_url(api_url, account_sid))
        self._https = url.scheme == "https"
        self._host = url.hostname
        self._port = url.port or (443 if self._https else 80)
        host_header = url.hostname if url.port is None else f"{url.hostname}:{url.port}"
        credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self._head = (
            f"POST {url.path} HTTP/1.1\r\nHost: {host_header}\r\nAuthorization: Basic {credentials}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n"
            "User-Agent: recruit_sms\r\n"
        ).encode()
        self.timeout = timeout
        self._clock = clock
        self._socket = None
        self._reader = None
        self._used_at = 0.0

    def __repr__(self):  # never the credentials
        return f"<TwilioClient {self._host}:{self._port}>"

    def _connect(self):
        sock = socket.create_connection((self._host, self._port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._https:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self._host)
        self._socket, self._reader = sock, sock.makefile("rb")

    def close(self):
        if self._socket is not None:
            self._reader.close()
            self._socket.close()
            self._socket = self._reader = None

    def post_message(self, form):
        """POST one message; returns (HTTP status, JSON answer as a dict).

        Raises OSError when the service cannot be reached, does not answer within
        ``timeout`` or answers garbage: the caller treats that as transient. A request is
        sent again only when it could not even be written on a reused connection (the
        server had closed it), never once it may have reached the service.
        """
        body = form_encode(form).encode()
        request = self._head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        if self._socket is not None and self._clock() - self._used_at > IDLE_RECONNECT:
            self.close()
        for reused in (self._socket is not None, False):
            if self._socket is None:
                self._connect()
            try:
                self._socket.sendall(request)
                break
            except OSError:
                self.close()
                if not reused:
                    raise
        self._ack_at_once()
        try:
            status, keep_alive, raw = self._read_answer()
        except (OSError, ValueError) as error:
            self.close()
            raise error if isinstance(error, OSError) else ProtocolError(str(error)) from error
        self._used_at = self._clock()
        if not keep_alive:
            self.close()
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {}
        return status, payload if isinstance(payload, dict) else {}

    def _ack_at_once(self):
        """Acknowledge the answer's segments as they come (Linux). A server that writes its
        answer's head and body apart, with Nagle's algorithm on, holds the body until the
        head is acknowledged: with delayed acknowledgements that costs 40 ms a message, and
        a worker woken from idle twice per message, for nothing."""
        if hasattr(socket, "TCP_QUICKACK"):
            with contextlib.suppress(OSError):  # an optimisation only: never a reason to resend
                self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)

    def _line(self):
        line = self._reader.readline(_MAX_LINE + 1)
        if not line:
            raise ProtocolError("connection closed by the service")
        if len(line) > _MAX_LINE:
            raise ProtocolError("answer line too long")
        return line

    def _read_answer(self):
        """(status, whether the connection stays open, body bytes) of one answer."""
        while True:
            version, status, _reason = (self._line().decode("latin-1").rstrip("\r\n") + "  ").split(" ", 2)
            if not version.startswith("HTTP/1."):
                raise ProtocolError(f"not an HTTP answer: {version[:20]!r}")
            status = int(status)
            headers = {}
            for _ in range(_MAX_HEADERS + 1):
                line = self._line()
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            else:
                raise ProtocolError("too many headers")
            if status >= 200:
                break  # 1xx answers (100 Continue) precede the real one
        connection = headers.get("connection", "").lower()
        keep_alive = "close" not in connection and (version != "HTTP/1.0" or "keep-alive" in connection)
        if status in (204, 304):
            return status, keep_alive, b""
        if "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = []
            while size := int(self._line().split(b";")[0].strip(), 16):
                chunks.append(self._read_exactly(size))
                self._line()
            while self._line() not in (b"\r\n", b"\n"):  # trailers
                pass
            return status, keep_alive, b"".join(chunks)
        if "content-length" in headers:
            return status, keep_alive, self._read_exactly(int(headers["content-length"]))
        return status, False, self._reader.read()  # until the service closes

    def _read_exactly(self, size):
        data = self._reader.read(size)
        if len(data) != size:
            raise ProtocolError("answer shorter than announced")
        return data
