"""The Great Expectations suites of the publish gate, declared in one place.

`scripts/publish.py` runs the checkpoint `publish_gate` of the file data
context in `gx/` against the freshly built audit warehouse. This module
declares what that checkpoint checks and writes it to `gx/`:

    .venv/bin/python scripts/gx_suites.py     # rewrite gx/ after an edit

then commit `gx/`. Suites are named `<asset>.<stage>` and run in the order
raw -> staging -> marts. The values only known at run time (the previous
build's row counts, the reject-share thresholds, the freshness bound) are
suite parameters, filled in by `runtime_parameters()`.

To cover a new KPI view, add one line to `KPI_RANGES` (and one to
`KPI_RATIOS` / `KPI_TOTALS` when it exposes a numerator and a denominator,
or additive counts), run this script and commit `gx/`. Only declare views
that exist: an expectation on a missing view fails the gate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    from great_expectations.data_context import AbstractDataContext
    from great_expectations.expectations import Expectation

PROJECT_DIR = Path(__file__).resolve().parents[1]
GX_DIR = PROJECT_DIR / "gx"
DATASOURCE = "warehouse"
CHECKPOINT = "publish_gate"
BATCH_DEFINITION = "whole_table"
STAGES = ("raw", "staging", "marts")
# The data source's connection string is committed with a placeholder:
# publish.py points it at the audit file it just built.
DUCKDB_PATH_VARIABLE = "CC_GX_DUCKDB_PATH"
CONNECTION_STRING = "duckdb:///${" + DUCKDB_PATH_VARIABLE + "}"
# A ratio recomputed from its parts may differ in the last bits only.
RATIO_TOLERANCE = 1e-9
# Namespace of the ids of the committed GX objects (see _stable_ids).
ID_NAMESPACE = uuid.UUID("6f1d3c1e-8a43-4b8e-9a57-3c0d2f6c9b10")


# ------------------------------------------------------------- declarations
@dataclass(frozen=True)
class Extract:
    """A delivered extract and the staging model that checks its rows."""

    name: str
    model: str
    # Extracts of a few dozen rows (rosters, cost lines) reach a large reject
    # share with a handful of bad rows: their threshold never goes below this.
    min_reject_share_threshold: float = 0.0

    @property
    def checked_table(self) -> str:
        return f"{self.model}__checked"


EXTRACTS: tuple[Extract, ...] = (
    Extract("raw_contacts", "stg_contacts"),
    Extract("raw_cases", "stg_cases"),
    Extract("raw_surveys", "stg_surveys"),
    Extract("raw_agents", "stg_agents", min_reject_share_threshold=0.25),
    Extract("raw_agent_states", "stg_agent_states"),
    Extract("raw_qa_evaluations", "stg_qa_evaluations"),
    Extract("raw_employee_surveys", "stg_employee_surveys", 0.25),
    Extract("raw_costs", "stg_costs", min_reject_share_threshold=0.25),
    Extract("raw_revenue", "stg_revenue"),
    Extract("fx_rates", "stg_fx_rates"),
)


@dataclass(frozen=True)
class KpiRange:
    """A KPI column must lie in [min_value, max_value] (nulls allowed)."""

    view: str
    column: str
    min_value: float | None
    max_value: float | None


@dataclass(frozen=True)
class KpiRatio:
    """column = scale * numerator / denominator, null when denominator is 0.

    numerator and denominator are SQL expressions over the view's columns;
    with bounded, the numerator never exceeds the denominator (a share).
    """

    view: str
    column: str
    numerator: str
    denominator: str
    scale: float = 1.0
    bounded: bool = True


@dataclass(frozen=True)
class KpiTotal:
    """sum(view.column) equals a count over the marts (no row lost)."""

    view: str
    column: str
    expected_sql: str
    description: str


@dataclass(frozen=True)
class ScorecardSource:
    """The scorecard rows of one KPI: one per row (or per `rows`) of its view."""

    kpi: str
    view: str
    rows: str = "count(*)"


# One line per KPI column an analyst reads as a ratio or a score (kpis.md).
KPI_RANGES: tuple[KpiRange, ...] = (
    KpiRange("kpi_service_level", "service_level", 0, 1),
    KpiRange("kpi_speed_of_answer_by_hour", "service_level", 0, 1),
    KpiRange("kpi_speed_of_answer", "asa_seconds", 0, None),
    KpiRange("kpi_speed_of_answer", "wait_p90_seconds", 0, None),
    KpiRange("kpi_wait_time", "avg_wait_seconds", 0, None),
    KpiRange("kpi_abandonment", "abandonment_rate", 0, 1),
    KpiRange("kpi_blocked_contacts", "blocked_rate", 0, 1),
    KpiRange("kpi_caller_patience", "km_survival", 0, 1),
    KpiRange("kpi_caller_patience", "km_abandon_share", 0, 1),
    KpiRange("kpi_caller_patience", "naive_abandon_share", 0, 1),
    KpiRange("kpi_handle_time", "aht_seconds", 0, None),
    KpiRange("kpi_handle_time", "hold_ratio", 0, 1),
    KpiRange("kpi_handle_time", "within_target_rate", 0, 1),
    KpiRange("kpi_handle_time_distribution", "handled_share", 0, 1),
    KpiRange("kpi_handle_time_distribution", "cumulative_share", 0, 1),
    KpiRange("kpi_transfer_rate", "transfer_rate", 0, 1),
    KpiRange("kpi_first_contact_resolution", "operational_fcr", 0, 1),
    KpiRange("kpi_first_contact_resolution", "survey_fcr", 0, 1),
    KpiRange("kpi_first_contact_resolution", "case_fcr", 0, 1),
    KpiRange("kpi_repeat_contacts", "repeat_contact_rate", 0, 1),
    KpiRange("kpi_self_service", "self_service_rate", 0, 1),
    KpiRange("kpi_channel_containment", "containment_rate", 0, 1),
    KpiRange("kpi_channel_containment", "switching_rate", 0, 1),
    KpiRange("kpi_csat", "csat", 0, 1),
    KpiRange("kpi_csat", "avg_csat_score", 1, 5),
    KpiRange("kpi_nps", "nps", -100, 100),
    KpiRange("kpi_nps", "avg_nps_score", 0, 10),
    KpiRange("kpi_customer_effort", "easy_rate", 0, 1),
    KpiRange("kpi_customer_effort", "avg_ces_score", 1, 7),
    KpiRange("kpi_support_quality", "avg_support_quality", 1, 5),
    KpiRange("kpi_qa_score", "avg_qa_score", 0, 100),
    KpiRange("kpi_esat", "satisfied_rate", 0, 1),
    KpiRange("kpi_esat", "avg_esat_score", 1, 5),
    KpiRange("kpi_occupancy", "occupancy", 0, 1),
    KpiRange("kpi_utilization", "utilization", 0, 1),
    KpiRange("kpi_agent_leaderboard", "operational_fcr", 0, 1),
    KpiRange("kpi_agent_leaderboard", "csat", 0, 1),
    KpiRange("kpi_customer_retention", "retention_rate", 0, 1),
    KpiRange("kpi_customer_retention", "churn_rate", 0, 1),
    KpiRange("kpi_customer_lifetime_value", "churn_rate", 0, 1),
    KpiRange("kpi_cost_per_contact", "answered_share", 0, 1),
    KpiRange("kpi_staffing_requirement", "predicted_service_level", 0, 1),
    KpiRange("kpi_staffing_requirement", "measured_service_level", 0, 1),
)

# One line per KPI that is a ratio of counts the view exposes.
KPI_RATIOS: tuple[KpiRatio, ...] = (
    KpiRatio(
        "kpi_service_level", "service_level", "answered_within_threshold", "offered"
    ),
    KpiRatio(
        "kpi_speed_of_answer_by_hour",
        "service_level",
        "answered_within_threshold",
        "offered",
    ),
    KpiRatio(
        "kpi_speed_of_answer",
        "asa_seconds",
        "handled_wait_seconds",
        "handled",
        bounded=False,
    ),
    KpiRatio("kpi_abandonment", "abandonment_rate", "abandoned", "offered"),
    KpiRatio(
        "kpi_blocked_contacts", "blocked_rate", "blocked", "inbound_voice_attempts"
    ),
    KpiRatio(
        "kpi_handle_time",
        "aht_seconds",
        "total_handle_seconds",
        "handled",
        bounded=False,
    ),
    KpiRatio(
        "kpi_handle_time", "hold_ratio", "total_hold_seconds", "total_talk_hold_seconds"
    ),
    KpiRatio("kpi_handle_time", "within_target_rate", "within_target", "handled"),
    KpiRatio("kpi_transfer_rate", "transfer_rate", "transferred", "handled"),
    KpiRatio(
        "kpi_first_contact_resolution",
        "operational_fcr",
        "fcr_resolved",
        "fcr_eligible",
    ),
    KpiRatio(
        "kpi_first_contact_resolution",
        "survey_fcr",
        "survey_issue_resolved",
        "survey_issue_answered",
    ),
    KpiRatio(
        "kpi_first_contact_resolution",
        "case_fcr",
        "cases_resolved_on_first_contact",
        "cases_resolved_with_contacts",
    ),
    KpiRatio(
        "kpi_repeat_contacts",
        "repeat_contact_rate",
        "repeat_contacts",
        "inbound_with_customer",
    ),
    KpiRatio(
        "kpi_self_service", "self_service_rate", "self_served", "self_served_or_handled"
    ),
    KpiRatio(
        "kpi_channel_containment",
        "containment_rate",
        "contained_cases",
        "resolved_cases_with_contacts",
    ),
    KpiRatio("kpi_csat", "csat", "satisfied", "responses"),
    KpiRatio(
        "kpi_nps",
        "nps",
        "promoters - detractors",
        "responses",
        scale=100,
        bounded=False,
    ),
    KpiRatio("kpi_customer_effort", "easy_rate", "easy_responses", "responses"),
    KpiRatio("kpi_esat", "satisfied_rate", "satisfied", "responses"),
    KpiRatio(
        "kpi_occupancy",
        "occupancy",
        "handling_seconds",
        "handling_seconds + available_seconds",
    ),
    KpiRatio("kpi_utilization", "utilization", "handling_seconds", "logged_in_seconds"),
    KpiRatio(
        "kpi_customer_retention",
        "retention_rate",
        "retained_customers",
        "previous_active_customers",
    ),
)

# Additive counts of a KPI view that must add up to the marts' own count.
KPI_TOTALS: tuple[KpiTotal, ...] = (
    KpiTotal(
        "kpi_service_level",
        "offered",
        "select count(*) from marts.fct_contacts where is_offered",
        "offered contacts of fct_contacts",
    ),
    KpiTotal(
        "kpi_abandonment",
        "offered",
        "select count(*) from marts.fct_contacts where is_offered",
        "offered contacts of fct_contacts",
    ),
    KpiTotal(
        "kpi_abandonment",
        "abandoned",
        "select count(*) from marts.fct_contacts where is_abandoned",
        "abandoned contacts (short abandons excluded) of fct_contacts",
    ),
    KpiTotal(
        "kpi_contact_volume",
        "contacts",
        "select count(*) from marts.fct_contacts",
        "contacts of fct_contacts",
    ),
    KpiTotal(
        "kpi_handle_time",
        "handled",
        "select count(*) from marts.fct_contacts where is_handled",
        "handled contacts of fct_contacts",
    ),
    KpiTotal(
        "kpi_nps",
        "responses",
        "select count(nps) from marts.fct_survey_responses",
        "survey responses with an NPS answer",
    ),
)

# kpi_scorecard (kpis.md, "Scorecard") holds one row per KPI and row of its
# source view; the agent views are rolled up to one row per date.
KPI_SCORECARD: tuple[ScorecardSource, ...] = (
    ScorecardSource("service_level", "kpi_service_level"),
    ScorecardSource("asa_seconds", "kpi_speed_of_answer"),
    ScorecardSource("abandonment_rate", "kpi_abandonment"),
    ScorecardSource("aht_seconds", "kpi_handle_time"),
    ScorecardSource("transfer_rate", "kpi_transfer_rate"),
    ScorecardSource("operational_fcr", "kpi_first_contact_resolution"),
    ScorecardSource("repeat_contact_rate", "kpi_repeat_contacts"),
    ScorecardSource("csat", "kpi_csat"),
    ScorecardSource("nps", "kpi_nps"),
    ScorecardSource("easy_rate", "kpi_customer_effort"),
    ScorecardSource("blocked_rate", "kpi_blocked_contacts"),
    ScorecardSource("self_service_rate", "kpi_self_service"),
    ScorecardSource("occupancy", "kpi_occupancy", "count(distinct state_date)"),
    ScorecardSource("utilization", "kpi_utilization", "count(distinct state_date)"),
    ScorecardSource("cost_per_contact", "kpi_cost_per_contact"),
    ScorecardSource("cost_per_resolution", "kpi_cost_per_resolution"),
    ScorecardSource("cost_to_revenue", "kpi_support_cost_to_revenue"),
    ScorecardSource("retention_rate", "kpi_customer_retention"),
)

CHANNELS = ["voice", "chat", "email", "self_service"]


# ------------------------------------------------------------------ suites
@dataclass(frozen=True)
class Suite:
    """One suite on one table, and how to build its expectations."""

    schema: str
    table: str
    stage: str
    expectations: Callable[[], list[Expectation]]

    @property
    def name(self) -> str:
        return f"{self.table}.{self.stage}"

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.table}"


def _gxe() -> Any:
    import great_expectations.expectations as gxe

    return gxe


def _sql_check(query: str, description: str) -> Expectation:
    """An expectation that fails when `query` returns rows."""
    return _gxe().UnexpectedRowsExpectation(
        unexpected_rows_query=" ".join(query.split()), description=description
    )


def _key(column: str) -> list[Expectation]:
    gxe = _gxe()
    return [
        gxe.ExpectColumnValuesToNotBeNull(column=column),
        gxe.ExpectColumnValuesToBeUnique(column=column),
    ]


def _not_before(later: str, earlier: str) -> Expectation:
    """later >= earlier wherever both are set."""
    return _gxe().ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=later,
        column_B=earlier,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    )


def parameter(name: str) -> dict[str, str]:
    return {"$PARAMETER": name}


def _raw_suite(extract: Extract) -> list[Expectation]:
    """Every delivered row of an extract, with its staging outcome."""
    gxe = _gxe()
    return [
        # A half-delivered or doubled extract, relative to the last publish.
        gxe.ExpectTableRowCountToBeBetween(
            min_value=parameter(f"{extract.name}__min_rows"),
            max_value=parameter(f"{extract.name}__max_rows"),
            description=f"Rows delivered in {extract.name} stay within the "
            "row-count tolerance of the previous published build.",
        ),
        # A flood of rejected rows is a failed extract, not a bad day.
        gxe.ExpectColumnValuesToNotBeInSet(
            column="row_status",
            value_set=["rejected"],
            mostly=parameter(f"{extract.name}__min_accepted_share"),
            description=f"At most the reject-share threshold of {extract.name} "
            "is rejected by staging (mostly = 1 - threshold).",
        ),
    ]


def _stg_contacts() -> list[Expectation]:
    gxe = _gxe()
    return [
        *_key("contact_id"),
        gxe.ExpectColumnValuesToBeInSet(column="channel", value_set=CHANNELS),
        gxe.ExpectColumnValuesToBeInSet(
            column="direction", value_set=["inbound", "outbound"]
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="outcome",
            value_set=["answered", "abandoned", "blocked", "self_served", "no_answer"],
        ),
        # arrived_at <= queued_at <= answered_at <= ended_at
        _not_before("queued_at", "arrived_at"),
        _not_before("answered_at", "queued_at"),
        _not_before("answered_at", "arrived_at"),
        _not_before("ended_at", "answered_at"),
        _not_before("ended_at", "arrived_at"),
        # Freshness of the latest contact (publish.py --max-contact-age-hours).
        gxe.ExpectColumnMaxToBeBetween(
            column="arrived_at",
            min_value=parameter("min_latest_arrived_at"),
            description="The latest contact arrived within the allowed age "
            "before the build's reference time.",
        ),
    ]


def _stg_cases() -> list[Expectation]:
    gxe = _gxe()
    return [
        *_key("case_id"),
        gxe.ExpectColumnValuesToBeInSet(column="origin_channel", value_set=CHANNELS),
        _not_before("resolved_at", "opened_at"),
    ]


def _stg_surveys() -> list[Expectation]:
    gxe = _gxe()
    scores = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7), "support_quality": (1, 5)}
    return [
        *_key("survey_id"),
        *(
            gxe.ExpectColumnValuesToBeBetween(
                column=name, min_value=low, max_value=high
            )
            for name, (low, high) in scores.items()
        ),
    ]


def _stg_agents() -> list[Expectation]:
    return _key("agent_id")


def _stg_agent_states() -> list[Expectation]:
    gxe = _gxe()
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="agent_id"),
        gxe.ExpectColumnValuesToBeInSet(
            column="state",
            value_set=[
                "available",
                "on_contact",
                "acw",
                "break",
                "meeting",
                "training",
                "offline",
            ],
        ),
        _sql_check(
            "select * from {batch} where ended_at <= started_at",
            "Every agent state ends after it starts.",
        ),
    ]


def _fct_contacts() -> list[Expectation]:
    gxe = _gxe()
    return [
        gxe.ExpectColumnValuesToBeUnique(column="contact_id"),
        _sql_check(
            """
            select fct_rows, stg_rows
            from (
                select
                    (select count(*) from {batch}) as fct_rows,
                    (select count(*) from staging.stg_contacts) as stg_rows
            )
            where fct_rows <> stg_rows
            """,
            "fct_contacts holds exactly one row per clean contact of stg_contacts.",
        ),
        gxe.ExpectColumnValuesToBeBetween(column="wait_seconds", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="handle_seconds", min_value=0),
        gxe.ExpectColumnValuesToBeInSet(
            column="fcr_status", value_set=["resolved", "repeated", "pending"]
        ),
        _sql_check(
            """
            select contact_id, contact_date from {batch}
            where contact_date not in (select date_day from marts.dim_date)
            """,
            "Every contact_date is a day of dim_date.",
        ),
    ]


def _dim_date() -> list[Expectation]:
    return [
        *_key("date_day"),
        _sql_check(
            """
            select date_day, next_day
            from (
                select date_day, lead(date_day) over (order by date_day) as next_day
                from {batch}
            )
            where next_day - date_day <> 1
            """,
            "dim_date has no gap: each day is followed by the next calendar day.",
        ),
    ]


def _kpi_suite(view: str) -> Callable[[], list[Expectation]]:
    def build() -> list[Expectation]:
        gxe = _gxe()
        expectations: list[Expectation] = [
            gxe.ExpectColumnValuesToBeBetween(
                column=rule.column, min_value=rule.min_value, max_value=rule.max_value
            )
            for rule in KPI_RANGES
            if rule.view == view
        ]
        for ratio in (rule for rule in KPI_RATIOS if rule.view == view):
            num, den = ratio.numerator, ratio.denominator
            if ratio.bounded and num.isidentifier() and den.isidentifier():
                expectations.append(_not_before(den, num))
            elif ratio.bounded:
                expectations.append(
                    _sql_check(
                        f"select * from {{batch}} where ({num}) > ({den})",
                        f"{num} <= {den}.",
                    )
                )
            formula = f"{ratio.scale!r} * ({num}) / ({den})"
            text = f"{num} / {den}"
            if ratio.scale != 1:
                text = f"{ratio.scale:g} * ({num}) / {den}"
            expectations.append(
                _sql_check(
                    f"""
                    select * from {{batch}}
                    where
                        (coalesce({den}, 0) = 0 and {ratio.column} is not null)
                        or (
                            {den} <> 0
                            and ({ratio.column} is null
                                or abs({ratio.column} - {formula})
                                > {RATIO_TOLERANCE})
                        )
                    """,
                    f"{ratio.column} = {text} within {RATIO_TOLERANCE:g}, "
                    f"null when {den} = 0.",
                )
            )
        for total in (rule for rule in KPI_TOTALS if rule.view == view):
            expectations.append(
                _sql_check(
                    f"""
                    select kpi_total, marts_total
                    from (
                        select
                            (select coalesce(sum({total.column}), 0) from {{batch}})
                                as kpi_total,
                            ({total.expected_sql}) as marts_total
                    )
                    where kpi_total <> marts_total
                    """,
                    f"sum({total.column}) equals the {total.description}.",
                )
            )
        if view == "kpi_scorecard":
            expectations.extend(_scorecard_counts())
        return expectations

    return build


def _scorecard_counts() -> list[Expectation]:
    return [
        _sql_check(
            f"""
            select scorecard_rows, view_rows
            from (
                select
                    (select count(*) from {{batch}} where kpi = '{source.kpi}')
                        as scorecard_rows,
                    (select {source.rows} from marts.{source.view})
                        as view_rows
            )
            where scorecard_rows <> view_rows
            """,
            f"kpi_scorecard has one {source.kpi} row per row of {source.view}.",
        )
        for source in KPI_SCORECARD
    ]


def kpi_views() -> list[str]:
    """The KPI views covered, in declaration order."""
    views = [rule.view for rule in (*KPI_RANGES, *KPI_RATIOS, *KPI_TOTALS)]
    if KPI_SCORECARD:
        views.append("kpi_scorecard")
    return list(dict.fromkeys(views))


def suites() -> list[Suite]:
    """Every suite of the gate, in the order the checkpoint runs them."""
    declared = [
        *(Suite("staging", e.checked_table, "raw", _raw_factory(e)) for e in EXTRACTS),
        Suite("staging", "stg_contacts", "staging", _stg_contacts),
        Suite("staging", "stg_cases", "staging", _stg_cases),
        Suite("staging", "stg_surveys", "staging", _stg_surveys),
        Suite("staging", "stg_agents", "staging", _stg_agents),
        Suite("staging", "stg_agent_states", "staging", _stg_agent_states),
        Suite("marts", "fct_contacts", "marts", _fct_contacts),
        Suite("marts", "dim_date", "marts", _dim_date),
        *(Suite("marts", view, "marts", _kpi_suite(view)) for view in kpi_views()),
    ]
    return sorted(declared, key=lambda suite: STAGES.index(suite.stage))


def _raw_factory(extract: Extract) -> Callable[[], list[Expectation]]:
    return lambda: _raw_suite(extract)


# -------------------------------------------------------- run-time values
def reject_share_thresholds(
    default: float, overrides: Mapping[str, float] | None = None
) -> dict[str, float]:
    """The highest accepted reject share of each extract."""
    overrides = overrides or {}
    unknown = set(overrides) - {extract.name for extract in EXTRACTS}
    if unknown:
        raise ValueError(f"unknown extract(s): {', '.join(sorted(unknown))}")
    return {
        extract.name: overrides.get(
            extract.name, max(default, extract.min_reject_share_threshold)
        )
        for extract in EXTRACTS
    }


def runtime_parameters(
    previous_raw_rows: Mapping[str, int] | None,
    row_count_tolerance: float,
    reject_thresholds: Mapping[str, float],
    min_latest_arrived_at: dt.datetime | None,
) -> dict[str, Any]:
    """The suite parameters of one run.

    Raw row counts must stay within +/- row_count_tolerance of the previous
    published build's (no bound on the first publish, nor for an extract it
    did not have). min_latest_arrived_at None: no freshness bound.
    """
    values: dict[str, Any] = {"min_latest_arrived_at": min_latest_arrived_at}
    for extract in EXTRACTS:
        previous = (previous_raw_rows or {}).get(extract.name)
        low = high = None
        if previous is not None:
            low = int(previous * (1 - row_count_tolerance))
            high = int(previous * (1 + row_count_tolerance) + 0.999999)
        values[f"{extract.name}__min_rows"] = low
        values[f"{extract.name}__max_rows"] = high
        values[f"{extract.name}__min_accepted_share"] = (
            1 - reject_thresholds[extract.name]
        )
    return values


# ------------------------------------------------------ GX on DuckDB glue
class _DuckDBDialect(str):
    """ "duckdb", shaped like the GXSqlDialect members of the tuple below."""

    @property
    def value(self) -> str:
        return str(self)


def register_duckdb() -> None:
    """Give DuckDB one persistent SQLAlchemy connection inside GX.

    GX fetches query results after returning a pooled connection, and DuckDB
    drops a pending result on that rollback: every metric then fails with
    "list index out of range". GX keeps one connection per engine for the
    dialects of _PERSISTED_CONNECTION_DIALECTS (sqlite, mssql, ...); duckdb
    joins them. The tests prove a suite can pass and fail with this.
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from great_expectations.execution_engine import sqlalchemy_execution_engine as see

    if "duckdb" not in see._PERSISTED_CONNECTION_DIALECTS:
        see._PERSISTED_CONNECTION_DIALECTS = (
            *see._PERSISTED_CONNECTION_DIALECTS,
            _DuckDBDialect("duckdb"),
        )


def get_context(gx_dir: Path = GX_DIR) -> AbstractDataContext:
    """The file data context in gx_dir, analytics off."""
    register_duckdb()
    import great_expectations as gx

    return gx.get_context(mode="file", project_root_dir=str(gx_dir.parent))


def close_connections(context: AbstractDataContext) -> None:
    """Close every DuckDB connection GX holds, so the file can be reopened.

    DuckDB refuses a second connection to the same file with another
    configuration in one process (duckdb-engine sets its own): GX's
    connections must be gone before publish.py writes the publish_log.
    """
    for datasource in context.data_sources.all().values():
        engine = getattr(datasource, "execution_engine", None)
        if engine is not None:
            if engine._connection is not None:
                engine._connection.close()
                engine._connection = None
            engine.engine.dispose()
        if getattr(datasource, "_engine", None) is not None:
            datasource._engine.dispose()


# --------------------------------------------------------------- generator
def write_context(gx_dir: Path = GX_DIR) -> list[str]:
    """(Re)write the data source, suites, validation definitions and checkpoint.

    Idempotent: objects that exist keep their ids, objects no longer
    declared are deleted. Returns the suite names in checkpoint order.
    """
    declared = suites()
    tables = {suite.table: suite.schema for suite in declared}
    # GX tests the connection and every table when it adds them: give it a
    # scratch DuckDB holding empty stand-ins, so no build is needed here.
    scratch_dir = Path(tempfile.mkdtemp(prefix="gx-suites-"))
    scratch = scratch_dir / "scratch.duckdb"
    with duckdb.connect(str(scratch)) as connection:
        for table, schema in tables.items():
            connection.execute(f"create schema if not exists {schema}")
            connection.execute(f"create table {schema}.{table} (stand_in integer)")
    previous = os.environ.get(DUCKDB_PATH_VARIABLE)
    os.environ[DUCKDB_PATH_VARIABLE] = str(scratch)
    try:
        context = get_context(gx_dir)
        names = _write(context, declared, tables)
        ids = _stable_ids(context)
        close_connections(context)
    finally:
        if previous is None:
            os.environ.pop(DUCKDB_PATH_VARIABLE, None)
        else:
            os.environ[DUCKDB_PATH_VARIABLE] = previous
        shutil.rmtree(scratch_dir, ignore_errors=True)
    for path in iter_suite_files(gx_dir):
        text = path.read_text(encoding="utf-8")
        for random_id, stable_id in ids.items():
            text = text.replace(random_id, stable_id)
        path.write_text(text, encoding="utf-8")
    return names


def _stable_ids(context: AbstractDataContext) -> dict[str, str]:
    """Map the random ids GX gave every object to ids derived from names.

    GX draws a new uuid4 whenever an object is rewritten: deriving the ids
    from what they identify keeps a regeneration without changes free of
    diffs, and a changed expectation shows as one changed id.
    """
    ids: dict[str, str] = {}

    def stable(random_id: object, key: str) -> None:
        if random_id:
            ids[str(random_id)] = str(uuid.uuid5(ID_NAMESPACE, key))

    datasource = context.data_sources.get(DATASOURCE)
    stable(datasource.id, f"datasource:{datasource.name}")
    for asset in datasource.assets:
        stable(asset.id, f"asset:{asset.name}")
        for batch in asset.batch_definitions:
            stable(batch.id, f"batch_definition:{asset.name}:{batch.name}")
    for suite in context.suites.all():
        stable(suite.id, f"suite:{suite.name}")
        for expectation in suite.expectations:
            configuration = expectation.configuration
            content = json.dumps(
                [configuration.type, configuration.kwargs], sort_keys=True, default=str
            )
            stable(expectation.id, f"expectation:{suite.name}:{content}")
    for definition in context.validation_definitions.all():
        stable(definition.id, f"validation_definition:{definition.name}")
    for checkpoint in context.checkpoints.all():
        stable(checkpoint.id, f"checkpoint:{checkpoint.name}")
    return ids


def _write(
    context: AbstractDataContext, declared: list[Suite], tables: dict[str, str]
) -> list[str]:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.analytics_enabled = False
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()

    datasource = context.data_sources.add_or_update_sql(
        DATASOURCE,
        connection_string=CONNECTION_STRING,
        create_temp_table=False,
        # The gate only reads: it can never change what it validates.
        kwargs={"connect_args": {"read_only": True}},
    )
    for name in set(datasource.get_asset_names()) - set(tables):
        datasource.delete_asset(name)
    for table, schema in tables.items():
        if table not in datasource.get_asset_names():
            datasource.add_table_asset(table, table_name=table, schema_name=schema)
        asset = datasource.get_asset(table)
        if BATCH_DEFINITION not in [bd.name for bd in asset.batch_definitions]:
            asset.add_batch_definition_whole_table(BATCH_DEFINITION)

    names = [suite.name for suite in declared]
    for checkpoint in context.checkpoints.all():
        context.checkpoints.delete(checkpoint.name)
    for definition in context.validation_definitions.all():
        if definition.name not in names:
            context.validation_definitions.delete(definition.name)
    for stored in context.suites.all():
        if stored.name not in names:
            context.suites.delete(stored.name)

    definitions = []
    for suite in declared:
        expectation_suite = context.suites.add_or_update(
            gx.ExpectationSuite(
                name=suite.name,
                expectations=suite.expectations(),
                meta={"table": suite.relation, "stage": suite.stage},
            )
        )
        batch = datasource.get_asset(suite.table).get_batch_definition(BATCH_DEFINITION)
        definitions.append(
            context.validation_definitions.add_or_update(
                gx.ValidationDefinition(
                    name=suite.name, data=batch, suite=expectation_suite
                )
            )
        )
    context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=CHECKPOINT,
            validation_definitions=definitions,
            result_format={"result_format": "SUMMARY"},
        )
    )
    return names


def iter_suite_files(gx_dir: Path = GX_DIR) -> Iterator[Path]:
    """The committed files of the context (what write_context produces)."""
    for folder in ("expectations", "validation_definitions", "checkpoints"):
        yield from sorted((gx_dir / folder).rglob("*.json"))
    yield gx_dir / "great_expectations.yml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--gx-dir", type=Path, default=GX_DIR, help="the context folder (gx/)"
    )
    args = parser.parse_args(argv)
    names = write_context(args.gx_dir)
    print(f"Wrote {len(names)} suites to {args.gx_dir}, checkpoint {CHECKPOINT}:")
    for name in names:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
