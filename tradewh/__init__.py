"""tradewh: a trade-statistics warehouse (fetch, land, validate, publish, derive)."""

__version__ = "0.1.0"
