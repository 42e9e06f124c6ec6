"""Twilio webhook signatures.

Twilio signs each webhook with HMAC-SHA1 of the URL it called followed by the sorted POST
parameters, keyed with the account's Auth Token (``X-Twilio-Signature``). The expected value
is computed with twilio's own ``RequestValidator`` and compared in constant time. Like
Twilio's validator, the URL is tried as given and with its default port added or removed,
since proxies differ in how they report it.
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
