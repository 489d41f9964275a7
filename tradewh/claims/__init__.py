"""Claims: the trade figures news articles quote, read into core.news_claims and checked against
the official figures by marts.claim_check."""

from tradewh.claims.extract import extract_claims
from tradewh.claims.model import EXTRACTOR_VERSION, Claim

__all__ = ["EXTRACTOR_VERSION", "Claim", "extract_claims"]
