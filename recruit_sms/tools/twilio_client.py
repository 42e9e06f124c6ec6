"""The HTTP session recruit_sms reaches Twilio's Messages API (or a Twilio-compatible
service) through: ``requests``, whose connection pool (urllib3) keeps one connection
alive across the sends of a batch or of a whole campaign run."""

import os
import time
from dataclasses import dataclass

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies

from . import twilio_api


def open_session(api_url, connections=1):
    """A ``requests.Session`` for sends to ``api_url``.

    The environment's proxy settings (``HTTPS_PROXY``, ``NO_PROXY``...) and CA bundle
    (``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``) are read once, here, for that host: by
    default ``requests`` reads them again for every request, walking the whole process
    environment twice (0.63 against 0.52 ms of CPU a request to a loopback Twilio
    stand-in). Every request of recruit_sms carries its credentials, so ``.netrc``, the
    one other thing the environment could give, is never read anyway. ``connections``:
    how many requests may be in flight at once (the pool keeps that many alive)."""
    session = requests.Session()
    if connections > 1:  # as many keep-alive connections as requests in flight at once
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=connections)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
    session.proxies.update(get_environ_proxies(twilio_api.normalize_api_url(api_url)))
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    session.trust_env = False
    return session


# urllib3's errors of a connection that was never made (a name that does not resolve is
# a NewConnectionError before urllib3 2)
_NEVER_CONNECTED = tuple(error for error in (
    urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError,
    getattr(urllib3.exceptions, "NameResolutionError", None)) if error)
NOT_SENT, AMBIGUOUS = twilio_api.NOT_SENT, twilio_api.AMBIGUOUS


@dataclass(frozen=True)
class Reply:
    """What one request got: the HTTP status and JSON answer (``payload`` None when the
    answer is not JSON), or no answer (``status`` 0) and what that proves (``failure``)."""

    status: int = 0
    payload: object = None
    failure: str | None = None
    seconds: float = 0.0  # how long it took

    @property
    def ok(self):
        return 200 <= self.status < 300


def failure_of(error):
    """NOT_SENT or AMBIGUOUS for a ``requests`` exception."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return NOT_SENT
    if isinstance(error, requests.exceptions.ConnectionError):
        cause = error.args[0] if error.args else None
        reason = getattr(cause, "reason", cause)  # urllib3's MaxRetryError wraps what happened
        if isinstance(reason, _NEVER_CONNECTED):
            return NOT_SENT  # refused, unreachable or unresolved: no byte of the request went
    # a TLS error may come as the answer is read, not only at the handshake: not proof either
    return AMBIGUOUS  # a read timeout, a connection reset or closed once the request was written


def reply_of(response, failure=None, seconds=0.0):
    """A ``Reply`` of a ``requests`` response (or None, with the ``failure`` it had)."""
    if response is None:
        return Reply(failure=failure or AMBIGUOUS, seconds=seconds)
    try:
        payload = response.json()
    except ValueError:  # a proxy's or a captive portal's page
        payload = None
    return Reply(status=response.status_code, payload=payload, seconds=seconds)


def post(session, url, data, auth, timeout):
    """POST ``data`` to ``url`` and return its ``Reply``; never raises. Safe to call from
    a worker thread: it touches nothing but the session (a thread-safe pool)."""
    return _request(session.post, url, auth, timeout, data=data)


def get(session, url, auth, timeout, params=None):
    """GET ``url`` and return its ``Reply``, as ``post`` does (a page of a list, the
    account's resource)."""
    return _request(session.get, url, auth, timeout, params=params)


def _request(method, url, auth, timeout, **kwargs):
    started = time.monotonic()
    try:
        response = method(url, auth=auth, timeout=timeout, **kwargs)
    except requests.exceptions.RequestException as error:
        return Reply(failure=failure_of(error), seconds=time.monotonic() - started)
    except Exception:  # anything else may have come after the request went: unconfirmed
        return Reply(failure=AMBIGUOUS, seconds=time.monotonic() - started)
    return reply_of(response, seconds=time.monotonic() - started)
