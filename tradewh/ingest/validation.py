"""Validate a staged batch with its Great Expectations suite (expectations/<dataset>.json).

Suites stay plain JSON and are loaded into an ephemeral GX context: a file context would write a
gx/ tree and rewrite the suite files. GX runs on a pandas frame of the batch (on DuckDB through
SQLAlchemy its metrics fail). Failures are summarised here for people: which expectation, on
which column, what was observed, and up to 10 sample bad rows.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from tradewh import failpoints
from tradewh.ingest.gx_frame import FrameSource, gx_frame

log = logging.getLogger("tradewh.ingest.validation")

SAMPLE_SIZE = 10
SEVERITY_ORDER = {"info": 0, "warning": 1, "critical": 2}


class SuiteError(RuntimeError):
    """A suite file is broken: unreadable, or holds expectations GX does not know."""


@dataclass(frozen=True)
class Failure:
    expectation: str
    column: str | None
    severity: str
    observed: Any
    unexpected_count: int | None
    samples: list[Any] = field(default_factory=list)
    why: str | None = None
    unexpected_percent: float | None = None

    def describe(self) -> str:
        target = f" on {self.column}" if self.column else ""
        parts = [f"{self.expectation}{target} [{self.severity}]"]
        if self.unexpected_count:
            parts.append(f"{self.unexpected_count} bad rows")
        if self.observed is not None:
            parts.append(f"observed {self.observed}")
        if self.samples:
            parts.append(f"e.g. {', '.join(_sample_text(s) for s in self.samples[:3])}")
        return ": ".join(parts[:1]) + (": " + "; ".join(parts[1:]) if len(parts) > 1 else "")


@dataclass(frozen=True)
class ValidationReport:
    dataset: str
    suite: str
    evaluated: int
    passed: int
    failures: list[Failure]

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def critical_failures(self) -> list[Failure]:
        return [f for f in self.failures if f.severity == "critical"]

    @property
    def success(self) -> bool:
        """True when nothing critical failed: the batch may be published."""
        return not self.critical_failures

    @property
    def max_severity(self) -> str | None:
        if not self.failures:
            return None
        return max((f.severity for f in self.failures), key=SEVERITY_ORDER.__getitem__)

    def message(self) -> str:
        if not self.failures:
            return f"{self.dataset}: all {self.evaluated} checks passed"
        lines = [f"{self.dataset}: {self.failed} of {self.evaluated} checks failed"]
        lines += [f"  - {f.describe()}" for f in self.failures]
        return "\n".join(lines)

    def failures_json(self) -> str:
        return json.dumps([asdict(f) for f in self.failures], default=_jsonable)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()[:10] if _is_midnight(value) else value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def _is_midnight(value: Any) -> bool:
    return not isinstance(value, datetime) or (value.hour, value.minute, value.second) == (0, 0, 0)


def _clean(value: Any) -> Any:
    """Make GX's sample values JSON-friendly and readable (dates as ISO days, NaN as None)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, datetime | date | pd.Timestamp | Decimal) or hasattr(value, "item"):
        return _jsonable(value)
    return value


def _sample_text(sample: Any) -> str:
    if isinstance(sample, dict):
        return "(" + ", ".join(f"{k}={v}" for k, v in sample.items()) + ")"
    return repr(sample)


@cache
def _context() -> Any:
    # Imported on first use: GX costs seconds and hundreds of MB, not wanted by `tradewh sql`.
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX sets INFO on some of its loggers itself (one announces a temporary docs directory on
    # every ephemeral context): quiet them all.
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("great_expectations"):
            logging.getLogger(name).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


def load_suite(path: Path) -> tuple[Any, dict[str, Any]]:
    """The GX suite and its raw JSON; refuses a file whose expectations GX silently dropped."""
    import great_expectations as gx

    try:
        raw = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise SuiteError(f"cannot read suite {path}: {exc}") from exc
    suite = gx.ExpectationSuite(**with_ids(raw))
    # GX logs and drops an unknown expectation type: a typo would silently weaken the suite.
    if len(suite.expectations) != len(raw.get("expectations", [])):
        known = {e.expectation_type for e in suite.expectations}
        dropped = [e["type"] for e in raw["expectations"] if e["type"] not in known]
        raise SuiteError(f"suite {path} has expectations GX does not know: {dropped}")
    return suite, raw


def with_ids(raw: dict[str, Any], positions: list[int] | None = None) -> dict[str, Any]:
    """The suite JSON with each expectation's id its position in the file (as a UUID), unless
    it has one: GX returns results in an order of its own, matched back by id."""
    expectations = raw.get("expectations", [])
    positions = positions if positions is not None else list(range(len(expectations)))
    return {
        **raw,
        "expectations": [
            {**e, "id": e.get("id") or str(uuid.UUID(int=p + 1))}
            for e, p in zip(expectations, positions, strict=True)
        ],
    }


# Expectations whose only inputs are the columns their kwargs name (or none, the row count).
_NAMES_ITS_COLUMNS = ("expect_column_", "expect_compound_columns_", "expect_table_row_count_")
_COLUMN_KWARGS = ("column", "column_A", "column_B", "column_list")


def columns_read(raw: dict[str, Any]) -> set[str] | None:
    """The columns a suite reads (and names failing rows by), or None when it may read any:
    an expectation on the table's columns themselves, or with a row condition."""
    names = set(raw.get("meta", {}).get("row_id_columns", []))
    for expectation in raw.get("expectations", []):
        kwargs = expectation.get("kwargs", {})
        if not str(expectation.get("type", "")).startswith(_NAMES_ITS_COLUMNS) or (
            "row_condition" in kwargs
        ):
            return None
        for key in _COLUMN_KWARGS:
            value = kwargs.get(key)
            if isinstance(value, str):
                names.add(value)
            elif isinstance(value, list):
                names.update(str(v) for v in value)
    return names


def _run_gx(
    frame: pd.DataFrame,
    dataset: str,
    suite: Any,
    row_ids: list[str],
    parameters: dict[str, Any] | None,
) -> list[Any]:
    """GX's results for one frame, in the suite's order."""
    context = _context()
    # One asset per call: names must be unique in the context, and batches are cheap.
    name = f"{dataset}_{id(frame)}"
    source = context.data_sources.add_or_update_pandas(name)
    batch = (
        source.add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
        .get_batch(batch_parameters={"dataframe": frame})
    )
    result = batch.validate(
        suite,
        expectation_parameters=parameters or {},
        result_format={
            "result_format": "SUMMARY",
            "partial_unexpected_count": SAMPLE_SIZE,
            "unexpected_index_column_names": row_ids,
        },
    )
    context.data_sources.delete(name)
    # In the suite's order (GX groups its results its own way): failures read as the suite
    # file does, and the same whichever way each expectation was evaluated (validate_query).
    position = {e.id: i for i, e in enumerate(suite.expectations)}
    return sorted(
        result.results,
        key=lambda item: position.get(item.expectation_config.id, len(position)),
    )


def _failure(config: Any, details: dict[str, Any], exception: dict[str, Any] | None) -> Failure:
    samples = (
        details.get("partial_unexpected_index_list") or details.get("partial_unexpected_list") or []
    )
    if exception and exception.get("raised_exception"):
        samples = [exception.get("exception_message")]
    return Failure(
        expectation=config.type,
        column=config.kwargs.get("column")
        or ",".join(config.kwargs.get("column_list", []))
        or None,
        severity=str(getattr(config.severity, "value", config.severity) or "critical"),
        observed=_clean(details.get("observed_value")),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=details.get("unexpected_percent"),
        samples=_clean(list(samples)[:SAMPLE_SIZE]),
        why=(config.meta or {}).get("why"),
    )


def validate_frame(
    data: FrameSource,
    dataset: str,
    suite_path: Path,
    parameters: dict[str, Any] | None = None,
) -> ValidationReport:
    """The whole suite on one batch held in memory (small batches: the cross-source check)."""
    suite, raw = load_suite(suite_path)
    frame = gx_frame(data, columns_read(raw))
    row_ids = raw.get("meta", {}).get("row_id_columns", [])
    results = _run_gx(frame, dataset, suite, row_ids, parameters)
    failpoints.reach("validate.mid")
    failures = [
        _failure(item.expectation_config, item.result or {}, item.exception_info)
        for item in results
        if not item.success
    ]
    return ValidationReport(
        dataset=dataset,
        suite=raw.get("name", dataset),
        evaluated=len(results),
        passed=len(results) - len(failures),
        failures=failures,
    )
