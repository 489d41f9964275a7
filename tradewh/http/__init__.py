"""The project's only way to the network: every source fetches through :class:`HttpClient`.

- ``client``: the client (timeouts, retries with backoff, size cap, conditional GET);
- ``redaction``: secrets never reach a message, a log line or the ledger;
- ``file_transport``: ``file://`` served like HTTP, so the sample profile runs the live code;
- ``deadline``: a deadline for each attempt as a whole (a trickling server cannot hold a run).
"""

from tradewh.http.client import HttpClient
from tradewh.http.file_transport import FileAdapter
from tradewh.http.outcomes import FetchError, FetchResult
from tradewh.http.redaction import redact_url

__all__ = ["FetchError", "FetchResult", "FileAdapter", "HttpClient", "redact_url"]
