from pathlib import Path

import duckdb
import pytest

from scripts.hold_back import last_full_date


def write_arrivals(directory: Path, arrivals: list[str]) -> None:
    (directory / "raw_contacts").mkdir()
    target = directory / "raw_contacts" / "part-000.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            "copy (select unnest(?) as arrived_at) to ? (format parquet)",
            [arrivals, str(target)],
        )


@pytest.mark.parametrize(
    ("last_arrivals", "held"),
    [
        # the last date holds 3 arrivals, the mean per date is 3: held back
        (
            [
                "2026-09-08 09:00:00+08",
                "2026-09-08 10:00:00+08",
                "2026-09-08 11:00:00+08",
            ],
            "2026-09-08",
        ),
        # 1 arrival (16:30Z is 09-08 00:30 locally), the mean is 7 / 3: below
        # half of it, so 09-07 is the last full date
        (["2026-09-07 16:30:00Z"], "2026-09-07"),
    ],
)
def test_last_full_date_skips_a_sliver_of_a_date(
    tmp_path: Path, last_arrivals: list[str], held: str
) -> None:
    write_arrivals(
        tmp_path,
        [
            "2026-09-06 09:00:00+08",
            "2026-09-06 10:00:00+08",
            "2026-09-06 11:00:00+08",
            "2026-09-07 09:00:00+08",
            "2026-09-07 10:00:00+08",
            "2026-09-07 11:00:00+08",
            # no UTC offset: staging rejects it, the split does not count it
            "2026-09-09 09:00:00",
            *last_arrivals,
        ],
    )
    with duckdb.connect() as connection:
        assert last_full_date(connection, tmp_path, "Asia/Shanghai").isoformat() == held
