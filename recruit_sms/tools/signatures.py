"""Twilio webhook signatures.

Twilio signs each webhook with HMAC-SHA1 of the URL it called followed by the sorted POST
parameters (every value of a repeated one), keyed with the account's Auth Token
(``X-Twilio-Signature``). A request is accepted exactly when twilio's own
``RequestValidator.validate`` accepts it: the URL with its port and without any port
(proxies differ in how they report it), the parameters as the MultiDict they came in,
each candidate compared in constant time.

Twilio signs the URL it called, query string included: ``webhook_url`` rebuilds it from
the public base URL, the route and the query string exactly as received.
"""

from twilio.request_validator import RequestValidator


def webhook_url(base_url, path, query_string=""):
    """The URL Twilio called and signed: the public ``base_url`` (scheme, host and any
    prefix), the route's ``path``, then ``query_string`` as received, when there is one."""
    url = base_url.rstrip("/") + "/" + path.lstrip("/")
    return f"{url}?{query_string}" if query_string else url


def is_valid_twilio_signature(auth_token, url, params, signature):
    """True when ``signature`` is Twilio's signature of ``url`` and ``params`` (a dict, or
    a MultiDict whose repeated keys all count)."""
    if not auth_token or not signature or not isinstance(signature, str):
        return False
    return RequestValidator(auth_token).validate(url, params, signature)
