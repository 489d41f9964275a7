"""tradewh: a trade-statistics warehouse (fetch, land, validate, publish, derive)."""

__version__ = "0.1.0"


def connect(at: str | None = None):  # noqa: ANN201 (duckdb is imported only when called)
    """A read-only DuckDB connection with the warehouse attached and in use: `core`, `marts`
    and `ops` as in the README. `at`: a snapshot id or a time, to read the warehouse as it
    stood then."""
    from tradewh.store.lakeops import parse_at
    from tradewh.warehouse import connect as _connect

    return _connect(at=parse_at(at) if at is not None else None)
