"""The publish gate: dbt build -> GX checkpoint -> atomic swap.

One good build is published once per module (extract-directory mode, in a
tmp folder, with the isolation env of dbt_runner) and shared by the tests
that only read it; the tests that publish again work on a copy. The dbt
data and unit tests are left out of these builds: `make test` runs them in
its own `dbt build --target ci` just before pytest, and what is under test
here is the gate.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from scripts import gx_suites, publish
from scripts.tests.dbt_runner import PROJECT_DIR

SKIP_DBT_TESTS = ["--exclude-resource-type", "test", "unit_test"]
# GX 1.x prefers the schema in the connection string; a DuckDB warehouse
# has several schemas, so the table assets name theirs.
pytestmark = pytest.mark.filterwarnings(
    "ignore:`schema_name` is deprecated:DeprecationWarning"
)


# ----------------------------------------------------------------- helpers
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_seeds(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for seed in (PROJECT_DIR / "seeds").glob("*.csv"):
        shutil.copy(seed, folder / seed.name)
    return folder


def rewrite_csv(path: Path, change) -> None:
    """Apply change(index, row) -> row | None to every data row of a CSV."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = [change(index, row) for index, row in enumerate(reader)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row for row in rows if row is not None)


def isolation_env(work: Path) -> dict[str, str]:
    """dbt_runner's isolation, minus the database (publish.py picks it)."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }
    for name in ("CC_DUCKDB_PATH", "CC_DUCKDB_TEMP_DIR", "CC_PUBLISHED_PATH"):
        env.pop(name, None)
    return env


def publish_args(published: Path, extract_dir: Path) -> list[str]:
    variables = json.dumps({"extract_dir": str(extract_dir)})
    return [
        "--target", "ci", "--published", str(published),
        "--", "--vars", variables, *SKIP_DBT_TESTS,
    ]  # fmt: skip


def publish_in_process(
    monkeypatch: pytest.MonkeyPatch,
    work: Path,
    published: Path,
    extracts: Path,
    extra: list[str] | None = None,
) -> int:
    for name, value in isolation_env(work).items():
        monkeypatch.setenv(name, value)
    for name in ("CC_DUCKDB_PATH", "CC_DUCKDB_TEMP_DIR", "CC_PUBLISHED_PATH"):
        monkeypatch.delenv(name, raising=False)
    args = [*publish_args(published, extracts), *(extra or [])]
    return publish.publish(publish.parse_args(args))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".audit-"))


def copy_published(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o444)
    return target


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """One good build of the sample extracts, published through the CLI."""
    work = tmp_path_factory.mktemp("publish")
    extracts = copy_seeds(work / "extracts")
    published = work / "warehouse" / "contact_center.duckdb"
    completed = subprocess.run(
        [sys.executable, "scripts/publish.py", *publish_args(published, extracts)],
        cwd=PROJECT_DIR,
        env=isolation_env(work),
        capture_output=True,
        text=True,
        check=False,
    )
    yield {
        "work": work,
        "extracts": extracts,
        "published": published,
        "completed": completed,
    }


# ------------------------------------------------- (1) a good build publishes
def test_good_build_is_published_read_only_with_marts_and_log(good: dict) -> None:
    completed, published = good["completed"], good["published"]
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr
    for number in range(1, 5):
        assert f"[publish {number}/4]" in completed.stdout
    assert "0 failed" in completed.stdout
    assert oct(published.stat().st_mode & 0o777) == oct(0o444)
    assert leftovers(published.parent) == []

    with duckdb.connect(str(published), read_only=True) as connection:
        marts = {
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts'"
            ).fetchall()
        }
        assert {"fct_contacts", "dim_date", "kpi_service_level"} <= marts
        assert connection.execute("select count(*) from marts.fct_contacts").fetchone()[
            0
        ]
        log = connection.execute(
            "select run_id, validation_success, row_counts, input_fingerprints, "
            "validation from audit.publish_log"
        ).fetchall()
    assert len(log) == 1
    run_id, success, counts, inputs, validation = log[0]
    assert success is True
    assert run_id in completed.stdout
    counts = json.loads(counts)
    assert counts["extracts"]["raw_contacts"] > 0
    assert counts["marts"]["marts.fct_contacts"] > 0
    assert "extract_dir/raw_contacts.csv" in json.loads(inputs)
    assert json.loads(validation)["statistics"]["unsuccessful"] == 0

    # Analysts cannot write to it, even by mistake (root ignores the mode).
    if os.geteuid() != 0:
        with pytest.raises(duckdb.Error):
            duckdb.connect(str(published)).close()


# ------------------------------ (2) a corrupted extract is stopped at the gate
def test_corrupted_extracts_fail_the_gate_and_keep_the_published_file(
    good: dict,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    published = good["published"]
    before = sha256(published)
    extracts = copy_seeds(tmp_path / "extracts")

    def ended_before_arrival(index: int, row: dict) -> dict:
        if index % 10 < 3:  # 30 % of the contacts
            row["ended_at"] = "2000-01-01T00:00:00Z"
        return row

    def nps_eleven(index: int, row: dict) -> dict:
        return {**row, "nps": "11"}

    rewrite_csv(extracts / "raw_contacts.csv", ended_before_arrival)
    rewrite_csv(extracts / "raw_surveys.csv", nps_eleven)

    code = publish_in_process(monkeypatch, tmp_path, published, extracts)
    err = capfd.readouterr().err

    assert code == 1
    assert "validation failed" in err
    failures = [line for line in err.splitlines() if line.startswith("  - ")]
    contacts = [line for line in failures if "stg_contacts__checked.raw" in line]
    surveys = [line for line in failures if "stg_surveys__checked.raw" in line]
    assert contacts and "staging.stg_contacts__checked" in contacts[0]
    assert "row_status" in contacts[0] and "rows unexpected" in contacts[0]
    assert surveys and "(100.0 %)" in surveys[0]
    assert "raw_contacts: top reject reasons: timestamps_out_of_order" in err
    reasons = next(line for line in err.splitlines() if "raw_surveys: top" in line)
    assert "nps_out_of_range" in reasons
    assert "not validated: staging, marts" in err  # the gate stops at raw
    docs = next(line for line in err.splitlines() if line.startswith("Data docs: "))
    assert Path(docs.removeprefix("Data docs: file://")).is_file()

    assert sha256(published) == before
    assert leftovers(published.parent) == []


# -------------- (3) an open reader keeps the old data; a new one sees the new
READER = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
def counts():
    return [
        connection.execute("select count(*) from audit.publish_log").fetchone()[0],
        connection.execute("select count(*) from marts.fct_revenue").fetchone()[0],
    ]
print(*counts(), flush=True)
sys.stdin.readline()
print(*counts(), flush=True)
"""


def test_open_reader_keeps_its_view_while_a_new_build_is_published(
    good: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = copy_published(good["published"], tmp_path / "wh" / "cc.duckdb")
    extracts = copy_seeds(tmp_path / "extracts")
    # The next delivery: 10 % fewer revenue lines (within the row-count bound).
    rewrite_csv(
        extracts / "raw_revenue.csv", lambda i, row: None if i % 10 == 0 else row
    )

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        old = reader.stdout.readline().split()
        code = publish_in_process(monkeypatch, tmp_path, published, extracts)
        reader.stdin.write("\n")
        reader.stdin.flush()
        still = reader.stdout.readline().split()
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)

    assert code == 0
    assert reader.returncode == 0
    assert still == old
    with duckdb.connect(str(published), read_only=True) as connection:
        new = [
            connection.execute("select count(*) from audit.publish_log").fetchone()[0],
            connection.execute("select count(*) from marts.fct_revenue").fetchone()[0],
        ]
        runs = connection.execute(
            "select count(distinct run_id) from audit.publish_log"
        ).fetchone()[0]
    assert int(new[0]) == int(old[0]) + 1 == runs == 2
    assert int(new[1]) < int(old[1])
    assert leftovers(published.parent) == []


# -------------------- (4) a run killed after the build leaves nothing behind
@pytest.mark.parametrize("killed_in", ["validate", "build"])
def test_killed_run_leaves_published_file_and_no_temp_files(
    good: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, killed_in: str
) -> None:
    published = copy_published(good["published"], tmp_path / "wh" / "cc.duckdb")
    before = sha256(published)

    def fake_build(options: publish.Options) -> None:
        # Stands for `dbt build`: the audit file, its WAL and DuckDB's spill
        # folder exist when the run dies.
        audit = publish.audit_path(options)
        shutil.copyfile(published, audit)
        audit.chmod(0o644)
        publish.wal_of(audit).write_bytes(b"")
        (audit.with_suffix(".tmp")).mkdir()
        (audit.with_suffix(".tmp") / "spill.block").write_bytes(b"x")
        if killed_in == "build":
            raise KeyboardInterrupt

    def killed(*args: object) -> None:
        raise RuntimeError("killed midway")

    monkeypatch.setattr(publish, "build", fake_build)
    monkeypatch.setattr(publish, "validate", killed)
    options = publish.parse_args(["--published", str(published)])
    expected = KeyboardInterrupt if killed_in == "build" else RuntimeError
    with pytest.raises(expected):
        publish.publish(options)

    assert sha256(published) == before
    assert leftovers(published.parent) == []
    assert sorted(p.name for p in published.parent.iterdir()) == ["cc.duckdb"]


def test_failed_dbt_build_publishes_nothing(
    good: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = copy_published(good["published"], tmp_path / "wh" / "cc.duckdb")
    before = sha256(published)
    extracts = copy_seeds(tmp_path / "extracts")
    (extracts / "raw_agents.csv").unlink()  # dbt stops: no file for an extract

    code = publish_in_process(
        monkeypatch, tmp_path, published, extracts, extra=["--fail-fast"]
    )

    assert code == 1
    assert sha256(published) == before
    assert leftovers(published.parent) == []


# ------------------- the suites on DuckDB: they can pass and they can fail
def small_warehouse(path: Path, service_level: float, answered: int) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.fct_contacts as "
            "select range < 10 as is_offered from range(12)"
        )
        connection.execute(
            "create table marts.kpi_service_level as select * from (values "
            "(date '2026-09-07', 'billing', 'voice', 8, 10, 0.8), "
            f"(date '2026-09-07', 'billing', 'chat', {answered}, 0, "
            f"{service_level})) as t (contact_date, queue, channel, "
            "answered_within_threshold, offered, service_level)"
        )
    return path


@pytest.mark.parametrize(
    ("service_level", "answered", "passes"),
    [("null", 0, True), ("1.5", 3, False)],
)
def test_a_suite_passes_on_good_rows_and_fails_on_bad_ones(
    tmp_path: Path,
    service_level: str,
    answered: int,
    passes: bool,
) -> None:
    database = small_warehouse(tmp_path / "small.duckdb", service_level, answered)
    result = run_suite(database, "kpi_service_level.marts")

    # Every expectation was computed (no "list index out of range").
    assert all(not r.exception_info.get("raised_exception") for r in result.results)
    assert result.success is passes
    failed = {r.expectation_config.type for r in result.results if not r.success}
    if not passes:
        assert "expect_column_values_to_be_between" in failed  # 1.5 > 1
        assert "expect_column_pair_values_a_to_be_greater_than_b" in failed  # 3 > 0
        assert "unexpected_rows_expectation" in failed  # ratio without offered
    # GX let go of the file: a plain read-write connection opens it again.
    duckdb.connect(str(database)).close()


def run_suite(database: Path, suite: str, parameters: dict | None = None) -> object:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(gx_suites.DUCKDB_PATH_VARIABLE, str(database))
        context = gx_suites.get_context()
        try:
            definition = context.validation_definitions.get(suite)
            return definition.run(
                expectation_parameters=parameters or {}, result_format="SUMMARY"
            )
        finally:
            gx_suites.close_connections(context)


PAIR = "expect_column_pair_values_a_to_be_greater_than_b"


@pytest.mark.parametrize(
    ("ended_at", "max_age_hours", "failing"),
    [
        ("2026-10-31 10:05:00+00", None, set()),
        ("2026-10-31 10:05:00+00", 24, {"expect_column_max_to_be_between"}),
        ("2026-10-31 10:00:01+00", None, {PAIR}),  # ended before answered
    ],
)
def test_contacts_must_be_fresh_and_their_timestamps_ordered(
    tmp_path: Path, ended_at: str, max_age_hours: int | None, failing: set[str]
) -> None:
    database = tmp_path / "contacts.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema staging")
        connection.execute(
            "create table staging.stg_contacts as select "
            "'CT1' as contact_id, 'voice' as channel, 'inbound' as direction, "
            "'answered' as outcome, "
            "timestamptz '2026-10-31 10:00:00+00' as arrived_at, "
            "timestamptz '2026-10-31 10:00:00+00' as queued_at, "
            "timestamptz '2026-10-31 10:00:20+00' as answered_at, "
            f"timestamptz '{ended_at}' as ended_at"
        )
    reference = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    bound = None
    if max_age_hours is not None:
        bound = reference - dt.timedelta(hours=max_age_hours)

    result = run_suite(
        database, "stg_contacts.staging", {"min_latest_arrived_at": bound}
    )

    failed = {r.expectation_config.type for r in result.results if not r.success}
    assert failed == failing


# ---------------------------------------------------------- without a database
def test_row_count_bounds_follow_the_previous_publish() -> None:
    thresholds = gx_suites.reject_share_thresholds(0.05)
    first = gx_suites.runtime_parameters(None, 0.5, thresholds, None)
    assert first["raw_contacts__min_rows"] is None
    assert first["raw_contacts__max_rows"] is None
    later = gx_suites.runtime_parameters({"raw_contacts": 1000}, 0.5, thresholds, None)
    assert (later["raw_contacts__min_rows"], later["raw_contacts__max_rows"]) == (
        500,
        1500,
    )
    assert later["raw_cases__min_rows"] is None  # new extract: no bound
    assert later["raw_contacts__min_accepted_share"] == pytest.approx(0.95)


def test_reject_thresholds_default_floor_and_override() -> None:
    thresholds = gx_suites.reject_share_thresholds(0.05, {"raw_contacts": 0.2})
    assert thresholds["raw_contacts"] == 0.2
    assert thresholds["raw_cases"] == 0.05
    assert thresholds["raw_agents"] == 0.25  # a roster of a few dozen rows
    with pytest.raises(ValueError, match="raw_nope"):
        gx_suites.reject_share_thresholds(0.05, {"raw_nope": 0.1})


def test_committed_gx_context_matches_the_declarations(tmp_path: Path) -> None:
    copy = tmp_path / "gx"
    shutil.copytree(
        gx_suites.GX_DIR, copy, ignore=shutil.ignore_patterns("uncommitted")
    )
    gx_suites.write_context(copy)
    committed = {
        p.relative_to(gx_suites.GX_DIR): p.read_text()
        for p in gx_suites.iter_suite_files()
    }
    regenerated = {
        p.relative_to(copy): p.read_text() for p in gx_suites.iter_suite_files(copy)
    }
    assert regenerated == committed, "run scripts/gx_suites.py and commit gx/"


def test_cli_options_and_dbt_arguments() -> None:
    options = publish.parse_args(
        [
            "--published", "/tmp/x.duckdb", "--max-reject-share-for", "raw_costs=0.3",
            "--max-contact-age-hours", "48", "--reference-time", "2026-11-02T00:00:00",
            "--", "--vars", "{extract_dir: /data/x}", "--select", "marts",
        ]
    )  # fmt: skip
    assert options.dbt_args == ["--vars", "{extract_dir: /data/x}", "--select", "marts"]
    assert options.reject_share_overrides == {"raw_costs": 0.3}
    assert options.max_contact_age_hours == 48
    assert options.reference_time.tzinfo is not None
    assert publish.audit_path(options).name.startswith(".audit-")
    assert publish.audit_path(options).parent == Path("/tmp")
