"""Secrets never leave the process: redaction of URLs, free text and urllib3's own log lines."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit, urlunsplit

_REDACTED = "***"

_SECRET_PARAM_NAMES = (
    "access_token",
    "signature",
    "password",
    "api_key",
    "apikey",
    "secret",
    "token",
    "key",
    "sig",
)
# The same names in free text ("... url: /x?api_key=abc HTTP/1.1"): urllib3's debug lines and
# exception messages carry raw URLs, and a redirect may bring a secret we were never told about.
# A prefix ending in _ . or - also counts (x-amz-signature, client_secret, x_api_key).
_SECRET_PARAM_RE = re.compile(
    r"(?i)((?<![\w.-])(?:[\w.-]*[_.-])?(?:" + "|".join(_SECRET_PARAM_NAMES) + r")=)[^&\s'\"#;,)]+"
)


def _is_secret_param(name: str) -> bool:
    norm = unquote_plus(name).strip().lower().replace("-", "_").replace(".", "_")
    return any(norm == s or norm.endswith("_" + s) for s in _SECRET_PARAM_NAMES)


def _literal_forms(secrets: Sequence[str]) -> list[str]:
    # A secret can show up raw, percent-encoded in a path, or form-encoded in a query.
    forms = {f for s in secrets if s for f in (s, quote(s, safe=""), quote_plus(s))}
    return sorted(forms, key=len, reverse=True)


def _replace_literals(text: str, secrets: Sequence[str]) -> str:
    for form in _literal_forms(secrets):
        text = text.replace(form, _REDACTED)
    return text


def redact_text(text: str, secrets: Sequence[str] = ()) -> str:
    """Redact secrets from free text (exception messages, response bodies, log lines)."""
    text = _replace_literals(text, secrets)
    return _SECRET_PARAM_RE.sub(lambda m: m.group(1) + _REDACTED, text)


def _redact_query_pair(pair: str) -> str:
    name, sep, value = pair.partition("=")
    if sep and value and _is_secret_param(name):
        return f"{name}={_REDACTED}"
    return pair


def redact_url(url: str, secrets: Sequence[str] = ()) -> str:
    """Remove secrets from a URL.

    Values of query params whose name looks secret (api_key, key, token, apikey, access_token,
    password, secret, sig, signature — case-insensitive, also with a prefix such as
    ``x-amz-signature`` or ``client_secret``) become '***', any literal secret string in
    `secrets` becomes '***', and user:password@ in the netloc is removed.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        # Unparseable (e.g. a broken IPv6 literal): still never echo a secret.
        return redact_text(url, secrets)
    netloc = parts.netloc.rpartition("@")[2]
    query = "&".join(_redact_query_pair(p) for p in parts.query.split("&")) if parts.query else ""
    if netloc != parts.netloc or query != parts.query:
        # Rebuild only when something changed, so clean URLs come back exactly as given.
        url = urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    return _replace_literals(url, secrets)


def secret_param_values(url: str, params: Mapping[str, str] | None) -> list[str]:
    """Values of secret-looking params, so they are also redacted from bodies and exceptions."""
    values: list[str] = []
    try:
        query = urlsplit(url).query
    except ValueError:
        query = ""
    for pair in query.split("&") if query else ():
        name, sep, value = pair.partition("=")
        if sep and value and _is_secret_param(name):
            values += [value, unquote_plus(value)]
    for name, value in (params or {}).items():
        if value is not None and str(value) and _is_secret_param(str(name)):
            values.append(str(value))
    return values


class _RedactingLogFilter(logging.Filter):
    """Redacts urllib3's own log records, whose debug lines print request paths verbatim."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed third-party record is not ours to break
            return True
        redacted = redact_text(message, tuple(self.secrets))
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


LOG_FILTER = _RedactingLogFilter()
for _name in ("urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry"):
    logging.getLogger(_name).addFilter(LOG_FILTER)
