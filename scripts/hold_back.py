"""Hold back the last day of an extract directory, to rehearse a daily load.

`split_last_day` splits a Parquet extract directory (either layout of the
"Extract directory" contract: `<dir>/<extract>/*.parquet` or
`<dir>/<extract>.parquet`) into a history directory and the rows of the last
full local date of `raw_contacts.arrived_at` (and of any sliver of a date
after it). Building the warehouse on the
history, appending the held-back day and building again is what an
incremental run of the facts sees in production.

The time-split extracts are cut by their own instant; a row on or after the
held-back date goes to `<last_day>/<extract>/last-day.parquet`, so that the
history holds nothing later than the day before (a survey answered the day
after the last contact arrives with that day). Rows whose instant is empty
or does not parse stay in history (staging rejects them either way). The
reference extracts (roster, ESAT, costs, revenue, fx rates) are not cut.

"Appending the day" is copying `<last_day>/<extract>/last-day.parquet` into
`<history>/<extract>/`: `append_last_day` does it.

    python scripts/hold_back.py split SOURCE HISTORY LAST_DAY
    python scripts/hold_back.py append HISTORY LAST_DAY
"""

from __future__ import annotations

import argparse
import datetime
import logging
import shutil
import sys
import time
from pathlib import Path

import duckdb

log = logging.getLogger("hold_back")

# The extracts cut by a row's own instant, and that instant's column.
TIME_SPLIT_COLUMNS: dict[str, str] = {
    "raw_contacts": "arrived_at",
    "raw_agent_states": "started_at",
    "raw_surveys": "responded_at",
    "raw_qa_evaluations": "evaluated_at",
    "raw_cases": "opened_at",
}
# The extracts that go to history whole.
WHOLE_EXTRACTS: tuple[str, ...] = (
    "raw_agents",
    "raw_employee_surveys",
    "raw_costs",
    "raw_revenue",
    "fx_rates",
)
EXTRACTS: tuple[str, ...] = (*TIME_SPLIT_COLUMNS, *WHOLE_EXTRACTS)
LAST_DAY_FILE = "last-day.parquet"


def extract_files(source: Path, extract: str) -> list[Path]:
    """The Parquet files of one extract: `<extract>/*.parquet`, else the
    single `<extract>.parquet` (the order dbt's raw_extract macro tries)."""
    parts = sorted((source / extract).glob("*.parquet"))
    if parts:
        return parts
    single = source / f"{extract}.parquet"
    if single.is_file():
        return [single]
    raise FileNotFoundError(
        f"extract {extract}: no file matches {source / extract}/*.parquet nor {single}"
    )


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _file_list(files: list[Path]) -> str:
    return "[" + ", ".join(_sql_string(str(file)) for file in files) + "]"


# The contract's ISO 8601 instant with a mandatory UTC offset: the regular
# expression of parse_timestamp in macros/staging/parse.sql. DuckDB's cast
# alone would read a value without an offset as UTC; staging rejects it.
INSTANT_PATTERN = (
    "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?"
    "([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)"
)


def _local_date(column: str, center_timezone: str) -> str:
    """SQL: the local date of a text instant; null when staging could not
    parse it (empty, no UTC offset, not a date-time)."""
    text = f'trim(cast("{column}" as varchar))'
    return (
        f"case when regexp_full_match({text}, {_sql_string(INSTANT_PATTERN)}) "
        f"then cast(timezone({_sql_string(center_timezone)}, "
        f"try_cast({text} as timestamptz)) as date) end"
    )


def _is_held(column: str, center_timezone: str, held_date: datetime.date) -> str:
    """SQL: the row's instant falls on or after the held-back local date; an
    unparseable instant is not held back."""
    local_date = _local_date(column, center_timezone)
    return f"coalesce({local_date} >= date '{held_date.isoformat()}', false)"


def _copy(
    connection: duckdb.DuckDBPyConnection, files: list[Path], where: str, target: Path
) -> int:
    """COPY the rows of `files` matching `where` to the Parquet file `target`;
    returns the number of rows written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    query = (
        f"select * from read_parquet({_file_list(files)}, union_by_name = true) "
        f"where {where}"
    )
    result = connection.execute(
        f"copy ({query}) to {_sql_string(str(target))} (format parquet)"
    ).fetchone()
    return int(result[0]) if result else 0


def _count(connection: duckdb.DuckDBPyConnection, file: Path) -> int:
    row = connection.execute(
        f"select count(*) from read_parquet({_sql_string(str(file))})"
    ).fetchone()
    return int(row[0]) if row else 0


def _ensure_empty(directory: Path) -> None:
    if directory.is_dir() and any(directory.glob("*.parquet")):
        raise FileExistsError(f"{directory} already holds Parquet files")


def last_full_date(
    connection: duckdb.DuckDBPyConnection, source: Path, center_timezone: str
) -> datetime.date:
    """The last local date of a parseable `raw_contacts.arrived_at` with a
    day's worth of arrivals: at least half the mean per date. An extract
    that ends just past midnight (the 10M benchmark set ended with 2
    contacts of a new date) would otherwise hold back a sliver, which is no
    daily load."""
    files = extract_files(source, "raw_contacts")
    local_date = _local_date("arrived_at", center_timezone)
    row = connection.execute(
        f"""
        with per_date as (
            select {local_date} as local_date, count(*) as arrivals
            from read_parquet({_file_list(files)}, union_by_name = true)
            where {local_date} is not null
            group by 1
        )
        select max(local_date)
        from per_date
        where arrivals >= (select avg(arrivals) / 2 from per_date)
        """
    ).fetchone()
    if row is None or row[0] is None:
        raise ValueError(f"{source}: raw_contacts has no parseable arrived_at")
    last_day: datetime.date = row[0]
    return last_day


def split_last_day(
    source: Path,
    history: Path,
    last_day: Path,
    center_timezone: str = "Asia/Shanghai",
) -> datetime.date:
    """Write `history/<extract>/<part>.parquet` with every row but the
    held-back ones, and `last_day/<extract>/last-day.parquet` with the rows
    of the time-split extracts whose instant falls on or after the last
    full local arrival date of raw_contacts (in `center_timezone`;
    last_full_date). Each source
    file keeps its name in history (a single `<extract>.parquet` becomes
    `<extract>/part-000.parquet`). Returns the held-back date."""
    for extract in EXTRACTS:
        _ensure_empty(history / extract)
        _ensure_empty(last_day / extract)
    connection = duckdb.connect()
    try:
        held_date = last_full_date(connection, source, center_timezone)
        log.info("holding back %s (local dates in %s)", held_date, center_timezone)
        for extract in EXTRACTS:
            started = time.perf_counter()
            files = extract_files(source, extract)
            column = TIME_SPLIT_COLUMNS.get(extract)
            held = _is_held(column, center_timezone, held_date) if column else ""
            kept = moved = 0
            for file in files:
                in_folder = file.parent == source / extract
                target = (
                    history / extract / (file.name if in_folder else "part-000.parquet")
                )
                if column is None:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(file, target)
                    kept += _count(connection, target)
                else:
                    kept += _copy(connection, [file], f"not {held}", target)
            if column is not None:
                moved = _copy(
                    connection, files, held, last_day / extract / LAST_DAY_FILE
                )
            log.info(
                "%s: %d rows to history, %d held back (%.1f s)",
                extract,
                kept,
                moved,
                time.perf_counter() - started,
            )
    finally:
        connection.close()
    return held_date


def append_last_day(history: Path, last_day: Path) -> None:
    """Append the held-back day: copy every `last_day/<extract>/last-day.parquet`
    into `history/<extract>/`."""
    for held in sorted(last_day.glob(f"*/{LAST_DAY_FILE}")):
        target = history / held.parent.name
        if not target.is_dir():
            raise FileNotFoundError(f"{target} is not an extract directory")
        shutil.copy2(held, target / LAST_DAY_FILE)
        log.info("appended %s", target / LAST_DAY_FILE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Hold back the last local day of contact arrivals of a "
        "Parquet extract directory, and append it again."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    split = commands.add_parser(
        "split", help="split SOURCE into HISTORY and LAST_DAY; prints the date"
    )
    split.add_argument("source", type=Path, help="extract directory (Parquet)")
    split.add_argument("history", type=Path, help="where the history goes")
    split.add_argument("last_day", type=Path, help="where the held-back day goes")
    split.add_argument(
        "--center-timezone",
        default="Asia/Shanghai",
        help="time zone of the local dates (dbt var center_timezone)",
    )
    append = commands.add_parser(
        "append", help="copy the held-back day of LAST_DAY into HISTORY"
    )
    append.add_argument("history", type=Path)
    append.add_argument("last_day", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        if args.command == "append":
            append_last_day(args.history, args.last_day)
        else:
            held = split_last_day(
                args.source, args.history, args.last_day, args.center_timezone
            )
            print(held.isoformat())
    except (OSError, ValueError, duckdb.Error) as error:
        print(f"hold_back: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
