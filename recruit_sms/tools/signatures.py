"""Twilio webhook signatures.

Twilio signs each webhook with HMAC-SHA1 of the URL it called followed by the sorted POST
parameters, keyed with the account's Auth Token (``X-Twilio-Signature``). The expected value
is computed with twilio's own ``RequestValidator`` and compared in constant time. Like
Twilio's validator, the URL is tried as given and with its default port added or removed,
since proxies differ in how they report it.

Twilio signs the URL it called, query string included: ``webhook_url`` rebuilds it from
the public base URL, the route and the query string exactly as received.
"""

import hmac
from urllib.parse import urlsplit, urlunsplit

from twilio.request_validator import RequestValidator

DEFAULT_PORTS = {"http": 80, "https": 443}


def url_variants(url):
    """The URL as given, plus the same URL with the default port toggled."""
    parts = urlsplit(url)
    default = DEFAULT_PORTS.get(parts.scheme)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if parts.port is None and default:
        other = parts._replace(netloc=f"{host}:{default}")
    elif parts.port == default:
        other = parts._replace(netloc=host)
    else:
        return [url]
    return [url, urlunsplit(other)]


def webhook_url(base_url, path, query_string=""):
    """The URL Twilio called and signed: the public ``base_url`` (scheme, host and any
    prefix), the route's ``path``, then ``query_string`` as received, when there is one."""
    url = base_url.rstrip("/") + "/" + path.lstrip("/")
    return f"{url}?{query_string}" if query_string else url


def is_valid_twilio_signature(auth_token, url, params, signature):
    """True when ``signature`` is Twilio's signature of ``url`` and ``params``."""
    if not auth_token or not signature:
        return False
    validator = RequestValidator(auth_token)
    matched = False
    for candidate in url_variants(url):
        expected = validator.compute_signature(candidate, params)
        # compare every variant, so the time taken does not depend on which one matched
        matched |= hmac.compare_digest(expected.encode(), signature.encode())
    return matched
