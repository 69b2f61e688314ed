"""Benchmark the project against a hand-written DuckDB baseline.

    benchmark.py [--sizes sample,100k,1m,10m] [--root warehouse/bench] [--regenerate]

First the committed sample as a newcomer builds it: `dbt build` into an empty
database with nothing parsed before (seeds, models, unit and data tests).
Then for each size, on a year of generated extracts (Parquet, extract-directory
mode, --fault-rate 0 so that the baseline needs no reject rules), with the
last full local day held back (scripts/hold_back.py):

a. `dbt build --full-refresh` of the whole project on the history;
b. the held-back day appended, `dbt build` again (incremental facts);
c. the Great Expectations checkpoint of the publish gate on the result of a;
d. the baseline: scripts/baseline/headline_kpis.sql, one DuckDB script that
   computes the headline KPIs straight from the files of a;
e. the write floor: every table that a wrote, copied into a new DuckDB file
   with nothing computed (`create table as select *`, then a checkpoint),
   about the least time a build that stores those tables can take here
   (reading a DuckDB table is a small part of the copy: at 10M contacts
   3 s of the 24 s of stg_contacts__checked).

It checks that the project (scripts/baseline/project_headline_kpis.sql over
the marts of a) and the baseline agree on every headline KPI, and writes wall
seconds, peak memory (RSS of the whole process tree, sampled) and the ratio
project / baseline to benchmarks/results.md (and .json, which keeps the sizes
of earlier runs). Every step runs in its own process, one at a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

if __package__ in {None, ""}:  # run as `python scripts/benchmark.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts import hold_back

PROJECT_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BASELINE_SQL = PROJECT_DIR / "scripts" / "baseline" / "headline_kpis.sql"
PROJECT_SQL = PROJECT_DIR / "scripts" / "baseline" / "project_headline_kpis.sql"
RESULTS = PROJECT_DIR / "benchmarks" / "results"
# One year of history; the volume gives the size. The generator makes about
# 1.43 contacts (with repeats and outbound) per unit of daily volume.
DAYS = 365
# dbt threads (CC_DBT_THREADS) of the full build: at 10M each heavy model
# keeps both cores busy by itself, and two side by side only share them and
# the memory limit (stg_cases__checked: 10 s alone, 27 s beside
# stg_contacts__checked; the whole build 208 s against 200 s with one
# thread), so they run one at a time. The incremental build handles one
# day: its nodes are small, dbt's own time per node dominates, and it runs
# two at a time.
INCREMENTAL_THREADS = 2
SIZES: dict[str, dict[str, int]] = {
    "100k": {"daily_volume": 190, "parts": 2, "dbt_threads": 2},
    "1m": {"daily_volume": 1_900, "parts": 2, "dbt_threads": 2},
    "10m": {"daily_volume": 19_000, "parts": 10, "dbt_threads": 1},
}
# Both sides get the same DuckDB memory limit: the profile's default.
MEMORY_LIMIT = os.environ.get("CC_DUCKDB_MEMORY_LIMIT", "4GB")
RELATIVE_TOLERANCE = 1e-9
# The committed sample extracts, which extract-directory mode does not read.
SAMPLE_SEEDS = tuple(hold_back.EXTRACTS)


# ------------------------------------------------------------ measuring
def tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, now."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


@dataclass
class Measure:
    seconds: float
    peak_rss_bytes: int


def measured(
    command: list[str], log: Path, env: dict[str, str] | None = None
) -> Measure:
    """Run a command to completion, its output into `log`; fail on error."""
    peak = 0
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.1):
                peak = max(peak, tree_rss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    if code != 0:
        raise SystemExit(f"benchmark: {' '.join(command[:3])} failed; see {log}")
    return Measure(round(seconds, 2), peak)


# --------------------------------------------------------------- steps
def run_sample(root: Path) -> dict:
    """`dbt build` of the committed sample as `make test` runs it, from an
    empty database and target directory, so that dbt parses the project."""
    data = root / "sample"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    measure = measured(
        dbt_build_command(data),
        data / "dbt_build.log",
        dbt_env(data / "project.duckdb"),
    )
    run_results = json.loads((data / "target" / "run_results.json").read_text())
    with duckdb.connect(str(data / "project.duckdb"), read_only=True) as connection:
        contacts = connection.execute(
            "select count(*) from staging.stg_contacts__checked"
        ).fetchone()[0]
    return {
        "contacts": contacts,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "steps": {"dbt_build": asdict(measure)},
        "nodes": len(run_results["results"]),
        "slowest": slowest_models(data / "target" / "run_results.json"),
    }


def generate(size: str, full: Path, regenerate: bool) -> None:
    marker = full / ".complete"
    if marker.exists() and not regenerate:
        print(f"[{size}] reusing {full}", flush=True)
        return
    shutil.rmtree(full, ignore_errors=True)
    spec = SIZES[size]
    print(f"[{size}] generating {DAYS} days into {full}", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "python"),
            "scripts/generate_extracts.py",
            "--days",
            str(DAYS),
            "--daily-volume",
            str(spec["daily_volume"]),
            "--parts",
            str(spec["parts"]),
            "--fault-rate",
            "0",
            "--format",
            "parquet",
            "--out",
            str(full),
        ],
        cwd=PROJECT_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    marker.write_text(f"{time.perf_counter() - started:.1f} s\n")


def dbt_build_command(data: Path, *arguments: str) -> list[str]:
    """`dbt build` on the CI target, its target and log directories in `data`."""
    return [
        str(BIN / "dbt"),
        "build",
        "--target",
        "ci",
        "--target-path",
        str(data / "target"),
        "--log-path",
        str(data / "logs"),
        *arguments,
    ]


def dbt_build(data: Path, history: Path, *extra: str) -> list[str]:
    """A production build at scale: the extracts come from files, so the
    sample seeds are not loaded; KPIs are tables (var kpi_materialization);
    unit tests, which pin definitions, not data, and take the same time at
    any size, are left to `make test`."""
    variables = json.dumps(
        {
            "extract_dir": str(history),
            "extract_format": "parquet",
            "kpi_materialization": "table",
        }
    )
    return dbt_build_command(
        data,
        "--exclude-resource-type",
        "unit_test",
        "--exclude",
        *SAMPLE_SEEDS,
        "--vars",
        variables,
        *extra,
    )


def dbt_env(database: Path, threads: int | None = None) -> dict[str, str]:
    """dbt's environment; without `threads`, the profile's default."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "CC_DUCKDB_PATH": str(database),
        "CC_DUCKDB_TEMP_DIR": str(database.with_suffix(".tmp")),
        "CC_DUCKDB_MEMORY_LIMIT": MEMORY_LIMIT,
    }
    if threads is None:
        env.pop("CC_DBT_THREADS", None)
    else:
        env["CC_DBT_THREADS"] = str(threads)
    return env


def slowest_models(run_results: Path, count: int = 5) -> list[tuple[str, float]]:
    results = json.loads(run_results.read_text())["results"]
    timed = [(r["unique_id"], round(r["execution_time"], 2)) for r in results]
    return sorted(timed, key=lambda item: -item[1])[:count]


def headline(connection: duckdb.DuckDBPyConnection, sql: Path) -> dict[str, list]:
    rows = connection.execute(sql.read_text()).fetchall()
    return {
        kpi: [numerator, denominator, value]
        for kpi, numerator, denominator, value in rows
    }


def agree(left: float | None, right: float | None) -> bool:
    if left is None or right is None:
        return left is right
    return abs(left - right) <= RELATIVE_TOLERANCE * max(1.0, abs(left), abs(right))


def run_size(size: str, root: Path, regenerate: bool) -> dict:
    data = root / size
    full, history, last_day = data / "full", data / "history", data / "last_day"
    database = data / "project.duckdb"
    generate(size, full, regenerate)
    for path in (history, last_day, data / "target"):
        shutil.rmtree(path, ignore_errors=True)
    for path in (database, database.with_suffix(".duckdb.wal")):
        path.unlink(missing_ok=True)
    held_back = hold_back.split_last_day(full, history, last_day)
    with duckdb.connect() as connection:
        contacts, appended = (
            connection.execute(
                f"select count(*) from read_parquet('{folder}/raw_contacts/*.parquet')"
            ).fetchone()[0]
            for folder in (history, last_day)
        )
    print(
        f"[{size}] {contacts:,} contacts before {held_back}, {appended:,} on it",
        flush=True,
    )

    steps: dict[str, Measure] = {}
    print(f"[{size}] a. dbt build --full-refresh", flush=True)
    steps["a_full_build"] = measured(
        dbt_build(data, history, "--full-refresh"),
        data / "a_full_build.log",
        dbt_env(database, SIZES[size]["dbt_threads"]),
    )
    slowest = slowest_models(data / "target" / "run_results.json")
    with duckdb.connect(str(database), read_only=True) as connection:
        project = headline(connection, PROJECT_SQL)

    print(f"[{size}] c. Great Expectations checkpoint", flush=True)
    validation_json = data / "validation.json"
    steps["c_validation"] = measured(
        [
            str(BIN / "python"),
            "scripts/benchmark.py",
            "validate",
            str(database),
            str(validation_json),
        ],
        data / "c_validation.log",
    )
    validation = json.loads(validation_json.read_text())
    print(f"[{size}] d. baseline", flush=True)
    baseline_json = data / "baseline.json"
    steps["d_baseline"] = measured(
        [
            str(BIN / "python"),
            "scripts/benchmark.py",
            "baseline",
            str(history),
            str(baseline_json),
        ],
        data / "d_baseline.log",
    )
    baseline = json.loads(baseline_json.read_text())
    print(f"[{size}] e. write floor", flush=True)
    copy = data / "write_floor.duckdb"
    steps["e_write_floor"] = measured(
        [str(BIN / "python"), "scripts/benchmark.py", "copy", str(database), str(copy)],
        data / "e_write_floor.log",
    )
    for path in (copy, copy.with_suffix(".duckdb.wal")):
        path.unlink(missing_ok=True)

    print(f"[{size}] b. append {held_back}, dbt build (incremental)", flush=True)
    hold_back.append_last_day(history, last_day)
    steps["b_incremental_build"] = measured(
        dbt_build(data, history),
        data / "b_incremental_build.log",
        dbt_env(database, INCREMENTAL_THREADS),
    )
    incremental_slowest = slowest_models(data / "target" / "run_results.json")

    kpis = {
        kpi: {
            "project": project.get(kpi),
            "baseline": baseline.get(kpi),
            "agree": all(
                agree(p, b)
                for p, b in zip(
                    project.get(kpi, [None] * 3),
                    baseline.get(kpi, [None] * 3),
                    strict=True,
                )
            ),
        }
        for kpi in sorted(set(project) | set(baseline))
    }
    return {
        "size": size,
        "contacts": contacts,
        "held_back_date": held_back.isoformat(),
        "appended_contacts": appended,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "steps": {name: asdict(measure) for name, measure in steps.items()},
        "kpis": kpis,
        "validation": validation,
        "slowest_full": slowest,
        "slowest_incremental": incremental_slowest,
    }


# ------------------------------------------------------------- report
def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_kb / 2**20:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}, DuckDB memory_limit {MEMORY_LIMIT}"
    )


def render(results: dict[str, dict]) -> str:
    gib = 2**30
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`scripts/benchmark.py`); every step runs in its",
        "own process, and the ratios of a size are measured in one run.",
        "",
        f"Machine: {machine()}.",
        "",
    ]
    if "sample" in results:
        sample = results["sample"]
        build = sample["steps"]["dbt_build"]
        lines += [
            "## The committed sample",
            "",
            f"`dbt build --target ci` of the committed sample ({sample['contacts']:,} "
            f"contacts; seeds, models, unit and data tests: {sample['nodes']} nodes)",
            "into an empty database with nothing parsed before, the profile's dbt",
            f"threads: **{build['seconds']:.1f} s** wall (target: under 60 s),",
            f"peak RSS {build['peak_rss_bytes'] / gib:.2f} GiB, "
            f"measured {sample['measured_at']}.",
            "Slowest nodes: "
            + ", ".join(f"{name} {seconds} s" for name, seconds in sample["slowest"])
            + ".",
            "",
        ]
    lines += [
        "## A year of history",
        "",
        "A year of generated extracts in Parquet (extract-directory mode, no",
        "injected faults), the last full day held back for the incremental step.",
        "The builds are production builds: KPIs as tables",
        "(`kpi_materialization: table`), every model and data test, no unit tests",
        "and no sample seeds (`make test` runs those).",
        "dbt threads (CC_DBT_THREADS) of the full build: "
        + ", ".join(f"{size} {spec['dbt_threads']}" for size, spec in SIZES.items())
        + f"; of the incremental build: {INCREMENTAL_THREADS}.",
        "",
        "| size | contacts | step | wall s | peak RSS GiB | time / baseline |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for size in SIZES:
        if size not in results:
            continue
        result = results[size]
        base = result["steps"]["d_baseline"]["seconds"]
        for step, measure in sorted(result["steps"].items()):
            ratio = measure["seconds"] / base if base else float("nan")
            lines.append(
                f"| {size} | {result['contacts']:,} | {step} "
                f"| {measure['seconds']:.1f} "
                f"| {measure['peak_rss_bytes'] / gib:.2f} | {ratio:.2f} |"
            )
    lines += [""] + [
        f"- {size}: the incremental step appends {results[size]['held_back_date']}, "
        f"{results[size]['appended_contacts']:,} contacts"
        for size in SIZES
        if "appended_contacts" in results.get(size, {})
    ]
    floors = {
        size: steps["a_full_build"]["seconds"] / steps["e_write_floor"]["seconds"]
        for size in SIZES
        if "e_write_floor" in (steps := results.get(size, {}).get("steps", {}))
    }
    if floors:
        lines += [
            "",
            "e_write_floor copies every table of the full build into a new file",
            "and computes nothing: a build that stores those tables (the",
            "incremental runs need them) can hardly be faster. The full build takes",
            ", ".join(
                f"{ratio:.2f}x the floor at {size}" for size, ratio in floors.items()
            )
            + ".",
        ]
    lines += ["", "## Agreement of project and baseline", ""]
    lines += ["| size | kpi | project | baseline | agree |", "|---|---|---:|---:|---|"]
    for size in SIZES:
        for kpi, row in results.get(size, {}).get("kpis", {}).items():
            project = (row["project"] or [None] * 3)[2]
            baseline = (row["baseline"] or [None] * 3)[2]
            lines.append(
                f"| {size} | {kpi} | {project} | {baseline} | {row['agree']} |"
            )
    lines += ["", "## Great Expectations on the full build", ""]
    for size in SIZES:
        if size in results:
            v = results[size]["validation"]
            lines.append(
                f"- {size}: {v['suites']} suites, {v['evaluated']} expectations, "
                f"{v['unsuccessful']} failed"
                + "".join(f"\n  - {line}" for line in v["failures"])
            )
    lines += ["", "## Slowest nodes (target/run_results.json)", ""]
    for size in SIZES:
        if size in results:
            for label, key in (
                ("full build", "slowest_full"),
                ("incremental", "slowest_incremental"),
            ):
                nodes = ", ".join(
                    f"{name} {seconds} s" for name, seconds in results[size][key]
                )
                lines.append(f"- {size}, {label}: {nodes}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------- sub-commands
def validate_command(database: Path, output: Path) -> int:
    """The publish gate's checkpoint on a built file, default thresholds.

    Its outcome goes to `output`: a failed expectation is a result of the
    benchmark, not an error of it.
    """
    from scripts import gx_suites, publish

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    parameters = gx_suites.runtime_parameters(
        previous_raw_rows=None,
        row_count_tolerance=0.5,
        reject_thresholds=gx_suites.reject_share_thresholds(0.05),
        min_latest_arrived_at=None,
    )
    validation = publish.validate(database, "benchmark", parameters, keep_going=True)
    summary = {
        "success": validation.success,
        "suites": len(validation.suites),
        **validation.statistics,
        "failures": validation.failures,
    }
    output.write_text(json.dumps(summary, indent=2))
    return 0


def baseline_command(extract_dir: Path, output: Path) -> int:
    with duckdb.connect(config={"memory_limit": MEMORY_LIMIT}) as connection:
        connection.execute("set variable extract_dir = ?", [str(extract_dir)])
        output.write_text(json.dumps(headline(connection, BASELINE_SQL)))
    return 0


def copy_command(database: Path, copy: Path) -> int:
    """Copy every table of `database` into the new file `copy`, as dbt's
    connection would write it (the profile's memory limit, every core)."""
    with duckdb.connect(str(copy), config={"memory_limit": MEMORY_LIMIT}) as target:
        target.execute("attach ? as built (read_only)", [str(database)])
        tables = target.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = 'built' order by all"
        ).fetchall()
        for schema in sorted({schema for schema, _ in tables}):
            target.execute(f'create schema if not exists "{schema}"')
        for schema, table in tables:
            target.execute(
                f'create table "{schema}"."{table}" as '
                f'select * from built."{schema}"."{table}"'
            )
        target.execute("checkpoint")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["validate"]:
        return validate_command(Path(argv[1]), Path(argv[2]))
    if argv[:1] == ["baseline"]:
        return baseline_command(Path(argv[1]), Path(argv[2]))
    if argv[:1] == ["copy"]:
        return copy_command(Path(argv[1]), Path(argv[2]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=",".join(("sample", *SIZES)), help="default %(default)s"
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=PROJECT_DIR / "warehouse" / "bench",
        help="data sets and databases (default %(default)s, git-ignored)",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="generate the data sets anew"
    )
    args = parser.parse_args(argv)
    sizes = [size.strip().lower() for size in args.sizes.split(",") if size.strip()]
    unknown = sorted(set(sizes) - {"sample", *SIZES})
    if unknown:
        parser.error(
            f"unknown size(s) {', '.join(unknown)}; known: sample, {', '.join(SIZES)}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    store = RESULTS.with_suffix(".json")
    results = json.loads(store.read_text()) if store.exists() else {}
    failed = False
    for size in sizes:
        if size == "sample":
            print("[sample] dbt build of the committed sample", flush=True)
            result = run_sample(args.root)
        else:
            result = run_size(size, args.root, args.regenerate)
        results[size] = result
        store.write_text(json.dumps(results, indent=2) + "\n")
        RESULTS.with_suffix(".md").write_text(render(results))
        disagree = [
            kpi for kpi, row in result.get("kpis", {}).items() if not row["agree"]
        ]
        failed |= bool(disagree)
        for name, measure in result["steps"].items():
            print(
                f"[{size}] {name}: {measure['seconds']:.1f} s, "
                f"{measure['peak_rss_bytes'] / 2**30:.2f} GiB"
            )
        if "kpis" in result:
            print(
                f"[{size}] KPIs disagree: {', '.join(disagree) or 'none'}", flush=True
            )
    print(f"Wrote {RESULTS.with_suffix('.md')}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
