"""The HTTP session recruit_sms reaches Twilio's Messages API (or a Twilio-compatible
service) through: ``requests``, whose connection pool (urllib3) keeps one connection
alive across the sends of a batch or of a whole campaign run."""

import os

import requests
from requests.utils import get_environ_proxies

from . import twilio_api


def open_session(api_url):
    """A ``requests.Session`` for sends to ``api_url``.

    The environment's proxy settings (``HTTPS_PROXY``, ``NO_PROXY``...) and CA bundle
    (``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``) are read once, here, for that host: by
    default ``requests`` reads them again for every request, walking the whole process
    environment twice (0.63 against 0.52 ms of CPU a request to a loopback Twilio
    stand-in). Every request of recruit_sms carries its credentials, so ``.netrc``, the
    one other thing the environment could give, is never read anyway."""
    session = requests.Session()
    session.proxies.update(get_environ_proxies(twilio_api.normalize_api_url(api_url)))
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    session.trust_env = False
    return session
