"""News source: feeds, politeness, limits and the dedupe parameters."""

# The sample archive: feeds in news/, the article pages they link to in news/pages/<host>/,
# named by the last segment of the article's path (see sample_page()).
SAMPLE_FEED_GLOB = "news/*.xml"
SAMPLE_PAGES_DIR = "news/pages"

# Landing suffix of every news payload. One suffix per source, and a news source lands feeds
# and pages alike: ".xml" would be wrong for the pages, ".html" for the feeds, so the neutral
# ".news" says "sniff me", which is what parse() does.
SUFFIX = ".news"

# Seconds between two requests to one host in the live profile; a robots.txt Crawl-delay
# raises it, up to MAX_HOST_DELAY (a longer one is not worth a night's run: skip the host).
HOST_DELAY = 5.0
MAX_HOST_DELAY = 60.0

# Larger payloads are refused before any parsing: a feed of a few hundred items is well under
# 2 MB, an article page rarely over 1 MB; the HTTP cap (200 MB) is sized for the workbooks.
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024

# Query parameters that only track the reader (campaigns, click ids, newsletters); the
# canonical URL drops them. Names are compared lower-cased; the prefixes cover families.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "cmp",
        "icid",
        "ocid",
        "cmpid",
        "smid",
        "ref_src",
        "taid",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_")

# Near-duplicate fingerprints: MinHash of word 3-shingles, NUM_PERM slots (the similarity
# threshold and why is in sql/pipeline/news_articles/publish.sql). Changing any of these changes
# every fingerprint: bump FINGERPRINT_VERSION, which is part of the stored value.
SHINGLE_WORDS = 3
NUM_PERM = 64
FINGERPRINT_VERSION = "mh1"

# Texts shorter than this many characters get no language: a detector guesses on a headline.
MIN_LANGUAGE_CHARS = 40
