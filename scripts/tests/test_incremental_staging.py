"""Incremental staging judges a new file as a full refresh would.

In extract-directory mode the `__checked` models of contacts, cases, agent
states, surveys, QA evaluations and revenue read only the files they have
no row from. A new file can change the outcome of rows loaded before: a
later export supersedes a loaded contact, a tie that differs makes both
rows conflicting duplicates, a new state overlapping a loaded one rejects
both, a loaded survey loses its contact to such a tie, loaded revenue
lines lose their exchange rate to one. Warehouse A is built on a
generated extract directory (faults included), a file of such rows is
added and A is built again; warehouse B is built from scratch on the same
files. Every `__checked` table must hold the same rows in A and B, and A
must show each of those outcomes, so that the comparison is not vacuous.
A case (survey, evaluation) that the new file makes a conflicting duplicate
must leave fct_cases (fct_survey_responses, fct_qa_evaluations), which an
incremental run only deletes from by key otherwise.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from .dbt_runner import run_dbt
from .test_incremental import assert_same_rows, generate

MODELS = (
    "stg_contacts__checked",
    "stg_cases__checked",
    "stg_agent_states__checked",
    "stg_surveys__checked",
    "stg_qa_evaluations__checked",
    "stg_revenue__checked",
)
# The marts that delete the rows a re-send turns into conflicting duplicates
# (test_row_made_conflicting_leaves_the_mart): mart, its key, its __checked
# model.
DELETING_MARTS = (
    ("fct_contacts", "contact_id", "stg_contacts__checked"),
    ("fct_cases", "case_id", "stg_cases__checked"),
    ("fct_survey_responses", "survey_id", "stg_surveys__checked"),
    ("fct_qa_evaluations", "evaluation_id", "stg_qa_evaluations__checked"),
)
# The incremental marts that read what the re-sends change.
MARTS = (
    "fct_contacts",
    "fct_cases",
    "fct_survey_responses",
    "fct_qa_evaluations",
    "fct_revenue",
    "dim_customers",
)
# the models and their parents; the clean views write_resends reads; the
# marts
SELECTED = (
    *(f"+{model}" for model in MODELS),
    "stg_surveys",
    "stg_revenue",
    *(f"+{mart}" for mart in MARTS),
)
NEW_FILE = "zz-resend.parquet"

# The new file's rows, each derived from a row loaded before (`loaded`,
# one row picked by its query) by a SELECT over it.
RESENDS: dict[str, list[str]] = {
    "raw_contacts": [
        # a later export of an answered contact, its queue written untidily
        """select * replace (
               '2099-01-01T00:00:00Z' as exported_at, ' billing ' as queue)
           from loaded where contact_id = (select min(contact_id) from loaded
               where trim(outcome) = 'answered')""",
        # the same export of another contact with another outcome: a
        # conflicting tie, which leaves the contact's clean loaded survey
        # without a clean contact
        """select * replace ('blocked' as outcome)
           from loaded where contact_id = (select max(contact_id) from loaded
               where trim(outcome) = 'answered'
                   and trim(contact_id) in (select contact_id from surveys))""",
        # the same export again, written in other case and spacing: an
        # identical tie, superseded
        """select * replace (upper(channel) || ' ' as channel)
           from loaded where contact_id = (select min(contact_id) from loaded
               where trim(outcome) = 'abandoned')""",
    ],
    "raw_cases": [
        # a case re-sent with a different category: a conflicting duplicate
        """select * replace ('other-' || category as category)
           from loaded where case_id = (select min(case_id) from loaded)""",
    ],
    "raw_surveys": [
        # a survey re-sent with another score: a conflicting duplicate
        """select * replace ('1' as csat)
           from loaded where survey_id = (select min(survey_id) from loaded
               where trim(csat) in ('4', '5'))""",
    ],
    "raw_qa_evaluations": [
        # an evaluation re-sent with another score: a conflicting duplicate
        """select * replace ('0' as score)
           from loaded where evaluation_id = (select min(evaluation_id) from loaded
               where try_cast(score as double) > 0)""",
    ],
    "raw_revenue": [
        # one more line of a loaded month and currency
        """select * replace ('1.00' as amount)
           from loaded where try_cast(amount as double) > 0
           order by customer_id, month limit 1""",
    ],
    "fx_rates": [
        # a loaded rate sent again with another value: a conflicting
        # duplicate, which leaves that month's loaded revenue lines in that
        # currency without a rate
        """select * replace (
               cast(2 * cast(rate_to_reporting as double) as varchar)
                   as rate_to_reporting)
           from loaded
           where try_cast(rate_to_reporting as double) > 0
               and upper(trim(currency)) || trim(month) in (
                   select currency || strftime(month_start, '%Y-%m')
                   from revenue where currency <> 'CNY')
           order by month, currency limit 1""",
    ],
    "raw_agent_states": [
        # a state starting one second into a loaded one of the same agent
        """select * replace (
               strftime(cast(started_at as timestamptz) + interval 1 second,
                   '%Y-%m-%dT%H:%M:%SZ') as started_at)
           from loaded
           where (agent_id, started_at) = (
               select (agent_id, started_at) from loaded
               -- a row without faults: a valid state, both instants
               -- written in full with their offset
               where state = 'available'
                   and regexp_full_match(started_at || ended_at,
                       '([0-9-]{10}T[0-9:]{8}[+-][0-9]{2}:[0-9]{2}){2}')
                   and try_cast(ended_at as timestamptz)
                   - try_cast(started_at as timestamptz) > interval 1 minute
               order by agent_id, started_at limit 1)""",
    ],
}


@dataclass
class Builds:
    source: Path
    database_a: Path
    database_b: Path
    # the keys of each deleting mart of A before the new file
    keys_before: dict[str, set[str]] = field(default_factory=dict)


def run(database: Path, extract_dir: Path, *flags: str) -> None:
    result = run_dbt(
        ["run", "--select", *SELECTED, *flags],
        database,
        {"extract_dir": str(extract_dir), "extract_format": "parquet"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def write_resends(extract_dir: Path, database: Path) -> None:
    """Writes RESENDS; `surveys` and `revenue` hold the contacts of the clean
    surveys and the months and currencies of the clean revenue lines that
    `database` holds."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{database}' as built (read_only)")
        connection.execute(
            "create temp table surveys as "
            "select contact_id from built.staging.stg_surveys"
        )
        connection.execute(
            "create temp table revenue as "
            "select month_start, currency from built.staging.stg_revenue"
        )
        connection.execute("detach built")
        for extract, queries in RESENDS.items():
            folder = extract_dir / extract
            connection.execute(
                "create or replace temp table loaded as "
                "select * from read_parquet(?, union_by_name = true)",
                [str(folder / "*.parquet")],
            )
            rows = " union all by name ".join(f"({query})" for query in queries)
            connection.execute(
                f"copy ({rows}) to '{folder / NEW_FILE}' (format parquet)"
            )


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("incremental_staging")
    source = root / "source"
    generate(source, "--fault-rate", "0.02", "--parts", "2")
    builds = Builds(source, root / "a" / "a.duckdb", root / "b" / "b.duckdb")
    for database in (builds.database_a, builds.database_b):
        database.parent.mkdir()
    run(builds.database_a, source)
    with duckdb.connect(str(builds.database_a), read_only=True) as connection:
        for mart, key, _ in DELETING_MARTS:
            builds.keys_before[mart] = {
                value
                for (value,) in connection.execute(
                    f"select {key} from marts.{mart}"
                ).fetchall()
            }
    write_resends(source, builds.database_a)
    run(builds.database_a, source)
    run(builds.database_b, source, "--full-refresh")
    return builds


@pytest.mark.parametrize("model", MODELS)
def test_incremental_staging_equals_full_refresh(builds: Builds, model: str) -> None:
    assert_same_rows(builds.database_a, builds.database_b, f"staging.{model}")


@pytest.mark.parametrize("mart", MARTS)
def test_incremental_marts_equal_full_refresh(builds: Builds, mart: str) -> None:
    assert_same_rows(builds.database_a, builds.database_b, f"marts.{mart}")


def test_new_file_changed_rows_loaded_before(builds: Builds) -> None:
    """Each re-send judged a loaded row again: the outcomes it must cause."""
    with duckdb.connect(str(builds.database_a), read_only=True) as connection:
        outcomes = dict(
            connection.execute(
                f"""
                select model || ':' || outcome, count(*)
                from (
                    select 'contacts' as model,
                        coalesce(reject_reason, duplicate_status, 'clean') as outcome
                    from staging.stg_contacts__checked
                    where contact_id in (select contact_id
                        from staging.stg_contacts__checked
                        where source_file like '%{NEW_FILE}')
                    union all
                    select 'cases', coalesce(reject_reason, duplicate_status, 'clean')
                    from staging.stg_cases__checked
                    where case_id in (select case_id
                        from staging.stg_cases__checked
                        where source_file like '%{NEW_FILE}')
                    union all
                    select 'surveys', coalesce(reject_reason, duplicate_status, 'clean')
                    from staging.stg_surveys__checked
                    where survey_id in (select survey_id
                        from staging.stg_surveys__checked
                        where source_file like '%{NEW_FILE}')
                        or contact_id in (select contact_id
                            from staging.stg_contacts__checked
                            where source_file like '%{NEW_FILE}'
                                and reject_reason = 'conflicting_duplicate')
                    union all
                    select 'qa', coalesce(reject_reason, duplicate_status, 'clean')
                    from staging.stg_qa_evaluations__checked
                    where evaluation_id in (select evaluation_id
                        from staging.stg_qa_evaluations__checked
                        where source_file like '%{NEW_FILE}')
                    union all
                    select 'revenue', coalesce(reject_reason, 'clean')
                    from staging.stg_revenue__checked as revenue
                    where source_file like '%{NEW_FILE}'
                        or exists (select 1 from staging.stg_fx_rates__checked as rates
                            where rates.source_file like '%{NEW_FILE}'
                                and rates.month_start = revenue.month_start
                                and rates.currency = revenue.currency)
                    union all
                    select 'states', coalesce(loaded.reject_reason, 'clean')
                    from staging.stg_agent_states__checked as loaded
                    inner join staging.stg_agent_states__checked as resent
                        on loaded.agent_id = resent.agent_id
                        and loaded.started_at
                            between resent.started_at - interval 1 second
                            and resent.started_at
                    where resent.source_file like '%{NEW_FILE}'
                )
                group by all
                """
            ).fetchall()
        )
    # the later export is kept and its old version superseded; the tie that
    # differs rejects both rows; the identical tie keeps one
    assert outcomes.get("contacts:superseded_older") == 1, outcomes
    assert outcomes.get("contacts:conflicting_duplicate") == 2, outcomes
    assert outcomes.get("contacts:superseded_identical") == 1, outcomes
    assert outcomes.get("cases:conflicting_duplicate") == 2, outcomes
    # the re-sent survey and its loaded version conflict; the survey of the
    # contact that became a conflicting duplicate lost its contact
    assert outcomes.get("surveys:conflicting_duplicate") == 2, outcomes
    assert outcomes.get("surveys:unknown_contact", 0) >= 1, outcomes
    assert outcomes.get("qa:conflicting_duplicate") == 2, outcomes
    # the new revenue line is clean; the lines loaded at the re-sent rate
    # have none now
    assert outcomes.get("revenue:clean", 0) >= 1, outcomes
    assert outcomes.get("revenue:missing_fx_rate", 0) >= 1, outcomes
    assert outcomes.get("states:overlapping_interval") == 2, outcomes


@pytest.mark.parametrize(("mart", "key", "checked"), DELETING_MARTS)
def test_row_made_conflicting_leaves_the_mart(
    builds: Builds, mart: str, key: str, checked: str
) -> None:
    with duckdb.connect(str(builds.database_a), read_only=True) as connection:
        conflicting = {
            value
            for (value,) in connection.execute(
                f"""
                select {key} from staging.{checked}
                where source_file like '%{NEW_FILE}'
                    and reject_reason = 'conflicting_duplicate'
                """
            ).fetchall()
        }
        kept = connection.execute(
            f"select count(*) from marts.{mart} where {key} in (select unnest(?))",
            [sorted(conflicting)],
        ).fetchone()
    assert conflicting and conflicting <= builds.keys_before[mart], conflicting
    assert kept == (0,), conflicting


def test_customer_judged_without_rows_leaves_dim_customers(
    builds: Builds, tmp_path: Path
) -> None:
    """A customer whose rows staging judged again and found none clean (here
    a contact re-sent as a conflicting tie, written by hand: in the generated
    data every customer has revenue lines, which no re-send can reject)
    leaves dim_customers, which only deletes by key otherwise."""
    database = tmp_path / "ghost" / "a.duckdb"
    database.parent.mkdir()
    shutil.copy(builds.database_a, database)
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            "insert into marts.dim_customers by name "
            "select 'ghost' as customer_id, 1 as contact_count, 0 as case_count, "
            "0 as lifetime_revenue_reporting, max(built_at) as built_at "
            "from marts.dim_customers"
        )
        connection.execute(
            "insert into staging.stg_contacts__checked by name "
            "select 'ghost' as customer_id, 'ghost-1' as contact_id, "
            "'conflicting_duplicate' as reject_reason, 'rejected' as row_status, "
            "max(built_at) + interval 1 second as built_at "
            "from marts.dim_customers"
        )
    result = run_dbt(
        ["run", "--select", "dim_customers"],
        database,
        {"extract_dir": str(builds.source), "extract_format": "parquet"},
    )
    assert result.returncode == 0, result.stdout[-4000:]
    # the ghost is gone, and every other customer is as it was
    assert_same_rows(builds.database_a, database, "marts.dim_customers")


def test_moved_extract_directory_loads_nothing_again(
    builds: Builds, tmp_path: Path
) -> None:
    """Files are known by name: built again from a copy of the extract
    directory at another path, A's copy reads no file and keeps its rows."""
    moved = tmp_path / "moved"
    shutil.copytree(builds.source, moved)
    database = tmp_path / "copy" / "a.duckdb"
    database.parent.mkdir()
    shutil.copy(builds.database_a, database)
    run(database, moved)
    for model in MODELS:
        assert_same_rows(builds.database_a, database, f"staging.{model}")


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("staging.stg_surveys__checked", "source_file"),
        ("staging.stg_surveys__checked", "built_at"),
        # an incremental mart that tells what changed by built_at
        ("marts.fct_qa_evaluations", "built_at"),
    ],
)
def test_table_of_an_earlier_version_asks_for_full_refresh(
    builds: Builds, tmp_path: Path, table: str, column: str
) -> None:
    """A table built before its extract was loaded by file, or before its
    rows were marked with their build, stops the run with an error naming
    the model to refresh."""
    model = table.split(".")[1]
    database = tmp_path / "old" / "a.duckdb"
    database.parent.mkdir()
    shutil.copy(builds.database_a, database)
    with duckdb.connect(str(database)) as connection:
        connection.execute(f"alter table {table} drop column {column}")
    result = run_dbt(
        ["run", "--select", model],
        database,
        {"extract_dir": str(builds.source), "extract_format": "parquet"},
    )
    assert result.returncode != 0
    assert f"has no column '{column}'" in result.stdout
    assert f"--full-refresh --select {model}" in result.stdout
