"""Print what the last dbt build loaded from each extract.

Reads the model audit_extract_rows of a built warehouse and prints, per
extract, the raw rows and how many of them are clean, rejected (by reason)
and superseded duplicates (older exports and identical re-sends).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import duckdb

Row = tuple[str, str, str | None, int]


def read_audit(database: Path) -> list[Row]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            "select extract_name, row_status, reason, row_count "
            "from audit.audit_extract_rows"
        ).fetchall()


def format_report(rows: list[Row]) -> str:
    """A table of counts per extract, then the rejects and duplicates by reason."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    reasons: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for extract, status, reason, count in rows:
        totals[extract][status] += count
        if reason is not None:
            reasons[extract].append((status, reason, count))

    header = f"{'extract':<22}{'raw':>9}{'clean':>9}{'rejected':>10}{'duplicates':>12}"
    lines = ["Loaded extracts:", header, "-" * len(header)]
    for extract in sorted(totals):
        counts = totals[extract]
        raw = sum(counts.values())
        lines.append(
            f"{extract:<22}{raw:>9}{counts['clean']:>9}"
            f"{counts['rejected']:>10}{counts['superseded']:>12}"
        )
    lines += ["", "Rejected rows and duplicates by reason:"]
    for extract in sorted(reasons):
        for status, reason, count in sorted(reasons[extract]):
            label = "rejected" if status == "rejected" else "duplicate"
            lines.append(f"  {extract:<22}{label:<11}{reason:<32}{count:>7}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", type=Path, help="the built DuckDB file")
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"load_report: no warehouse at {args.database}", file=sys.stderr)
        return 1
    print(format_report(read_audit(args.database)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
