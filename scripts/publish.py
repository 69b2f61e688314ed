"""Build, validate and atomically publish the warehouse analysts read.

    publish.py [options] [-- extra dbt build arguments]

1. `dbt build` (the whole project unless you pass --select/--exclude after
   `--`) into an audit file next to the published one,
   `<published dir>/.audit-<run id>.duckdb`;
2. the Great Expectations checkpoint `publish_gate` (gx/, declared in
   scripts/gx_suites.py) on the audit file: raw -> staging -> marts;
3. only when dbt and every suite pass: a row in `audit.publish_log` (the
   previous published file's rows are carried over);
4. the audit file is made read-only and atomically renamed over the
   published file: a reader never sees a partial file, and a reader that
   has the old file open keeps reading it.

On any failure the published file is left untouched, the audit file and
temp files are deleted, the failed expectations are printed per table and
the GX data docs are written (their path is printed); the exit code is 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

if __package__ in {None, ""}:  # run as `python scripts/publish.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts import gx_suites

PROJECT_DIR = gx_suites.PROJECT_DIR
DEFAULT_PUBLISHED = Path("warehouse/contact_center.duckdb")
DBT = Path(sys.executable).with_name("dbt")
AUDIT_PREFIX = ".audit-"
# Written into the audit file, carried over from publish to publish.
PUBLISH_LOG = "audit.publish_log"
PUBLISH_LOG_DDL = f"""
    create table {PUBLISH_LOG} (
        run_id varchar not null,
        published_at timestamp with time zone not null,
        git_commit varchar,
        git_dirty boolean,
        dbt_target varchar,
        dbt_args varchar,
        input_fingerprints json,
        row_counts json,
        validation_success boolean not null,
        validation json
    )
"""


class PublishError(RuntimeError):
    """A step failed: the message is the one-line reason."""


# ------------------------------------------------------------- options
@dataclass
class Options:
    published: Path
    target: str
    dbt_args: list[str]
    max_reject_share: float
    reject_share_overrides: dict[str, float]
    row_count_tolerance: float
    max_contact_age_hours: float | None
    reference_time: dt.datetime
    keep_going: bool = False
    run_id: str = field(default_factory=lambda: new_run_id())


def new_run_id() -> str:
    """UTC time and pid: sortable, unique per host, tells whose leftovers."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{os.getpid()}"


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1")
    return value


def _extract_share(text: str) -> tuple[str, float]:
    name, _, share = text.partition("=")
    if not share:
        raise argparse.ArgumentTypeError(f"expected EXTRACT=SHARE, got {text!r}")
    return name.strip(), _share(share)


def _timestamp(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def parse_args(argv: Sequence[str] | None = None) -> Options:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Arguments after `--` go to `dbt build`, e.g. "
        "-- --vars '{extract_dir: /data/extracts}'",
    )
    parser.add_argument(
        "--published",
        type=Path,
        default=Path(env("CC_PUBLISHED_PATH") or DEFAULT_PUBLISHED),
        help="the file analysts read (env CC_PUBLISHED_PATH; default %(default)s)",
    )
    parser.add_argument(
        "--target", default="dev", help="dbt target (default %(default)s)"
    )
    parser.add_argument(
        "--max-reject-share",
        type=_share,
        default=_share(env("CC_MAX_REJECT_SHARE") or "0.05"),
        help="highest share of an extract's rows that may be rejected "
        "(env CC_MAX_REJECT_SHARE; default %(default)s; extracts of a few "
        "dozen rows have a floor, see gx_suites.EXTRACTS)",
    )
    parser.add_argument(
        "--max-reject-share-for",
        type=_extract_share,
        action="append",
        default=[],
        metavar="EXTRACT=SHARE",
        help="the threshold of one extract, e.g. raw_costs=0.3 (repeatable)",
    )
    parser.add_argument(
        "--row-count-tolerance",
        type=float,
        default=float(env("CC_ROW_COUNT_TOLERANCE") or 0.5),
        help="each extract's raw rows must stay within +/- this share of the "
        "previous published build's (env CC_ROW_COUNT_TOLERANCE; "
        "default %(default)s; no bound on the first publish)",
    )
    parser.add_argument(
        "--max-contact-age-hours",
        type=float,
        default=float(env("CC_MAX_CONTACT_AGE_HOURS") or 0) or None,
        help="fail when the latest contact arrived longer than this before "
        "the reference time (env CC_MAX_CONTACT_AGE_HOURS; default: off)",
    )
    parser.add_argument(
        "--reference-time",
        type=_timestamp,
        default=_timestamp(
            env("CC_REFERENCE_TIME") or dt.datetime.now(dt.UTC).isoformat()
        ),
        help="the build's reference time for freshness, ISO 8601 "
        "(env CC_REFERENCE_TIME; default: now)",
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="validate every stage even after one failed (default: stop at "
        "the first failing stage, raw -> staging -> marts)",
    )
    parser.add_argument("dbt_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    dbt_args = list(args.dbt_args)
    if dbt_args[:1] == ["--"]:
        dbt_args = dbt_args[1:]
    return Options(
        published=args.published.absolute(),
        target=args.target,
        dbt_args=dbt_args,
        max_reject_share=args.max_reject_share,
        reject_share_overrides=dict(args.max_reject_share_for),
        row_count_tolerance=args.row_count_tolerance,
        max_contact_age_hours=args.max_contact_age_hours,
        reference_time=args.reference_time,
        keep_going=args.keep_going,
    )


# --------------------------------------------------------------- paths
def audit_path(options: Options) -> Path:
    return options.published.with_name(f"{AUDIT_PREFIX}{options.run_id}.duckdb")


def temp_paths(options: Options) -> list[Path]:
    """Every file or folder a run may leave next to the published file."""
    audit = audit_path(options)
    return [audit, wal_of(audit), audit.with_suffix(".tmp")]


def wal_of(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def remove(paths: Sequence[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with suppress(FileNotFoundError):
                path.unlink()


def remove_stale_audits(published: Path) -> list[Path]:
    """Delete what killed runs of this host left (their pid is gone)."""
    stale = []
    for path in published.parent.glob(f"{AUDIT_PREFIX}*"):
        pid = path.name.removeprefix(AUDIT_PREFIX).split(".")[0].rpartition("-")[2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            stale.append(path)
    remove(stale)
    return stale


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --------------------------------------------------------------- steps
def step(number: int, text: str) -> None:
    print(f"[publish {number}/4] {text}", flush=True)


def build(options: Options) -> None:
    """dbt build into the audit file; raises PublishError when dbt fails."""
    audit = audit_path(options)
    env = {
        **os.environ,
        "CC_DUCKDB_PATH": str(audit),
        "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(PROJECT_DIR)),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.setdefault("CC_DUCKDB_TEMP_DIR", str(audit.with_suffix(".tmp")))
    command = [str(DBT), "build", "--target", options.target, *options.dbt_args]
    completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False)
    if completed.returncode != 0:
        raise PublishError(
            f"dbt build failed (exit code {completed.returncode}): nothing published"
        )


@contextmanager
def _connect(database: Path, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(database), read_only=read_only)
    try:
        yield connection
    finally:
        connection.close()


def _has_table(connection: duckdb.DuckDBPyConnection, catalog: str) -> bool:
    schema, table = PUBLISH_LOG.split(".")
    return bool(
        connection.execute(
            "select count(*) from information_schema.tables "
            "where table_catalog = ? and table_schema = ? and table_name = ?",
            [catalog, schema, table],
        ).fetchone()[0]
    )


def previous_raw_rows(published: Path) -> dict[str, int] | None:
    """Raw rows per extract of the latest published build, if it has a log."""
    if not published.exists():
        return None
    with _connect(published, read_only=True) as connection:
        catalog = connection.execute("select current_database()").fetchone()[0]
        if not _has_table(connection, catalog):
            return None
        row = connection.execute(
            f"select row_counts from {PUBLISH_LOG} order by published_at desc limit 1"
        ).fetchone()
    return json.loads(row[0]).get("extracts") if row else None


@dataclass
class Validation:
    success: bool
    statistics: dict[str, int]
    suites: list[dict[str, Any]]
    failures: list[str]
    seconds: float
    docs: str | None = None
    skipped_stages: list[str] = field(default_factory=list)

    @property
    def failed_suites(self) -> list[str]:
        return [suite["suite"] for suite in self.suites if suite["unsuccessful"]]


def validate(
    database: Path,
    run_name: str,
    parameters: Mapping[str, Any],
    keep_going: bool = False,
) -> Validation:
    """Run the checkpoint on a built warehouse file, stage by stage.

    The checkpoint's validation definitions run in its order (raw ->
    staging -> marts) under one run id, as Checkpoint.run would; a failing
    stage stops the run unless --keep-going: what a broken extract does to
    the marts is noise next to the extract itself. Every GX connection is
    closed afterwards, so the audit file can be reopened.
    """
    from great_expectations.core.run_identifier import RunIdentifier

    previous = os.environ.get(gx_suites.DUCKDB_PATH_VARIABLE)
    os.environ[gx_suites.DUCKDB_PATH_VARIABLE] = str(database)
    started = time.perf_counter()
    context = gx_suites.get_context()
    results: dict[Any, Any] = {}
    skipped: list[str] = []
    try:
        checkpoint = context.checkpoints.get(gx_suites.CHECKPOINT)
        run_id = RunIdentifier(run_name=run_name, run_time=dt.datetime.now(dt.UTC))
        for stage in gx_suites.STAGES:
            if skipped:
                skipped.append(stage)
                continue
            failed = 0
            definitions = [
                definition
                for definition in checkpoint.validation_definitions
                if definition.name.rpartition(".")[2] == stage
            ]
            for definition in definitions:
                result = definition.run(
                    checkpoint_id=checkpoint.id,
                    expectation_parameters=dict(parameters),
                    result_format=checkpoint.result_format,
                    run_id=run_id,
                )
                key = checkpoint._build_result_key(definition, run_id, result.batch_id)
                results[key] = result
                failed += not result.success
            print(f"  {stage}: {len(definitions)} suites, {failed} failed", flush=True)
            if failed and not keep_going:
                skipped.append("")
    finally:
        gx_suites.close_connections(context)
        if previous is None:
            os.environ.pop(gx_suites.DUCKDB_PATH_VARIABLE, None)
        else:
            os.environ[gx_suites.DUCKDB_PATH_VARIABLE] = previous
    seconds = time.perf_counter() - started
    validation = summarize(results.values(), seconds)
    validation.skipped_stages = [stage for stage in skipped if stage]
    if not validation.success:
        urls = context.build_data_docs(resource_identifiers=list(results))
        validation.docs = next(iter(urls.values()), None)
    return validation


def summarize(suite_results: Any, seconds: float) -> Validation:
    """Counts per suite and one line per failed expectation."""
    relations = {suite.name: suite.relation for suite in gx_suites.suites()}
    suites, failures = [], []
    totals = {"evaluated": 0, "successful": 0, "unsuccessful": 0}
    for suite_result in suite_results:
        name = suite_result.suite_name
        evaluated = len(suite_result.results)
        failed = [result for result in suite_result.results if not result.success]
        suites.append(
            {"suite": name, "evaluated": evaluated, "unsuccessful": len(failed)}
        )
        totals["evaluated"] += evaluated
        totals["unsuccessful"] += len(failed)
        totals["successful"] += evaluated - len(failed)
        for result in failed:
            failures.append(f"{name} on {relations.get(name, '?')}: {describe(result)}")
    return Validation(
        success=totals["unsuccessful"] == 0 and bool(suites),
        statistics=totals,
        suites=suites,
        failures=failures,
        seconds=seconds,
    )


def describe(result: Any) -> str:
    """One line: what was expected, and how many rows broke it."""
    config = result.expectation_config
    kwargs = {
        key: value
        for key, value in config.kwargs.items()
        if key not in {"batch_id", "result_format"} and value is not None
    }
    details = ", ".join(
        f"{key}={value!r}"
        for key, value in kwargs.items()
        if key not in {"unexpected_rows_query", "description"}
    )
    what = config.description or details
    if config.description and details:
        what = f"{config.description} [{details}]"
    outcome = result.result or {}
    error = (result.exception_info or {}).get("exception_message")
    if error is None:
        nested = [
            info.get("exception_message")
            for info in (result.exception_info or {}).values()
            if isinstance(info, dict)
        ]
        error = next((message for message in nested if message), None)
    if error:
        observed = "error: " + str(error).strip().splitlines()[0][:300]
    elif outcome.get("unexpected_count") is not None:
        observed = (
            f"{outcome['unexpected_count']:,} of {outcome.get('element_count', 0):,} "
            f"rows unexpected ({outcome.get('unexpected_percent') or 0:.1f} %)"
        )
        sample = sorted(
            {str(value) for value in outcome.get("partial_unexpected_list") or []}
        )
        if sample:
            observed += f", e.g. {', '.join(sample[:3])}"
    elif config.type == "unexpected_rows_expectation":
        observed = f"{outcome.get('observed_value')} unexpected row(s)"
    else:
        observed = f"observed {outcome.get('observed_value')!r}"
    return f"{config.type}: {what}: {observed}"


def reject_reasons(options: Options, failed_suites: Sequence[str]) -> list[str]:
    """The top reject reasons of the extracts whose raw suite failed."""
    extracts = {
        f"{extract.checked_table}.raw": extract.name for extract in gx_suites.EXTRACTS
    }
    failed = [extracts[name] for name in failed_suites if name in extracts]
    if not failed:
        return []
    lines = []
    with _connect(audit_path(options), read_only=True) as connection:
        for extract in failed:
            reasons = connection.execute(
                "select reason, row_count from audit.audit_extract_rows "
                "where extract_name = ? and row_status = 'rejected' "
                "order by row_count desc, reason limit 3",
                [extract],
            ).fetchall()
            listed = ", ".join(f"{reason} {count:,}" for reason, count in reasons)
            lines.append(f"{extract}: top reject reasons: {listed}")
    return lines


def fingerprints(dbt_args: Sequence[str]) -> dict[str, str]:
    """SHA-256 of every seed and extract file the build read."""
    files = {
        f"seeds/{p.name}": p for p in sorted((PROJECT_DIR / "seeds").glob("*.csv"))
    }
    variables = _dbt_vars(dbt_args)
    extract_dir = variables.get("extract_dir")
    if extract_dir:
        root = Path(extract_dir)
        fmt = variables.get("extract_format", "csv")
        for extract in gx_suites.EXTRACTS:
            for path in [
                *sorted((root / extract.name).glob(f"*.{fmt}")),
                root / f"{extract.name}.{fmt}",
            ]:
                if path.is_file():
                    files[f"extract_dir/{path.relative_to(root)}"] = path
    return {label: _sha256(path) for label, path in files.items()}


def _dbt_vars(dbt_args: Sequence[str]) -> dict[str, Any]:
    for flag, value in itertools.pairwise(dbt_args):
        if flag == "--vars":
            loaded = yaml.safe_load(value)
            return loaded if isinstance(loaded, dict) else {}
    return {}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _git(*args: str) -> str | None:
    try:
        completed = subprocess.run(
            ["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return completed.stdout.strip()


def row_counts(connection: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    extracts = dict(
        connection.execute(
            "select extract_name, sum(row_count)::bigint from audit.audit_extract_rows "
            "group by 1 order by 1"
        ).fetchall()
    )
    tables = [
        name
        for (name,) in connection.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
    ]
    marts = {
        f"marts.{name}": connection.execute(
            f'select count(*) from marts."{name}"'
        ).fetchone()[0]
        for name in tables
    }
    return {"extracts": extracts, "marts": marts}


def write_publish_log(options: Options, validation: Validation) -> dict[str, Any]:
    """Add this run's row (and the previous published rows) to the audit file."""
    audit, published = audit_path(options), options.published
    with _connect(audit, read_only=False) as connection:
        connection.execute("create schema if not exists audit")
        connection.execute(PUBLISH_LOG_DDL)
        if published.exists():
            path = str(published).replace("'", "''")
            connection.execute(f"attach '{path}' as previous (read_only)")
            if _has_table(connection, "previous"):
                connection.execute(
                    f"insert into {PUBLISH_LOG} by name "
                    f"select * from previous.{PUBLISH_LOG}"
                )
            connection.execute("detach previous")
        counts = row_counts(connection)
        entry = {
            "run_id": options.run_id,
            "published_at": dt.datetime.now(dt.UTC),
            "git_commit": _git("rev-parse", "HEAD"),
            "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
            "dbt_target": options.target,
            "dbt_args": " ".join(options.dbt_args),
            "input_fingerprints": json.dumps(fingerprints(options.dbt_args)),
            "row_counts": json.dumps(counts),
            "validation_success": validation.success,
            "validation": json.dumps(
                {
                    "checkpoint": gx_suites.CHECKPOINT,
                    "statistics": validation.statistics,
                    "suites": validation.suites,
                    "seconds": round(validation.seconds, 3),
                }
            ),
        }
        columns = ", ".join(entry)
        marks = ", ".join("?" for _ in entry)
        connection.execute(
            f"insert into {PUBLISH_LOG} ({columns}) values ({marks})",
            list(entry.values()),
        )
        # Everything into the main file: only that file is renamed.
        connection.execute("checkpoint")
    return counts


def swap_in(options: Options) -> None:
    """Read-only, durable, then one rename over the published file."""
    audit, published = audit_path(options), options.published
    if wal_of(audit).exists():
        raise PublishError(f"{wal_of(audit)} exists: a connection is still open")
    if wal_of(published).exists():
        # DuckDB would replay that log onto the new file.
        raise PublishError(
            f"{wal_of(published)} exists: a process has the published file "
            "open for writing; close it and publish again"
        )
    os.chmod(audit, 0o444)
    with audit.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(audit, published)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# ----------------------------------------------------------------- run
def publish(options: Options) -> int:
    """All four steps; 0 when published, 1 when not (the previous file stays)."""
    options.published.parent.mkdir(parents=True, exist_ok=True)
    for path in remove_stale_audits(options.published):
        print(f"[publish] removed {path.name}, left by a killed run")
    audit = audit_path(options)
    try:
        step(1, f"dbt build --target {options.target} into {audit}")
        build(options)

        step(
            2, f"validate: checkpoint {gx_suites.CHECKPOINT} (raw -> staging -> marts)"
        )
        previous = previous_raw_rows(options.published)
        if previous is None:
            print("  no previous publish_log: row counts are not bounded this time")
        freshness = None
        if options.max_contact_age_hours is not None:
            freshness = options.reference_time - dt.timedelta(
                hours=options.max_contact_age_hours
            )
        parameters = gx_suites.runtime_parameters(
            previous_raw_rows=previous,
            row_count_tolerance=options.row_count_tolerance,
            reject_thresholds=gx_suites.reject_share_thresholds(
                options.max_reject_share, options.reject_share_overrides
            ),
            min_latest_arrived_at=freshness,
        )
        validation = validate(
            audit_path(options), options.run_id, parameters, options.keep_going
        )
        stats = validation.statistics
        print(
            f"  {len(validation.suites)} suites, {stats['evaluated']} expectations, "
            f"{stats['unsuccessful']} failed ({validation.seconds:.1f} s)"
        )
        if not validation.success:
            print("Failed expectations:", file=sys.stderr)
            for line in validation.failures:
                print(f"  - {line}", file=sys.stderr)
            for line in reject_reasons(options, validation.failed_suites):
                print(f"  {line}", file=sys.stderr)
            if validation.skipped_stages:
                print(
                    f"  not validated: {', '.join(validation.skipped_stages)} "
                    "(--keep-going validates every stage)",
                    file=sys.stderr,
                )
            if validation.docs:
                print(f"Data docs: {validation.docs}", file=sys.stderr)
            raise PublishError(
                f"validation failed ({stats['unsuccessful']} expectation(s)): "
                "nothing published"
            )

        step(3, f"write {PUBLISH_LOG}")
        counts = write_publish_log(options, validation)
        print(f"  {len(counts['marts'])} mart tables, run {options.run_id}")

        step(4, f"publish {options.published}")
        swap_in(options)
    except (PublishError, duckdb.Error) as error:
        # duckdb.Error: e.g. the published file is locked by a writer.
        print(f"publish: {error}", file=sys.stderr)
        return 1
    finally:
        remove(temp_paths(options))
    print(f"Published {options.published} (run {options.run_id})")
    return 0


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    # A terminated run still removes its audit file (the finally above).
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    return publish(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
