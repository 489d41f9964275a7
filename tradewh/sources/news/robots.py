"""robots.txt, fetched through tradewh.http (live profile only: the sample reads files)."""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from tradewh.http import FetchError, HttpClient


class Robots:
    """The robots.txt rules of the hosts asked about, each fetched once.

    RFC 9309: a robots.txt that is missing (4xx) allows everything; one that cannot be had
    (5xx, network failure) forbids everything, since the site may be saying "stay away".
    """

    def __init__(self, client: HttpClient, user_agent: str) -> None:
        self._client = client
        self._agent = user_agent
        self._rules: dict[str, RobotFileParser] = {}

    def _for(self, url: str) -> RobotFileParser:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._rules:
            rules = RobotFileParser()
            try:
                result = self._client.get(origin + "/robots.txt")
                rules.parse(result.content.decode("utf-8", errors="replace").splitlines())
            except FetchError as exc:
                if exc.status is not None and 400 <= exc.status < 500:
                    rules.allow_all = True
                else:
                    rules.disallow_all = True
            self._rules[origin] = rules
        return self._rules[origin]

    def allowed(self, url: str) -> bool:
        return self._for(url).can_fetch(self._agent, url)

    def crawl_delay(self, url: str) -> float | None:
        delay = self._for(url).crawl_delay(self._agent)
        return float(delay) if delay is not None else None
