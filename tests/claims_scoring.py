"""Scoring the extractor on a labelled set of articles (tests/fixtures/claims*/).

A set is a folder of NAME.txt articles and one expected.json: per article its publication date,
the claims a careful reader lists and, optionally, traps (figures that must not be read as US
trade claims: forecasts, another country's statistics, converted currency, prices). A label
may tag the failure kinds of issue 15 it exercises (`kinds`, 1-10; 11 = a release line's share
of a partner's balance, issue 14).

A predicted claim is correct when a label of the same article has the same span (the
`occurrence`-th occurrence of its quoted_text, default the first) and the same kind, metric,
value_musd (as decimals), partner_code, period, period kind and series, and the percent where
the label gives one (a share's figure, to 4 decimals: "two-thirds" is 66.6667). Labels without
a period kind take it from their frequency (M month, Q quarter, A year); without a series,
headline.
Run as `python -m tests.claims_scoring tests/fixtures/claims_dev` to print the scores.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from tradewh.claims import Claim, extract_claims

_KIND_OF_FREQUENCY = {"M": "month", "Q": "quarter", "A": "year"}
KIND_NAMES = {
    1: "units",
    2: "which date is the period",
    3: "which partner",
    4: "change phrasing",
    5: "cumulative and annualized",
    6: "non-headline series",
    7: "metric and direction",
    8: "another country's statistics",
    9: "actuals vs expectations",
    10: "shares",
    11: "release-line shares",
}


def _key(d: dict, percent: bool = False) -> tuple:
    value = d["value_musd"]
    kind = d.get("period_kind") or _KIND_OF_FREQUENCY.get(d.get("frequency") or "")
    share = d.get("percent")
    share = None if share is None else Decimal(str(share)).quantize(Decimal("0.0001")).normalize()
    return (
        d["quoted_text"],
        d["kind"],
        d["metric"],
        None if value is None else Decimal(str(value)).normalize(),
        d["partner_code"],
        d["period"],
        kind if d["period"] else None,
        d.get("series") or "headline",
        *((share,) if percent else ()),
    )


def claim_dict(claim: Claim) -> dict:
    """The fields a label is compared on, from a predicted claim."""
    return {
        "quoted_text": claim.quoted_text,
        "kind": claim.kind,
        "metric": claim.metric,
        "value_musd": claim.value_musd,
        "partner_code": claim.partner_code,
        "period": claim.period.isoformat() if isinstance(claim.period, date) else None,
        "frequency": claim.frequency,
        "period_kind": getattr(claim, "period_kind", None),
        "series": getattr(claim, "series", None),
        "percent": claim.percent,
    }


@dataclass
class Tally:
    correct: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


@dataclass
class Score:
    total: Tally = field(default_factory=Tally)
    by_kind: dict[int, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    # Claims the check compares with an official figure (resolved, certain, headline, ATP or
    # the autos line, not an annual rate), and how many of those are read wrong: each could be
    # a false "differs" against correct journalism.
    checkable: int = 0
    checkable_wrong: int = 0


def _checkable(claim: Claim) -> bool:
    return (
        claim.metric in ("balance", "exports", "imports")
        and claim.partner_code is not None
        and claim.period is not None
        and claim.series in ("headline", "atp", "autos")
        and claim.period_kind != "annualized"
        and not claim.uncertain
        and (
            claim.kind not in ("share", "component_share")
            or claim.share_of in ("balance", "exports", "imports")
        )
    )


def _span(text: str, quoted: str, occurrence: int) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quoted, start + 1)
    return start, start + len(quoted)


def score(directory: Path) -> Score:
    expected = json.loads((directory / "expected.json").read_text())
    result = Score()
    for name, article in expected.items():
        text = (directory / f"{name}.txt").read_text()
        labels = {
            _span(text, c["quoted_text"], c.get("occurrence", 0)): c for c in article["claims"]
        }
        traps = {
            _span(text, t["quoted_text"], t.get("occurrence", 0)): t
            for t in article.get("traps", [])
        }
        got = extract_claims(text, date.fromisoformat(article["published"]))
        result.total.predicted += len(got)
        result.total.expected += len(labels)
        for label in labels.values():
            for k in label.get("kinds", []):
                result.by_kind.setdefault(k, Tally()).expected += 1
        found = set()
        for claim in got:
            span = (claim.start_char, claim.end_char)
            label = labels.get(span)
            tagged = (label or traps.get(span) or {}).get("kinds", [])
            for k in tagged:
                result.by_kind.setdefault(k, Tally()).predicted += 1
            mine = claim_dict(claim)
            checkable = _checkable(claim)
            result.checkable += checkable
            percent = label is not None and "percent" in label
            if label is not None and _key(mine, percent) == _key(label, percent):
                result.total.correct += 1
                found.add(span)
                for k in tagged:
                    result.by_kind[k].correct += 1
            else:
                result.checkable_wrong += checkable
                result.wrong.append(
                    f"{name}: got {_key(mine, True)} want {label and _key(label, True)}"
                )
        result.misses += [f"{name}: {_key(c)}" for span, c in labels.items() if span not in found]
    return result


def report(directory: Path, verbose: bool = False) -> str:
    s = score(directory)
    t = s.total
    lines = [
        f"{directory.name}: {t.correct} correct of {t.predicted} predicted, {t.expected} "
        f"expected: precision {t.precision:.3f}, recall {t.recall:.3f}"
    ]
    lines.append(
        f"  checked with certainty {s.checkable}, of which read wrong {s.checkable_wrong} "
        f"({s.checkable_wrong / max(s.checkable, 1):.1%}): the bound on false differs"
    )
    for k in sorted(s.by_kind):
        kt = s.by_kind[k]
        lines.append(
            f"  kind {k:2} {KIND_NAMES[k]:30} labelled {kt.expected:3}  predicted {kt.predicted:3}"
            f"  precision {kt.precision:.3f}  recall {kt.recall:.3f}"
        )
    if verbose:
        lines += ["wrong:"] + s.wrong + ["missed:"] + s.misses
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(Path(sys.argv[1]), verbose="-v" in sys.argv))
