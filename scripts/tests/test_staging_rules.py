"""Every rule of the extract contract, one hand-written row at a time.

Each case is a base row of an extract with a few values changed, and the
outcome the contract demands for it: `clean`, `superseded`, or the
reject_reason. The rows are written as an extract directory, the staging
models are built from it with dbt (extract-directory mode), and the outcome
of every raw row is read back from the __checked models and compared.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest

from .dbt_runner import run_dbt, write_csv

Case = tuple[str, dict[str, str]]

CONTACT = {
    "contact_id": "c01",
    "exported_at": "2026-09-07T10:00:00+08:00",
    "channel": "voice",
    "direction": "inbound",
    "queue": "billing",
    "customer_id": "C1",
    "caller_number": "+8613800000001",
    "case_id": "K1",
    "arrived_at": "2026-09-07T09:00:00+08:00",
    "queued_at": "2026-09-07T09:00:30+08:00",
    "answered_at": "2026-09-07T09:00:50+08:00",
    "ended_at": "2026-09-07T09:05:00+08:00",
    "outcome": "answered",
    "agent_id": "A1",
    "talk_seconds": "200",
    "hold_seconds": "30",
    "acw_seconds": "20",
    "hold_count": "1",
    "transferred_to_queue": "",
    "agent_resolved": "Y",
}
UNANSWERED = {
    "answered_at": "",
    "agent_id": "",
    "talk_seconds": "",
    "hold_seconds": "",
    "acw_seconds": "",
    "hold_count": "",
    "agent_resolved": "",
}
CONTACT_CASES: list[Case] = [
    ("clean", {}),
    # Odd case and spaces in enums, boolean spellings, other UTC offsets.
    (
        "clean",
        {
            "contact_id": " c02 ",
            "channel": " Voice ",
            "direction": "INBOUND",
            "outcome": "Answered ",
            "queue": " Billing",
            "agent_resolved": " yes ",
            "arrived_at": "2026-09-07T01:00:00Z",
            "queued_at": "2026-09-07T06:00:30+05:00",
        },
    ),
    # An answered contact with no hold / ACW / hold count: they mean 0.
    ("clean", {"contact_id": "c03", "hold_seconds": "", "acw_seconds": ""}),
    # Re-sends: the latest exported_at in UTC wins, whatever its offset.
    ("superseded", {"contact_id": "c04", "talk_seconds": "100"}),
    ("superseded", {"contact_id": "c04", "exported_at": "2026-09-07T02:30:00Z"}),
    ("clean", {"contact_id": "c04", "exported_at": "2026-09-07T11:00:00+08:00"}),
    # Identical re-sends tied on the exported_at instant: the first by raw
    # text is kept ("...T02:00:00Z" sorts before "...T10:00:00+08:00").
    ("superseded", {"contact_id": "c05"}),
    ("clean", {"contact_id": "c05", "exported_at": "2026-09-07T02:00:00Z"}),
    # Tied re-sends that differ: both rejected.
    ("conflicting_duplicate", {"contact_id": "c06"}),
    ("conflicting_duplicate", {"contact_id": "c06", "talk_seconds": "201"}),
    # A conflict among older exports does not matter once a newer one exists.
    ("superseded", {"contact_id": "c07"}),
    ("superseded", {"contact_id": "c07", "talk_seconds": "1"}),
    ("clean", {"contact_id": "c07", "exported_at": "2026-09-08T10:00:00+08:00"}),
    # The kept row is the one validated: a bad newest export rejects it.
    ("superseded", {"contact_id": "c08"}),
    (
        "invalid_channel",
        {"contact_id": "c08", "channel": "fax", "exported_at": "2026-09-08T10:00:00Z"},
    ),
    ("missing_contact_id", {"contact_id": " "}),
    ("missing_exported_at", {"contact_id": "c10", "exported_at": ""}),
    (
        "invalid_exported_at",
        {"contact_id": "c11", "exported_at": "2026-09-07 10:00:00"},
    ),
    ("missing_channel", {"contact_id": "c12", "channel": ""}),
    ("invalid_channel", {"contact_id": "c13", "channel": "fax"}),
    ("missing_direction", {"contact_id": "c14", "direction": ""}),
    ("invalid_direction", {"contact_id": "c15", "direction": "sideways"}),
    ("missing_outcome", {"contact_id": "c16", "outcome": ""}),
    ("invalid_outcome", {"contact_id": "c17", "outcome": "no_answer"}),
    ("missing_queue", {"contact_id": "c18", "queue": "  "}),
    ("invalid_arrived_at", {"contact_id": "c19", "arrived_at": "yesterday"}),
    (
        "invalid_queued_at",
        {"contact_id": "c20", "queued_at": "2026-09-07T09:00:30"},
    ),
    (
        "invalid_answered_at",
        {"contact_id": "c21", "answered_at": "2026-09-07T09:00:50+8"},
    ),
    (
        "invalid_ended_at",
        {"contact_id": "c22", "ended_at": "2026-13-07T09:05:00+08:00"},
    ),
    ("missing_arrived_at", {"contact_id": "c23", "arrived_at": ""}),
    ("missing_ended_at", {"contact_id": "c24", "ended_at": ""}),
    ("invalid_talk_seconds", {"contact_id": "c25", "talk_seconds": "abc"}),
    # DuckDB would cast 12.5 to 13 and 1e3 to 1000: the contract says integer.
    ("invalid_hold_seconds", {"contact_id": "c26", "hold_seconds": "12.5"}),
    ("invalid_acw_seconds", {"contact_id": "c27", "acw_seconds": "1e3"}),
    ("invalid_hold_count", {"contact_id": "c28", "hold_count": "x"}),
    ("invalid_agent_resolved", {"contact_id": "c29", "agent_resolved": "maybe"}),
    ("negative_duration", {"contact_id": "c30", "acw_seconds": "-5"}),
    (
        "timestamps_out_of_order",
        {"contact_id": "c31", "answered_at": "2026-09-07T09:00:10+08:00"},
    ),
    (
        "unexpected_queued_at",
        {"contact_id": "c32", "outcome": "blocked", **UNANSWERED},
    ),
    (
        "unexpected_queued_at",
        {"contact_id": "c33", "direction": "outbound"},
    ),
    (
        "unanswered_with_answer_fields",
        {"contact_id": "c34", "outcome": "abandoned", **UNANSWERED, "acw_seconds": "0"},
    ),
    (
        "abandoned_without_queued_at",
        {"contact_id": "c35", "outcome": "abandoned", **UNANSWERED, "queued_at": ""},
    ),
    ("incomplete_answered_contact", {"contact_id": "c36", "agent_id": ""}),
    ("incomplete_answered_contact", {"contact_id": "c37", "talk_seconds": ""}),
    # Several broken rules: the first in the documented order is reported.
    ("invalid_channel", {"contact_id": "c38", "channel": "fax", "acw_seconds": "-1"}),
    # Valid rows of every other outcome.
    ("clean", {"contact_id": "c40", "outcome": "abandoned", **UNANSWERED}),
    (
        "clean",
        {"contact_id": "c41", "outcome": "blocked", **UNANSWERED, "queued_at": ""},
    ),
    (
        "clean",
        {
            "contact_id": "c42",
            "channel": "self_service",
            "outcome": "self_served",
            **UNANSWERED,
            "queued_at": "",
            "queue": "sales",
        },
    ),
    ("clean", {"contact_id": "c43", "direction": "outbound", "queued_at": ""}),
    (
        "clean",
        {
            "contact_id": "c44",
            "direction": "outbound",
            "outcome": "no_answer",
            **UNANSWERED,
            "queued_at": "",
        },
    ),
    # An agent missing from the roster is kept (a warning-level test).
    ("clean", {"contact_id": "c45", "agent_id": "A404"}),
]

SURVEY = {
    "survey_id": "s01",
    "contact_id": "c01",
    "responded_at": "2026-09-07T09:10:00+08:00",
    "csat": "5",
    "nps": "10",
    "ces": "7",
    "support_quality": "5",
    "issue_resolved": "true",
    "comment": 'Fast, "friendly" — 很好\nthanks',
}
SURVEY_CASES: list[Case] = [
    ("clean", {}),
    ("clean", {"survey_id": "s02", "csat": "", "nps": "", "issue_resolved": ""}),
    # Responded exactly when the contact ended: allowed.
    ("clean", {"survey_id": "s03", "responded_at": "2026-09-07T01:05:00Z"}),
    ("superseded", {"survey_id": "s04"}),
    ("clean", {"survey_id": "s04", "comment": "  " + SURVEY["comment"]}),
    ("conflicting_duplicate", {"survey_id": "s05"}),
    ("conflicting_duplicate", {"survey_id": "s05", "csat": "4"}),
    ("missing_survey_id", {"survey_id": ""}),
    ("missing_contact_id", {"survey_id": "s07", "contact_id": ""}),
    ("missing_responded_at", {"survey_id": "s08", "responded_at": ""}),
    ("invalid_responded_at", {"survey_id": "s09", "responded_at": "soon"}),
    ("invalid_csat", {"survey_id": "s10", "csat": "five"}),
    ("csat_out_of_range", {"survey_id": "s11", "csat": "6"}),
    ("invalid_nps", {"survey_id": "s12", "nps": "9.5"}),
    ("nps_out_of_range", {"survey_id": "s13", "nps": "11"}),
    ("invalid_ces", {"survey_id": "s14", "ces": "easy"}),
    ("ces_out_of_range", {"survey_id": "s15", "ces": "0"}),
    ("invalid_support_quality", {"survey_id": "s16", "support_quality": "?"}),
    ("support_quality_out_of_range", {"survey_id": "s17", "support_quality": "9"}),
    ("invalid_issue_resolved", {"survey_id": "s18", "issue_resolved": "perhaps"}),
    ("unknown_contact", {"survey_id": "s19", "contact_id": "zzz"}),
    # The contact exists in the extract but was rejected.
    ("unknown_contact", {"survey_id": "s20", "contact_id": "c13"}),
    (
        "responded_before_contact_end",
        {"survey_id": "s21", "responded_at": "2026-09-07T09:04:59+08:00"},
    ),
]

CASE = {
    "case_id": "K1",
    "customer_id": "C1",
    "opened_at": "2026-09-07T09:00:00+08:00",
    "resolved_at": "2026-09-07T09:05:00+08:00",
    "category": "billing",
    "origin_channel": "voice",
}
CASE_CASES: list[Case] = [
    ("clean", {}),
    ("clean", {"case_id": "K2", "resolved_at": "", "category": " How_To "}),
    ("clean", {"case_id": "K3", "resolved_at": "2026-09-07T01:00:00Z"}),
    ("clean", {"case_id": "K4"}),
    ("superseded", {"case_id": "K4"}),
    ("conflicting_duplicate", {"case_id": "K5"}),
    ("conflicting_duplicate", {"case_id": "K5", "category": "outage"}),
    ("missing_case_id", {"case_id": ""}),
    ("missing_customer_id", {"case_id": "K7", "customer_id": ""}),
    ("missing_opened_at", {"case_id": "K8", "opened_at": ""}),
    ("invalid_opened_at", {"case_id": "K9", "opened_at": "2026-09-07"}),
    ("invalid_resolved_at", {"case_id": "K10", "resolved_at": "never"}),
    (
        "resolved_before_opened",
        {"case_id": "K11", "resolved_at": "2026-09-07T00:59:59Z"},
    ),
    ("missing_category", {"case_id": "K12", "category": ""}),
    ("missing_origin_channel", {"case_id": "K13", "origin_channel": ""}),
    ("invalid_origin_channel", {"case_id": "K14", "origin_channel": "fax"}),
]

AGENT = {
    "agent_id": "A1",
    "full_name": "Li Wei",
    "team": "Billing",
    "site": "Shanghai",
    "hired_on": "2024-01-15",
    "left_on": "",
    "hourly_cost": "85.50",
    "cost_currency": "cny",
}
AGENT_CASES: list[Case] = [
    ("clean", {}),
    ("clean", {"agent_id": "A2", "left_on": "2026-10-01"}),
    ("superseded", {"agent_id": "A3"}),
    ("clean", {"agent_id": "A3", "cost_currency": " CNY "}),
    ("conflicting_duplicate", {"agent_id": "A4"}),
    ("conflicting_duplicate", {"agent_id": "A4", "team": "Sales"}),
    ("missing_agent_id", {"agent_id": ""}),
    ("missing_hired_on", {"agent_id": "A6", "hired_on": ""}),
    ("invalid_hired_on", {"agent_id": "A7", "hired_on": "2026-02-30"}),
    ("invalid_left_on", {"agent_id": "A8", "left_on": "01/10/2026"}),
    ("left_before_hired", {"agent_id": "A9", "left_on": "2024-01-14"}),
    ("missing_hourly_cost", {"agent_id": "A10", "hourly_cost": ""}),
    ("invalid_hourly_cost", {"agent_id": "A11", "hourly_cost": "cheap"}),
    ("negative_hourly_cost", {"agent_id": "A12", "hourly_cost": "-1"}),
    ("missing_cost_currency", {"agent_id": "A13", "cost_currency": ""}),
    ("invalid_cost_currency", {"agent_id": "A14", "cost_currency": "yuan"}),
]

STATE = {
    "agent_id": "A1",
    "state": "available",
    "started_at": "2026-09-07T09:00:00+08:00",
    "ended_at": "2026-09-07T09:00:50+08:00",
}
STATE_CASES: list[Case] = [
    ("clean", {}),
    # Touching intervals do not overlap.
    (
        "clean",
        {
            "state": " On_Contact",
            "started_at": "2026-09-07T01:00:50Z",
            "ended_at": "2026-09-07T09:04:50+08:00",
        },
    ),
    # Crosses local midnight: kept whole, split by the marts.
    (
        "clean",
        {
            "state": "available",
            "started_at": "2026-09-07T23:50:00+08:00",
            "ended_at": "2026-09-08T00:20:00+08:00",
        },
    ),
    # A rejected row does not make a valid one overlap.
    (
        "invalid_state",
        {
            "state": "lunch",
            "started_at": "2026-09-07T09:00:10+08:00",
            "ended_at": "2026-09-07T09:00:20+08:00",
        },
    ),
    # Overlapping intervals of one agent: both rejected; also identical ones.
    ("overlapping_interval", {"agent_id": "A2"}),
    (
        "overlapping_interval",
        {
            "agent_id": "A2",
            "state": "acw",
            "started_at": "2026-09-07T09:00:49+08:00",
            "ended_at": "2026-09-07T09:10:00+08:00",
        },
    ),
    ("overlapping_interval", {"agent_id": "A3"}),
    ("overlapping_interval", {"agent_id": "A3"}),
    # A long interval overlaps two later ones, which do not overlap each
    # other: all three rejected.
    *(
        (
            "overlapping_interval",
            {"agent_id": "A6", "started_at": started_at, "ended_at": ended_at},
        )
        for started_at, ended_at in (
            ("2026-09-07T09:00:00+08:00", "2026-09-07T10:00:00+08:00"),
            ("2026-09-07T09:10:00+08:00", "2026-09-07T09:20:00+08:00"),
            ("2026-09-07T09:30:00+08:00", "2026-09-07T09:40:00+08:00"),
        )
    ),
    # Across UTC midnight: a five-hour interval overlaps one that starts on
    # the next UTC day, not one that starts as it ends.
    *(
        (
            reason,
            {"agent_id": "A9", "started_at": started_at, "ended_at": ended_at},
        )
        for reason, started_at, ended_at in (
            (
                "overlapping_interval",
                "2026-09-07T06:00:00+08:00",
                "2026-09-07T11:00:00+08:00",
            ),
            (
                "overlapping_interval",
                "2026-09-07T10:15:00+08:00",
                "2026-09-07T10:20:00+08:00",
            ),
            ("clean", "2026-09-07T11:00:00+08:00", "2026-09-07T11:30:00+08:00"),
        )
    ),
    # Another agent at the same time is not an overlap.
    ("clean", {"agent_id": "A404"}),
    ("missing_agent_id", {"agent_id": ""}),
    ("missing_state", {"agent_id": "A5", "state": ""}),
    ("missing_started_at", {"agent_id": "A5", "started_at": ""}),
    ("invalid_started_at", {"agent_id": "A5", "started_at": "9am"}),
    ("missing_ended_at", {"agent_id": "A5", "ended_at": ""}),
    ("invalid_ended_at", {"agent_id": "A5", "ended_at": "2026-09-07T25:00:00Z"}),
    (
        "ended_not_after_started",
        {"agent_id": "A5", "ended_at": "2026-09-07T01:00:00Z"},
    ),
]

EVALUATION = {
    "evaluation_id": "q01",
    "contact_id": "c01",
    "agent_id": "A1",
    "evaluated_at": "2026-09-08T10:00:00+08:00",
    "score": "87.5",
    "form": "Standard v2",
}
EVALUATION_CASES: list[Case] = [
    ("clean", {}),
    ("clean", {"evaluation_id": "q02", "score": "100"}),
    ("clean", {"evaluation_id": "q03", "score": "0"}),
    ("conflicting_duplicate", {"evaluation_id": "q04"}),
    ("conflicting_duplicate", {"evaluation_id": "q04", "score": "80"}),
    ("missing_evaluation_id", {"evaluation_id": ""}),
    ("missing_contact_id", {"evaluation_id": "q06", "contact_id": ""}),
    ("missing_agent_id", {"evaluation_id": "q07", "agent_id": ""}),
    ("missing_evaluated_at", {"evaluation_id": "q08", "evaluated_at": ""}),
    ("invalid_evaluated_at", {"evaluation_id": "q09", "evaluated_at": "today"}),
    ("missing_score", {"evaluation_id": "q10", "score": ""}),
    ("invalid_score", {"evaluation_id": "q11", "score": "good"}),
    ("score_out_of_range", {"evaluation_id": "q12", "score": "100.5"}),
    ("score_out_of_range", {"evaluation_id": "q13", "score": "-1"}),
]

ESAT = {
    "response_id": "e01",
    "agent_id": "A1",
    "surveyed_on": "2026-09-30",
    "esat": "4",
}
ESAT_CASES: list[Case] = [
    ("clean", {}),
    ("clean", {"response_id": "e02"}),
    ("superseded", {"response_id": "e02"}),
    ("conflicting_duplicate", {"response_id": "e03"}),
    ("conflicting_duplicate", {"response_id": "e03", "esat": "5"}),
    ("missing_response_id", {"response_id": ""}),
    ("missing_agent_id", {"response_id": "e05", "agent_id": ""}),
    ("missing_surveyed_on", {"response_id": "e06", "surveyed_on": ""}),
    ("invalid_surveyed_on", {"response_id": "e07", "surveyed_on": "2026/09/30"}),
    ("missing_esat", {"response_id": "e08", "esat": ""}),
    ("invalid_esat", {"response_id": "e09", "esat": "x"}),
    ("esat_out_of_range", {"response_id": "e10", "esat": "6"}),
]

COST = {
    "month": "2026-09",
    "cost_center": "billing",
    "category": "labor",
    "amount": "120000.00",
    "currency": "CNY",
}
COST_CASES: list[Case] = [
    ("clean", {}),
    # Repeated lines are legitimate.
    ("clean", {}),
    ("clean", {"cost_center": " Shared ", "category": "Technology", "currency": "usd"}),
    ("clean", {"cost_center": "sales", "amount": "-500"}),
    ("missing_month", {"month": ""}),
    ("invalid_month", {"month": "2026/09"}),
    ("missing_cost_center", {"cost_center": ""}),
    ("unknown_cost_center", {"cost_center": "marketing"}),
    ("missing_category", {"category": ""}),
    ("invalid_category", {"category": "snacks"}),
    ("missing_amount", {"amount": ""}),
    ("invalid_amount", {"amount": "lots"}),
    ("missing_currency", {"currency": ""}),
    ("invalid_currency", {"currency": "dollars"}),
    ("missing_fx_rate", {"currency": "GBP"}),
    # USD has a rate in 2026-09 but not in 2026-11; EUR's 2026-10 rates conflict.
    ("missing_fx_rate", {"month": "2026-11", "currency": "USD"}),
    ("missing_fx_rate", {"month": "2026-10", "currency": "EUR"}),
]

REVENUE = {
    "month": "2026-09",
    "customer_id": "C1",
    "amount": "99.00",
    "currency": "CNY",
}
REVENUE_CASES: list[Case] = [
    ("clean", {}),
    ("clean", {"amount": "0", "currency": "USD"}),
    ("missing_month", {"month": ""}),
    ("invalid_month", {"month": "Sep 2026"}),
    ("missing_customer_id", {"customer_id": ""}),
    ("missing_amount", {"amount": ""}),
    ("invalid_amount", {"amount": "1,000"}),
    ("negative_amount", {"amount": "-1"}),
    ("missing_currency", {"currency": ""}),
    ("invalid_currency", {"currency": "US"}),
    ("missing_fx_rate", {"currency": "GBP"}),
]

FX_RATE = {"month": "2026-09", "currency": "USD", "rate_to_reporting": "7.12"}
FX_RATE_CASES: list[Case] = [
    ("clean", {}),
    ("clean", {"currency": "EUR", "rate_to_reporting": "7.80"}),
    ("superseded", {"month": "2026-10"}),
    ("clean", {"month": "2026-10", "currency": " usd"}),
    ("conflicting_duplicate", {"month": "2026-10", "currency": "EUR"}),
    (
        "conflicting_duplicate",
        {"month": "2026-10", "currency": "EUR", "rate_to_reporting": "7.9"},
    ),
    ("missing_month", {"month": ""}),
    ("invalid_month", {"month": "2026-9"}),
    ("missing_currency", {"currency": ""}),
    ("invalid_currency", {"currency": "$"}),
    ("missing_rate_to_reporting", {"month": "2026-08", "rate_to_reporting": ""}),
    ("invalid_rate_to_reporting", {"month": "2026-07", "rate_to_reporting": "x"}),
    ("non_positive_rate", {"month": "2026-06", "rate_to_reporting": "0"}),
]

# extract name -> (base row, cases)
EXTRACTS: dict[str, tuple[dict[str, str], list[Case]]] = {
    "raw_contacts": (CONTACT, CONTACT_CASES),
    "raw_surveys": (SURVEY, SURVEY_CASES),
    "raw_cases": (CASE, CASE_CASES),
    "raw_agents": (AGENT, AGENT_CASES),
    "raw_agent_states": (STATE, STATE_CASES),
    "raw_qa_evaluations": (EVALUATION, EVALUATION_CASES),
    "raw_employee_surveys": (ESAT, ESAT_CASES),
    "raw_costs": (COST, COST_CASES),
    "raw_revenue": (REVENUE, REVENUE_CASES),
    "fx_rates": (FX_RATE, FX_RATE_CASES),
}
EXTRA_COLUMN = "Loaded_By"


def checked_model(extract: str) -> str:
    return "stg_" + extract.removeprefix("raw_") + "__checked"


def write_extracts(folder: Path, drop: tuple[str, str] | None = None) -> None:
    """Write every extract's cases as <folder>/<extract>.csv.

    The header is upper-cased, in reverse order and carries an extra column,
    which the contract allows. `drop` = (extract, column) leaves one out.
    """
    for extract, (base, cases) in EXTRACTS.items():
        header = [column.upper() for column in reversed(base)] + [EXTRA_COLUMN]
        if drop and drop[0] == extract:
            header.remove(drop[1].upper())
        rows = [
            {column.upper(): value for column, value in {**base, **changes}.items()}
            | {EXTRA_COLUMN: "test"}
            for _, changes in cases
        ]
        rows = [{column: row[column] for column in header} for row in rows]
        write_csv(folder / f"{extract}.csv", header, rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("rules")
    write_extracts(folder / "extracts")
    # kpi_targets: the one seed staging reads in extract-directory mode
    result = run_dbt(
        ["build", "--select", "kpi_targets", "staging", "audit"],
        folder / "rules.duckdb",
        {"extract_dir": str(folder / "extracts")},
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return folder / "rules.duckdb", result.stdout


@pytest.mark.parametrize("extract", EXTRACTS)
def test_every_row_gets_the_outcome_the_contract_demands(
    built: tuple[Path, str], extract: str
) -> None:
    database, _ = built
    base, cases = EXTRACTS[extract]
    expected = Counter(
        (tuple({**base, **changes}.values()), outcome) for outcome, changes in cases
    )
    raw_columns = ", ".join(f"raw_{column}" for column in base)
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            f"select {raw_columns}, coalesce(reject_reason, row_status) "
            f"from staging.{checked_model(extract)}"
        ).fetchall()
    # The CSV reader gives empty cells back as nulls.
    actual = Counter(
        (tuple("" if value is None else value for value in row[:-1]), row[-1])
        for row in rows
    )
    assert actual == expected


def test_clean_values_are_parsed_and_normalized(built: tuple[Path, str]) -> None:
    database, _ = built
    with duckdb.connect(str(database), read_only=True) as connection:
        contact = connection.execute(
            "select channel, direction, outcome, queue, agent_resolved, "
            "arrived_at = '2026-09-07 01:00:00+00'::timestamptz, "
            "strftime(arrived_at_local, '%H:%M'), caller_number_hash <> ''"
            " and caller_number_hash not like '%8613800000001%' "
            "from staging.stg_contacts where contact_id = 'c02'"
        ).fetchone()
        zero_filled = connection.execute(
            "select hold_seconds, acw_seconds, hold_count from staging.stg_contacts "
            "where contact_id = 'c03'"
        ).fetchone()
        converted = connection.execute(
            "select sum(amount_reporting) from staging.stg_costs where currency = 'USD'"
        ).fetchone()
    assert contact == (
        "voice",
        "inbound",
        "answered",
        "billing",
        True,
        True,
        "09:00",
        True,
    )
    assert zero_filled == (0, 0, 1)
    assert converted == (pytest.approx(120000 * 7.12),)


def test_extra_column_is_ignored_with_a_warning(built: tuple[Path, str]) -> None:
    _, output = built
    assert f"column '{EXTRA_COLUMN}' is not in the contract and is ignored" in output


def test_missing_column_stops_the_build_naming_file_and_column(
    tmp_path: Path,
) -> None:
    write_extracts(tmp_path / "extracts", drop=("raw_cases", "category"))
    result = run_dbt(
        ["run", "--select", "stg_cases__checked"],
        tmp_path / "missing.duckdb",
        {"extract_dir": str(tmp_path / "extracts")},
    )
    assert result.returncode != 0
    assert "raw_cases.csv is missing required column 'category'" in result.stdout


def test_missing_extract_file_stops_the_build_naming_it(tmp_path: Path) -> None:
    write_extracts(tmp_path / "extracts")
    (tmp_path / "extracts" / "raw_agents.csv").unlink()
    result = run_dbt(
        ["run", "--select", "stg_agents__checked"],
        tmp_path / "nofile.duckdb",
        {"extract_dir": str(tmp_path / "extracts")},
    )
    assert result.returncode != 0
    assert "Extract raw_agents: no file matches" in result.stdout
