"""Run the project's dbt against a throw-away DuckDB file, for the tests."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")


def run_dbt(
    args: list[str], database: Path, variables: dict | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>` on the ci target writing to `database`; never raises."""
    command = [str(DBT), *args, "--target", "ci"]
    if variables:
        command += ["--vars", json.dumps(variables)]
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "CC_DUCKDB_PATH": str(database),
        "CC_DUCKDB_TEMP_DIR": str(database.parent / "tmp"),
        # Keep dbt's target/ and logs/ of the tests apart from the project's.
        "DBT_TARGET_PATH": str(database.parent / "target"),
        "DBT_LOG_PATH": str(database.parent / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )


def write_csv(path: Path, header: list[str], rows: Iterable[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
