"""The incremental models give what a full refresh gives.

A small clean extract directory is generated and its last local day of
arrivals held back (scripts/hold_back.py). Warehouse A is built on the
history, the day is appended and A is built again incrementally; warehouse
B is built from scratch (--full-refresh) on the same appended files. The
incremental models (the large facts, and the KPI tables that are
incremental when KPIs are tables) must hold the same rows in A and B.

That A's second run really was incremental is shown with two rows of each
model overwritten by hand between A's runs: the one outside the lookback
window must still be wrong afterwards (the run did not rewrite it), the one
inside must be right again (the run rebuilt it). The first is put back
before A is compared with B. (dbt-duckdb reports no rows_affected.)
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from scripts.hold_back import (
    EXTRACTS,
    LAST_DAY_FILE,
    TIME_SPLIT_COLUMNS,
    append_last_day,
    extract_files,
    split_last_day,
)

from .dbt_runner import PROJECT_DIR, run_dbt

TIMEZONE = "Asia/Shanghai"
TAMPERED = "tampered"


@dataclass(frozen=True)
class Tamper:
    """A column of a model, its key, the queries picking a row the
    incremental run must leave alone (outside the lookback window) and one
    it must rebuild ({held_contacts}: the held-back day's contacts file),
    the value written to both, and whether the held-back day adds rows."""

    column: str
    keys: tuple[str, ...]
    old_row: str
    new_row: str
    value: object = TAMPERED
    grows: bool = True


def whole_dates(column: str, date: str, *keys: str) -> Tamper:
    """A KPI table of whole local dates: its first row built; its last."""
    order = ", ".join(keys)
    return Tamper(
        column,
        (date, *keys),
        f"order by {date}, {order} limit 1",
        f"order by {date} desc, {order} limit 1",
        -1,
    )


TAMPERS = {
    # an anonymous contact among the first (no FCR window reaches the new
    # day, no neighbour lookup either); the last arrival already built
    "fct_contacts": Tamper(
        "queue",
        ("contact_id",),
        "where customer_id is null order by ended_at, contact_id limit 1",
        "order by arrived_at desc, contact_id limit 1",
    ),
    # the first slice built; the last one
    "fct_agent_state_intervals": Tamper(
        "state",
        ("agent_id", "slice_start_local"),
        "order by slice_start_local, agent_id limit 1",
        "order by slice_start_local desc, agent_id limit 1",
    ),
    # the first case opened; a case that the held-back day brings a
    # contact of
    "fct_cases": Tamper(
        "contact_count",
        ("case_id",),
        "order by opened_at, case_id limit 1",
        "where case_id in (select trim(case_id) from read_parquet('{held_contacts}')) "
        "order by case_id limit 1",
        -1,
    ),
    # a survey of an anonymous contact among the first (neither the survey
    # nor its contact is written again); a survey of the last contact
    "fct_survey_responses": Tamper(
        "nps_category",
        ("survey_id",),
        "where contact_id in (select contact_id from marts.fct_contacts "
        "where customer_id is null) order by contact_date, survey_id limit 1",
        "order by contact_date desc, survey_id limit 1",
    ),
    # an evaluation of an anonymous contact among the first (neither the
    # evaluation nor its contact is written again); one of the last contact
    "fct_qa_evaluations": Tamper(
        "queue",
        ("evaluation_id",),
        "where contact_id in (select contact_id from marts.fct_contacts "
        "where customer_id is null) order by contact_date, evaluation_id limit 1",
        "where has_clean_contact order by contact_date desc, evaluation_id limit 1",
    ),
    # the customer whose last contact is the earliest (no new row of theirs
    # arrives); a customer of the held-back day's contacts
    "dim_customers": Tamper(
        "contact_count",
        ("customer_id",),
        "order by last_contact_at, customer_id limit 1",
        "where customer_id in (select trim(customer_id) "
        "from read_parquet('{held_contacts}')) order by customer_id limit 1",
        -1,
        # every generated customer has revenue lines, so is known already
        grows=False,
    ),
    # the first interval built; the last one
    "kpi_queue_concurrency": Tamper(
        "peak_contacts_waiting",
        ("interval_start_at", "queue", "channel"),
        "order by interval_start_at, queue, channel limit 1",
        "order by interval_start_at desc, queue, channel limit 1",
        -1,
    ),
    "kpi_staffing_requirement": Tamper(
        "agents_required",
        ("interval_start_local",),
        "order by interval_start_local limit 1",
        "order by interval_start_local desc limit 1",
        -1,
    ),
    "kpi_abandonment": whole_dates("abandoned", "contact_date", "queue", "channel"),
    "kpi_handle_time": whole_dates("handled", "contact_date", "queue", "channel"),
    "kpi_repeat_contacts": whole_dates(
        "repeat_contacts", "contact_date", "queue", "channel"
    ),
    "kpi_service_level": whole_dates("offered", "contact_date", "queue", "channel"),
    "kpi_speed_of_answer": whole_dates("handled", "contact_date", "queue", "channel"),
    "kpi_transfer_rate": whole_dates("transferred", "contact_date", "queue", "channel"),
    "kpi_wait_time": whole_dates("queued", "contact_date", "queue", "channel"),
    "kpi_contact_volume": whole_dates(
        "contacts", "contact_date", "queue", "channel", "direction"
    ),
    "kpi_blocked_contacts": whole_dates(
        "inbound_voice_attempts", "contact_date", "queue"
    ),
    "kpi_peak_hour": whole_dates("day_offered", "contact_date", "queue"),
    "kpi_self_service": whole_dates("self_served_or_handled", "contact_date", "queue"),
    "kpi_agent_productivity": whole_dates("handled_contacts", "state_date", "agent_id"),
    "kpi_occupancy": whole_dates("logged_in_seconds", "state_date", "agent_id"),
    "kpi_utilization": whole_dates("logged_in_seconds", "state_date", "agent_id"),
}
MODELS = tuple(TAMPERS)


@dataclass
class Builds:
    history: Path
    last_day: Path
    held_date: datetime.date
    database_a: Path
    database_b: Path
    # wall time of each dbt run, and dbt's execution time of each model
    seconds: dict[str, float] = field(default_factory=dict)
    model_seconds: dict[str, dict[str, float]] = field(default_factory=dict)
    history_rows: dict[str, int] = field(default_factory=dict)
    # the tampered column of each tampered row after A's incremental run
    after_incremental: dict[tuple[str, str], object] = field(default_factory=dict)


def generate(out: Path, *extra: str) -> None:
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "generate_extracts.py"),
            *("--days", "12", "--daily-volume", "150", "--fault-rate", "0"),
            *("--format", "parquet", "--out", str(out), *extra),
        ],
        check=True,
        capture_output=True,
        text=True,
    )


def dbt_run(
    database: Path, extract_dir: Path, *flags: str
) -> tuple[float, dict[str, float]]:
    """`dbt run` of the incremental models and their parents on
    `extract_dir`, KPIs as tables; returns the wall time and dbt's execution
    time of each model."""
    started = time.perf_counter()
    result = run_dbt(
        ["run", "--select", *(f"+{model}" for model in MODELS), *flags],
        database,
        {
            "extract_dir": str(extract_dir),
            "extract_format": "parquet",
            "kpi_materialization": "table",
        },
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    run_results = database.parent / "target" / "run_results.json"
    return seconds, {
        entry["unique_id"].rsplit(".", 1)[-1]: round(entry["execution_time"], 2)
        for entry in json.loads(run_results.read_text(encoding="utf-8"))["results"]
        if entry["unique_id"].rsplit(".", 1)[-1] in MODELS
    }


def count(database: Path, table: str) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        row = connection.execute(f"select count(*) from marts.{table}").fetchone()
    assert row is not None
    return int(row[0])


def row_key(
    connection: duckdb.DuckDBPyConnection, model: str, tamper: Tamper, pick: str
) -> tuple[str, list[object]]:
    """A predicate on the key of the row that `pick` selects, and its values."""
    key = connection.execute(
        f"select {', '.join(tamper.keys)} from marts.{model} {pick}"
    ).fetchone()
    assert key is not None, (model, pick)
    return " and ".join(f"{column} = ?" for column in tamper.keys), list(key)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("incremental")
    generate(root / "source")
    history, last_day = root / "history", root / "last_day"
    held_date = split_last_day(root / "source", history, last_day, TIMEZONE)
    # A and B in folders of their own: dbt's target/ (run_results.json) and
    # DuckDB's temp directory sit next to each database.
    builds = Builds(
        history, last_day, held_date, root / "a" / "a.duckdb", root / "b" / "b.duckdb"
    )
    for database in (builds.database_a, builds.database_b):
        database.parent.mkdir()

    builds.seconds["history"], builds.model_seconds["history"] = dbt_run(
        builds.database_a, history
    )
    builds.history_rows = {model: count(builds.database_a, model) for model in MODELS}
    held_contacts = last_day / "raw_contacts" / LAST_DAY_FILE
    originals: dict[str, tuple[str, list[object], str]] = {}
    keys: dict[tuple[str, str], tuple[str, list[object]]] = {}
    with duckdb.connect(str(builds.database_a)) as connection:
        for model, tamper in TAMPERS.items():
            for name, pick in (("old", tamper.old_row), ("new", tamper.new_row)):
                pick = pick.format(held_contacts=held_contacts)
                where, values = row_key(connection, model, tamper, pick)
                keys[model, name] = where, values
                original = connection.execute(
                    f"select {tamper.column} from marts.{model} where {where}", values
                ).fetchone()
                assert original is not None
                if name == "old":
                    originals[model] = where, values, original[0]
                connection.execute(
                    f"update marts.{model} set {tamper.column} = ? where {where}",
                    [tamper.value, *values],
                )

    append_last_day(history, last_day)
    builds.seconds["incremental"], builds.model_seconds["incremental"] = dbt_run(
        builds.database_a, history
    )
    with duckdb.connect(str(builds.database_a)) as connection:
        for (model, name), (where, values) in keys.items():
            row = connection.execute(
                f"select {TAMPERS[model].column} from marts.{model} where {where}",
                values,
            ).fetchone()
            assert row is not None, (model, name)
            builds.after_incremental[model, name] = row[0]
        for model, (where, values, original) in originals.items():
            connection.execute(
                f"update marts.{model} set {TAMPERS[model].column} = ? where {where}",
                [original, *values],
            )

    builds.seconds["full_refresh"], builds.model_seconds["full_refresh"] = dbt_run(
        builds.database_b, history, "--full-refresh"
    )
    print(f"\ndbt run wall seconds: {builds.seconds}")
    print(f"model execution seconds: {builds.model_seconds}")
    return builds


# every column but built_at, which tells when the row was written
COMPARED = "columns(lambda c: c <> 'built_at')"


def assert_same_rows(database_a: Path, database_b: Path, table: str) -> None:
    """`table` (schema.name) holds the same rows, duplicates counted, in A
    and in B, and is not empty."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{database_a}' as a (read_only)")
        connection.execute(f"attach '{database_b}' as b (read_only)")
        for left, right in (("a", "b"), ("b", "a")):
            row = connection.execute(
                f"select count(*) from (select {COMPARED} from {left}.{table} "
                f"except all select {COMPARED} from {right}.{table})"
            ).fetchone()
            assert row == (0,), f"{table}: {row} rows of {left} are not in {right}"
        counts = connection.execute(
            f"select (select count(*) from a.{table}), (select count(*) from b.{table})"
        ).fetchone()
        assert counts is not None
        assert counts[0] == counts[1] > 0, table


def test_incremental_run_equals_full_refresh(builds: Builds) -> None:
    for model in MODELS:
        assert_same_rows(builds.database_a, builds.database_b, f"marts.{model}")


def test_incremental_run_rebuilt_only_its_window(builds: Builds) -> None:
    for model, tamper in TAMPERS.items():
        assert builds.after_incremental[model, "old"] == tamper.value, (
            f"{model}: a row outside the lookback window was rebuilt"
        )
        assert builds.after_incremental[model, "new"] != tamper.value, (
            f"{model}: a row inside the lookback window was not rebuilt"
        )
        if tamper.grows:
            assert count(builds.database_a, model) > builds.history_rows[model], model


def test_incremental_run_added_the_held_back_day(builds: Builds) -> None:
    with duckdb.connect() as connection:
        held = {
            contact_id
            for (contact_id,) in connection.execute(
                "select distinct trim(contact_id) from read_parquet(?)",
                [str(builds.last_day / "raw_contacts" / LAST_DAY_FILE)],
            ).fetchall()
        }
    with duckdb.connect(str(builds.database_a), read_only=True) as connection:
        built = {
            contact_id
            for (contact_id,) in connection.execute(
                "select contact_id from marts.fct_contacts where contact_date = ?",
                [builds.held_date],
            ).fetchall()
        }
        slices = connection.execute(
            "select count(*) from marts.fct_agent_state_intervals where state_date = ?",
            [builds.held_date],
        ).fetchone()
    assert held
    assert built == held
    assert slices is not None and slices[0] > 0


def rows(files: list[Path]) -> int:
    if not files:
        return 0
    with duckdb.connect() as connection:
        row = connection.execute(
            "select count(*) from read_parquet(?, union_by_name = true)",
            [[str(file) for file in files]],
        ).fetchone()
    assert row is not None
    return int(row[0])


def local_date_range(files: list[Path], column: str) -> tuple[object, object]:
    """min and max local date of a text instant over `files`."""
    if not files:
        return None, None
    local_date = f"cast(timezone(?, try_cast({column} as timestamptz)) as date)"
    with duckdb.connect() as connection:
        row = connection.execute(
            f"select min({local_date}), max({local_date}) "
            "from read_parquet(?, union_by_name = true)",
            [TIMEZONE, TIMEZONE, [str(file) for file in files]],
        ).fetchone()
    assert row is not None
    return row[0], row[1]


@pytest.mark.parametrize("parts", [None, 2], ids=["one-file", "two-parts"])
def test_split_last_day_puts_every_row_in_one_place(
    tmp_path: Path, parts: int | None
) -> None:
    source = tmp_path / "source"
    generate(source, *(["--parts", str(parts)] if parts else []))
    history, last_day = tmp_path / "history", tmp_path / "last_day"
    held_date = split_last_day(source, history, last_day, TIMEZONE)

    _, last_arrival = local_date_range(
        extract_files(source, "raw_contacts"), "arrived_at"
    )
    assert held_date == last_arrival
    for extract in EXTRACTS:
        kept = sorted((history / extract).glob("*.parquet"))
        moved = sorted((last_day / extract).glob("*.parquet"))
        # a source part keeps its name; a single file becomes part-000
        assert [file.name for file in kept] == [
            file.name if parts else "part-000.parquet"
            for file in extract_files(source, extract)
        ], extract
        assert rows(kept) + rows(moved) == rows(extract_files(source, extract)), extract
        if extract not in TIME_SPLIT_COLUMNS:
            assert not moved, extract
            continue
        assert [file.name for file in moved] == [LAST_DAY_FILE], extract
        _, kept_last = local_date_range(kept, TIME_SPLIT_COLUMNS[extract])
        moved_first, _ = local_date_range(moved, TIME_SPLIT_COLUMNS[extract])
        assert kept_last is None or kept_last < held_date, extract
        assert moved_first is None or moved_first >= held_date, extract
    assert rows([last_day / "raw_contacts" / LAST_DAY_FILE]) > 0


def test_split_last_day_keeps_unparseable_instants_in_history(tmp_path: Path) -> None:
    source = tmp_path / "source"
    generate(source)
    contacts = source / "raw_contacts.parquet"
    edited = tmp_path / "contacts.parquet"
    with duckdb.connect() as connection:
        # The two last arrivals become unparseable by the contract: one
        # loses its UTC offset (DuckDB alone would read it as UTC), the
        # other is not a date-time.
        connection.execute(
            "copy (select * replace (case row_number() over (order by "
            "try_cast(arrived_at as timestamptz) desc, contact_id) "
            "when 1 then replace(arrived_at, '+08:00', '') "
            "when 2 then 'yesterday' else arrived_at end as arrived_at) "
            f"from read_parquet('{contacts}')) to '{edited}' (format parquet)"
        )
        edited.replace(contacts)
        broken = {
            contact_id
            for (contact_id,) in connection.execute(
                "select contact_id from read_parquet(?) "
                "where arrived_at = 'yesterday' or arrived_at not like '%+08:00'",
                [str(contacts)],
            ).fetchall()
        }
    assert len(broken) == 2
    history, last_day = tmp_path / "history", tmp_path / "last_day"
    split_last_day(source, history, last_day, TIMEZONE)
    with duckdb.connect() as connection:
        kept = {
            contact_id
            for (contact_id,) in connection.execute(
                "select contact_id from read_parquet(?)",
                [str(history / "raw_contacts" / "part-000.parquet")],
            ).fetchall()
        }
    assert broken <= kept


def test_split_last_day_refuses_to_mix_with_earlier_files(tmp_path: Path) -> None:
    source = tmp_path / "source"
    generate(source)
    history, last_day = tmp_path / "history", tmp_path / "last_day"
    split_last_day(source, history, last_day, TIMEZONE)
    with pytest.raises(FileExistsError):
        split_last_day(source, history, last_day, TIMEZONE)


# The constraint checks limited to the latest build (where:
# __latest_build__), by table: the test and a statement that breaks it with
# one row, picked by {rows} among the rows of a build. A copied row
# duplicates its key; a bad value or a null key breaks a row's constraint
# (stg_contacts is the clean rows of stg_contacts__checked).
DUPLICATE = "insert into {table} select * from {table} where {rows} limit 1"


def spoil(assignment: str) -> str:
    return (
        f"update {{table}} set {assignment} "
        "where rowid = (select min(rowid) from {table} where {rows})"
    )


LATEST_BUILD_UNIQUENESS = {
    "marts.fct_contacts": ("constraints_hold_fct_contacts_", DUPLICATE),
    "marts.fct_cases": ("constraints_hold_fct_cases_", DUPLICATE),
    "marts.fct_agent_state_intervals": (
        "constraints_hold_fct_agent_state_intervals_",
        DUPLICATE,
    ),
    "staging.stg_contacts__checked": ("constraints_hold_stg_contacts_", DUPLICATE),
    "staging.stg_cases__checked": ("constraints_hold_stg_cases_", DUPLICATE),
}
LATEST_BUILD_CONSTRAINTS = {
    "marts.fct_contacts": (
        "constraints_hold_fct_contacts_",
        spoil("handle_seconds = -1"),
    ),
    "marts.fct_cases": ("constraints_hold_fct_cases_", spoil("case_id = null")),
    "staging.stg_contacts__checked": (
        "constraints_hold_stg_contacts_",
        spoil("talk_seconds = -1"),
    ),
}


def data_test_statuses(
    database: Path, extract_dir: Path, tests: list[str]
) -> dict[str, str]:
    result = run_dbt(
        ["test", "--select", *tests],
        database,
        {"extract_dir": str(extract_dir), "extract_format": "parquet"},
    )
    run_results = database.parent / "target" / "run_results.json"
    statuses = {
        entry["unique_id"].split(".")[2]: entry["status"]
        for entry in json.loads(run_results.read_text(encoding="utf-8"))["results"]
    }
    assert set(statuses) == set(tests), result.stdout[-3000:]
    return statuses


def assert_tests_read_the_latest_build_only(
    builds: Builds, tmp_path: Path, breaks: dict[str, tuple[str, str]]
) -> None:
    """A row broken in an older build passes every test of `breaks`; one
    broken in the latest (incremental) build fails each (doc built_at)."""
    database = tmp_path / "copy" / "a.duckdb"
    database.parent.mkdir()
    shutil.copy(builds.database_a, database)
    tests = [test for test, _ in breaks.values()]
    for build, status in (("<", "pass"), ("=", "fail")):
        with duckdb.connect(str(database)) as connection:
            for table, (_, statement) in breaks.items():
                clean = "row_status = 'clean' and" if "__checked" in table else ""
                rows = f"{clean} built_at {build} (select max(built_at) from {table})"
                changed = connection.execute(
                    statement.format(table=table, rows=rows)
                ).fetchone()
                assert changed == (1,), (table, build)
        statuses = data_test_statuses(database, builds.history, tests)
        assert set(statuses.values()) == {status}, statuses


def test_uniqueness_tests_read_the_latest_build_only(
    builds: Builds, tmp_path: Path
) -> None:
    assert_tests_read_the_latest_build_only(builds, tmp_path, LATEST_BUILD_UNIQUENESS)


def test_constraint_checks_read_the_latest_build_only(
    builds: Builds, tmp_path: Path
) -> None:
    assert_tests_read_the_latest_build_only(builds, tmp_path, LATEST_BUILD_CONSTRAINTS)
