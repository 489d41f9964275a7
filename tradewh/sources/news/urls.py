"""Canonical article addresses: the dedupe key of an article."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from tradewh.sources.news.constants import TRACKING_PARAMS, TRACKING_PREFIXES

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The address with tracking parameters and the fragment dropped, scheme and host
    lower-cased, the default port and an empty path normalised, the remaining parameters
    sorted (their order carries no meaning). Path case is kept: servers may tell it apart."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    netloc = host
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    )
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def resolve_canonical(page_url: str, declared: str | None) -> str:
    """The page's own rel=canonical when it declares a web address, else its fetched address;
    canonicalised either way (publishers put campaign tags even in rel=canonical)."""
    if declared:
        target = urljoin(page_url, declared.strip())
        if urlsplit(target).scheme in ("http", "https"):
            return canonical_url(target)
    return canonical_url(page_url)
