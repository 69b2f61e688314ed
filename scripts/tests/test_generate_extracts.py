"""Tests of scripts/generate_extracts.py.

The generated files are checked with a small, independent implementation of
the contract (shared/spec/extracts.md): every injected fault must be
rejected for the rule it breaks, and no clean row may be rejected.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import re
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import generate_extracts as g

SMALL = {"days": 10, "daily_volume": 150, "agents": 12}
BOOLEANS = {"y": True, "yes": True, "true": True, "1": True}
BOOLEANS |= {"n": False, "no": False, "false": False, "0": False}
INTEGER = re.compile(r"^-?\d+$")

# generator fault kind -> reject reason of the reference validator below
EXPECTED_REASON = {
    "raw_contacts": {
        "null_contact_id": "null_contact_id",
        "null_exported_at": "null_exported_at",
        "unparseable_exported_at": "invalid_exported_at",
        "timestamp_without_offset": "invalid_arrived_at",
        "unparseable_timestamp": "invalid_ended_at",
        "invalid_talk_seconds": "invalid_talk_seconds",
        "invalid_hold_count": "invalid_hold_count",
        "invalid_agent_resolved": "invalid_agent_resolved",
        "invalid_channel": "invalid_channel",
        "invalid_direction": "invalid_direction",
        "invalid_outcome": "invalid_outcome",
        "missing_arrived_at": "missing_arrived_at",
        "missing_ended_at": "missing_ended_at",
        "answered_before_queued": "timestamps_out_of_order",
        "ended_before_arrived": "timestamps_out_of_order",
        "negative_talk_seconds": "negative_duration",
        "negative_acw_seconds": "negative_duration",
        "answered_without_agent": "answered_missing_fields",
        "answered_without_talk_seconds": "answered_missing_fields",
        "answered_without_answered_at": "answered_missing_fields",
        "answered_without_queued_at": "answered_missing_fields",
        "abandoned_with_answered_at": "abandoned_invalid",
        "abandoned_without_queued_at": "abandoned_invalid",
        "unanswered_with_durations": "unanswered_with_durations",
        "blocked_with_queued_at": "queued_at_not_allowed",
        "self_served_with_queued_at": "queued_at_not_allowed",
        "outbound_with_queued_at": "queued_at_not_allowed",
        "duplicate:conflicting_tie": "conflicting_duplicate",
    },
    "raw_surveys": {
        "csat_out_of_range": "csat_out_of_range",
        "nps_out_of_range": "nps_out_of_range",
        "ces_out_of_range": "ces_out_of_range",
        "support_quality_out_of_range": "support_quality_out_of_range",
        "invalid_csat": "invalid_csat",
        "unknown_contact": "unknown_contact",
        "survey_on_rejected_contact": "unknown_contact",
        "responded_before_contact_end": "responded_before_contact_end",
        "timestamp_without_offset": "invalid_responded_at",
        "duplicate_survey_id": "duplicate_survey_id",
    },
    "raw_cases": {
        "resolved_before_opened": "resolved_before_opened",
        "invalid_origin_channel": "invalid_origin_channel",
        "timestamp_without_offset": "invalid_opened_at",
        "duplicate_case_id": "duplicate_case_id",
    },
    "raw_agent_states": {
        "unknown_state": "invalid_state",
        "ended_not_after_started": "ended_not_after_started",
        "timestamp_without_offset": "invalid_started_at",
        "overlapping_interval": "overlapping_interval",
    },
    "raw_qa_evaluations": {
        "score_above_100": "score_out_of_range",
        "score_negative": "score_out_of_range",
    },
    "raw_employee_surveys": {"esat_out_of_range": "esat_out_of_range"},
    "raw_agents": {"left_before_hired": "left_before_hired"},
    "raw_costs": {
        "unknown_cost_center": "unknown_cost_center",
        "invalid_category": "invalid_category",
        "malformed_month": "invalid_month",
        "currency_without_fx_rate": "missing_fx_rate",
    },
    "raw_revenue": {"negative_amount": "negative_amount"},
}


# --- a reference implementation of the contract ------------------------------


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def ts(value: str) -> dt.datetime | str | None:
    """Parsed instant, None for an empty cell, 'bad' when unparseable."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return "bad"
    return parsed if parsed.tzinfo is not None else "bad"


def enum(value: str) -> str:
    return value.strip().lower()


def integer(value: str) -> int | str | None:
    value = value.strip()
    if not value:
        return None
    return int(value) if INTEGER.match(value) else "bad"


def boolean(value: str) -> bool | str | None:
    value = value.strip().lower()
    if not value:
        return None
    return BOOLEANS.get(value, "bad")


class Validated:
    def __init__(self) -> None:
        self.clean: list[dict] = []
        self.reasons: Counter[str] = Counter()
        self.superseded = 0


def contact_reason(r: dict[str, str]) -> str | None:
    t = {c: ts(r[c]) for c in ("arrived_at", "queued_at", "answered_at", "ended_at")}
    n = {c: integer(r[c]) for c in ("talk_seconds", "hold_seconds", "acw_seconds")}
    n["hold_count"] = integer(r["hold_count"])
    for name, value in [*t.items(), *n.items()]:
        if value == "bad":
            return f"invalid_{name}"
    if boolean(r["agent_resolved"]) == "bad":
        return "invalid_agent_resolved"
    channel, direction, outcome = (
        enum(r[c]) for c in ("channel", "direction", "outcome")
    )
    if channel not in g.CHANNELS:
        return "invalid_channel"
    if direction not in g.DIRECTIONS:
        return "invalid_direction"
    if outcome not in g.OUTCOMES:
        return "invalid_outcome"
    if t["arrived_at"] is None:
        return "missing_arrived_at"
    if t["ended_at"] is None:
        return "missing_ended_at"
    chain = [t[c] for c in ("arrived_at", "queued_at", "answered_at", "ended_at")]
    chain = [x for x in chain if x is not None]
    if any(a > b for a, b in itertools.pairwise(chain)):
        return "timestamps_out_of_order"
    if any(v is not None and v < 0 for v in n.values()):
        return "negative_duration"
    inbound = direction == "inbound"
    if outcome == "answered":
        required = ["answered_at", "agent_id", "talk_seconds"]
        required += ["queued_at"] if inbound else []
        if any(not r[c].strip() for c in required):
            return "answered_missing_fields"
    elif outcome == "abandoned" and (
        t["queued_at"] is None or t["answered_at"] is not None
    ):
        return "abandoned_invalid"
    if outcome != "answered" and (
        t["answered_at"] is not None or any(v is not None for v in n.values())
    ):
        return "unanswered_with_durations"
    if (outcome in ("blocked", "self_served") or not inbound) and t["queued_at"]:
        return "queued_at_not_allowed"
    return None


def validate_contacts(rows: list[dict[str, str]]) -> Validated:
    v = Validated()
    groups: dict[str, list[tuple[dt.datetime, int, dict]]] = defaultdict(list)
    for k, r in enumerate(rows):
        exported = ts(r["exported_at"])
        if exported is None:
            v.reasons["null_exported_at"] += 1
        elif exported == "bad":
            v.reasons["invalid_exported_at"] += 1
        elif not r["contact_id"].strip():
            v.reasons["null_contact_id"] += 1
        else:
            groups[r["contact_id"].strip()].append((exported, k, r))
    for versions in groups.values():
        latest = max(x[0] for x in versions)
        tied = [x[2] for x in versions if x[0] == latest]
        v.superseded += len(versions) - len(tied)
        if any(x != tied[0] for x in tied):
            v.reasons["conflicting_duplicate"] += len(tied)
            continue
        v.superseded += len(tied) - 1
        reason = contact_reason(tied[0])
        if reason:
            v.reasons[reason] += 1
        else:
            v.clean.append(tied[0])
    return v


def validate_keyed(rows: list[dict], key: str, check, duplicate: str) -> Validated:
    v = Validated()
    count = Counter(r[key] for r in rows)
    for r in rows:
        if count[r[key]] > 1:
            v.reasons[duplicate] += 1
            continue
        reason = check(r)
        if reason:
            v.reasons[reason] += 1
        else:
            v.clean.append(r)
    return v


def validate_all(out: Path) -> dict[str, Validated]:
    """Reject reasons of every extract, per the contract."""
    data = {name: read(out / f"{name}.csv") for name in g.COLUMNS}
    result = {"raw_contacts": validate_contacts(data["raw_contacts"])}
    contacts = {r["contact_id"]: r for r in result["raw_contacts"].clean}

    def survey(r: dict) -> str | None:
        responded = ts(r["responded_at"])
        if responded in (None, "bad"):
            return "invalid_responded_at"
        ranges = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
        ranges["support_quality"] = (1, 5)
        for name, (lo, hi) in ranges.items():
            value = integer(r[name])
            if value == "bad":
                return f"invalid_{name}"
            if value is not None and not lo <= value <= hi:
                return f"{name}_out_of_range"
        if boolean(r["issue_resolved"]) == "bad":
            return "invalid_issue_resolved"
        contact = contacts.get(r["contact_id"].strip())
        if contact is None:
            return "unknown_contact"
        if responded < ts(contact["ended_at"]):
            return "responded_before_contact_end"
        return None

    def case(r: dict) -> str | None:
        opened, resolved = ts(r["opened_at"]), ts(r["resolved_at"])
        if opened in (None, "bad"):
            return "invalid_opened_at"
        if resolved == "bad":
            return "invalid_resolved_at"
        if enum(r["origin_channel"]) not in g.CHANNELS:
            return "invalid_origin_channel"
        if resolved is not None and resolved < opened:
            return "resolved_before_opened"
        return None

    def qa(r: dict) -> str | None:
        if ts(r["evaluated_at"]) in (None, "bad"):
            return "invalid_evaluated_at"
        return None if 0 <= float(r["score"]) <= 100 else "score_out_of_range"

    def esat(r: dict) -> str | None:
        return None if 1 <= int(r["esat"]) <= 5 else "esat_out_of_range"

    def agent(r: dict) -> str | None:
        if r["left_on"] and r["left_on"] < r["hired_on"]:
            return "left_before_hired"
        return None

    result["raw_surveys"] = validate_keyed(
        data["raw_surveys"], "survey_id", survey, "duplicate_survey_id"
    )
    result["raw_cases"] = validate_keyed(
        data["raw_cases"], "case_id", case, "duplicate_case_id"
    )
    result["raw_qa_evaluations"] = validate_keyed(
        data["raw_qa_evaluations"], "evaluation_id", qa, "duplicate_evaluation_id"
    )
    result["raw_employee_surveys"] = validate_keyed(
        data["raw_employee_surveys"], "response_id", esat, "duplicate_response_id"
    )
    result["raw_agents"] = validate_keyed(
        data["raw_agents"], "agent_id", agent, "duplicate_agent_id"
    )
    result["raw_agent_states"] = validate_states(data["raw_agent_states"])
    fx = {(r["month"], r["currency"]) for r in data["fx_rates"]}
    result["raw_costs"] = validate_money(data["raw_costs"], fx, costs=True)
    result["raw_revenue"] = validate_money(data["raw_revenue"], fx, costs=False)
    return result


def validate_states(rows: list[dict]) -> Validated:
    v = Validated()
    by_agent: dict[str, list[tuple]] = defaultdict(list)
    for r in rows:
        start, end = ts(r["started_at"]), ts(r["ended_at"])
        if start in (None, "bad"):
            v.reasons["invalid_started_at"] += 1
        elif end in (None, "bad"):
            v.reasons["invalid_ended_at"] += 1
        elif enum(r["state"]) not in g.STATES:
            v.reasons["invalid_state"] += 1
        elif end <= start:
            v.reasons["ended_not_after_started"] += 1
        else:
            by_agent[r["agent_id"]].append((start, end, enum(r["state"]), r))
    for intervals in by_agent.values():
        intervals.sort(key=lambda x: (x[0], x[1]))
        last_end = None
        for start, end, state, r in intervals:
            if last_end is not None and start < last_end:
                v.reasons["overlapping_interval"] += 1
                continue
            last_end = end
            v.clean.append({**r, "start": start, "end": end, "state": state})
    return v


def validate_money(rows: list[dict], fx: set, costs: bool) -> Validated:
    v = Validated()
    centers = {*g.QUEUES, "shared"}
    categories = {"labor", "technology", "telecom", "facilities", "overhead"}
    for r in rows:
        currency = r["currency"].strip().upper()
        if not re.match(r"^\d{4}-\d{2}$", r["month"]):
            reason = "invalid_month"
        elif costs and enum(r["cost_center"]) not in centers:
            reason = "unknown_cost_center"
        elif costs and enum(r["category"]) not in categories:
            reason = "invalid_category"
        elif not costs and float(r["amount"]) < 0:
            reason = "negative_amount"
        elif currency != "CNY" and (r["month"], currency) not in fx:
            reason = "missing_fx_rate"
        else:
            v.clean.append(r)
            continue
        v.reasons[reason] += 1
    return v


# --- fixtures --------------------------------------------------------------------


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, g.Result]:
    """The default sample, as committed in seeds/."""
    out = tmp_path_factory.mktemp("sample")
    return out, g.generate(g.Config(out=out))


@pytest.fixture(scope="session")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, g.World]:
    """A small sample without any fault."""
    out = tmp_path_factory.mktemp("clean")
    cfg = g.Config(out=out, fault_rate=0.0, **SMALL)
    world = g.simulate(cfg)
    g.write_tables(g.build_tables(world), out, "csv")
    return out, world


# --- tests -----------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        g.generate(g.Config(out=tmp_path / name, seed=seed, **SMALL))
    for file in g.COLUMNS:
        first, again = ((tmp_path / d / f"{file}.csv").read_bytes() for d in "ab")
        assert first == again, file
    contacts = [(tmp_path / d / "raw_contacts.csv").read_bytes() for d in "ac"]
    assert contacts[0] != contacts[1]


def test_every_file_has_the_contract_header(sample: tuple[Path, g.Result]) -> None:
    out, result = sample
    assert set(result.counts) == set(g.COLUMNS)
    for name, columns in g.COLUMNS.items():
        with (out / f"{name}.csv").open(newline="", encoding="utf-8") as f:
            assert next(csv.reader(f)) == columns, name


def test_columns_match_the_contract_document() -> None:
    spec = Path("/work/shared/spec/extracts.md")
    if not spec.exists():
        pytest.skip("contract document not available")
    text = spec.read_text(encoding="utf-8")
    for name, columns in g.COLUMNS.items():
        if name == "fx_rates":
            assert "`month, currency, rate_to_reporting`" in text
            continue
        section = text.split(f"## {name}")[1].split("\n## ")[0]
        documented = re.findall(r"^\| (\w+) \|", section, flags=re.MULTILINE)
        assert documented[1:] == columns, name  # [0] is the table header


def test_patience_distribution() -> None:
    patience = g.draw_patience(np.random.default_rng(7), 200_000)
    assert abs((patience <= 60).mean() - 0.35) < 0.02
    assert abs((patience <= 180).mean() - 2 / 3) < 0.03
    assert 0.02 < (patience < 5).mean() < 0.10  # some short abandons


def test_clean_sample_has_no_rejects(clean: tuple[Path, g.World]) -> None:
    out, _ = clean
    for name, v in validate_all(out).items():
        assert not v.reasons, (name, v.reasons)
        assert v.superseded == 0, name


def test_clean_contacts_respect_the_invariants(clean: tuple[Path, g.World]) -> None:
    out, _ = clean
    contacts = validate_all(out)["raw_contacts"].clean
    assert len(contacts) > 1000
    outcomes = Counter(enum(r["outcome"]) for r in contacts)
    assert set(outcomes) == set(g.OUTCOMES), outcomes
    for r in contacts:
        t = {
            c: ts(r[c]) for c in ("arrived_at", "queued_at", "answered_at", "ended_at")
        }
        outcome = enum(r["outcome"])
        if outcome == "answered":
            talk, hold = int(r["talk_seconds"]), int(r["hold_seconds"] or 0)
            end = t["answered_at"] + dt.timedelta(seconds=talk + hold)
            assert end == t["ended_at"]
        if outcome in ("blocked", "self_served"):
            assert t["queued_at"] is None
        if enum(r["channel"]) != "voice":
            assert r["caller_number"] == ""


def test_agent_states_agree_with_contacts(clean: tuple[Path, g.World]) -> None:
    out, _ = clean
    checked = validate_all(out)
    states = checked["raw_agent_states"].clean
    assert len(states) == len(read(out / "raw_agent_states.csv"))  # no overlap
    on_contact: dict[str, list[tuple]] = defaultdict(list)
    acw: dict[str, set] = defaultdict(set)
    for s in states:
        if s["state"] == "on_contact":
            on_contact[s["agent_id"]].append((s["start"], s["end"]))
        elif s["state"] == "acw":
            acw[s["agent_id"]].add((s["start"], s["end"]))
    for intervals in on_contact.values():
        intervals.sort()
    answered = [r for r in checked["raw_contacts"].clean if r["answered_at"]]
    crossing_midnight = 0
    for r in answered:
        agent, at = r["agent_id"], ts(r["answered_at"])
        intervals = on_contact[agent]
        k = bisect.bisect_right(intervals, (at, dt.datetime.max.replace(tzinfo=dt.UTC)))
        start, end = intervals[k - 1]
        assert start <= at < end, r["contact_id"]
        if enum(r["direction"]) == "inbound":
            assert start == at and end == ts(r["ended_at"])
            acw_seconds = int(r["acw_seconds"] or 0)
            if acw_seconds:
                assert (end, end + dt.timedelta(seconds=acw_seconds)) in acw[agent]
    for s in states:
        local = [
            x.astimezone(dt.timezone(dt.timedelta(hours=8)))
            for x in (s["start"], s["end"])
        ]
        crossing_midnight += local[0].date() != local[1].date()
    assert crossing_midnight > 0
    assert {s["state"] for s in states} == set(g.STATES)


def test_every_fault_kind_is_injected_and_rejected_for_its_rule(
    sample: tuple[Path, g.Result],
) -> None:
    out, result = sample
    checked = validate_all(out)
    for name, mapping in EXPECTED_REASON.items():
        injected = result.faults[name]
        expected: Counter[str] = Counter()
        for kind, reason in mapping.items():
            assert injected.get(kind, 0) >= 3, (name, kind)
            # a conflicting tie also rejects the row it ties with
            factor = 2 if reason == "conflicting_duplicate" else 1
            expected[reason] += factor * injected[kind]
        assert checked[name].reasons == expected, name
    contacts = result.faults["raw_contacts"]
    assert contacts["duplicate:superseded_earlier_export"] >= 3
    assert contacts["duplicate:identical_resend"] >= 3
    superseded = contacts["duplicate:superseded_earlier_export"]
    superseded += contacts["duplicate:identical_resend"]
    assert checked["raw_contacts"].superseded == superseded
    roster = {r["agent_id"] for r in read(out / "raw_agents.csv")}
    agents = [r["agent_id"] for r in checked["raw_contacts"].clean if r["agent_id"]]
    missing = [a for a in agents if a not in roster]
    assert len(missing) == contacts["valid:agent_not_in_roster"] >= 3
    for name in ("raw_contacts", "raw_cases", "raw_surveys"):
        assert result.faults[name]["format:non_center_offset_rows"] > 0


def test_sample_uses_every_accepted_spelling(sample: tuple[Path, g.Result]) -> None:
    out, _ = sample
    contacts = read(out / "raw_contacts.csv")
    offsets = Counter(r["arrived_at"][19:] for r in contacts if r["arrived_at"])
    assert offsets.most_common(1)[0][0] == "+08:00"
    assert {"Z", "+00:00"} <= set(offsets) and len(offsets) >= 5
    spelled = {r["agent_resolved"] for r in contacts}
    assert {"Y", "N", "yes", "no", "1", "0", "TRUE", " Yes "} <= spelled
    channels = {r["channel"] for r in contacts}
    assert "voice" in channels and any(c != c.strip().lower() for c in channels)
    comments = [r["comment"] for r in read(out / "raw_surveys.csv")]
    assert any("\n" in c for c in comments) and any('"' in c for c in comments)
    assert any("," in c for c in comments)
    assert any(re.search(r"[\u4e00-\u9fff]", c) for c in comments)
    raw = (out / "raw_surveys.csv").read_bytes()
    assert b"\r\n" not in raw


def test_sample_size_and_kpis_are_realistic(sample: tuple[Path, g.Result]) -> None:
    out, result = sample
    kpi = result.summary
    assert 20_000 <= result.counts["raw_contacts"] <= 40_000
    assert 20 <= result.counts["raw_agents"] - 3 <= 30
    assert 0.6 <= kpi["voice_service_level_20s"] <= 0.9
    assert 0.03 <= kpi["voice_abandon_rate"] <= 0.25
    assert 0.0 < kpi["voice_blocked_share"] < 0.05
    assert 0.7 <= kpi["operational_fcr"] <= 0.8
    assert 0.1 <= kpi["repeat_share"] <= 0.35
    assert 0.01 <= kpi["transfer_rate"] <= 0.06
    surveys = result.counts["raw_surveys"]
    answered = sum(
        1 for r in read(out / "raw_contacts.csv") if enum(r["outcome"]) == "answered"
    )
    assert 0.1 <= surveys / answered <= 0.2
    costs = read(out / "raw_costs.csv")
    assert {"CNY", "USD", "EUR"} <= {r["currency"].strip().upper() for r in costs}
    assert any(float(r["amount"]) < 0 for r in costs)


def test_revenue_has_churn_and_history(sample: tuple[Path, g.Result]) -> None:
    out, _ = sample
    revenue = read(out / "raw_revenue.csv")
    by_month: dict[str, set] = defaultdict(set)
    for r in revenue:
        if float(r["amount"]) > 0:
            by_month[r["month"]].add(r["customer_id"])
    months = sorted(by_month)
    assert months[0] < g.month_key(g.DEFAULT_START) and len(months) >= 6
    for prev, cur in itertools.pairwise(months):
        assert by_month[prev] - by_month[cur], "some customers churn"
        assert by_month[cur] - by_month[prev], "some customers are new"


def test_parquet_holds_the_same_text_as_csv(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    cfg = g.Config(out=tmp_path / "csv", **SMALL)
    g.generate(cfg)
    g.generate(replace(cfg, out=tmp_path / "pq", fmt="parquet"))
    con = duckdb.connect()
    for name, columns in g.COLUMNS.items():
        rows = read(tmp_path / "csv" / f"{name}.csv")
        expected = [tuple(r[c] or None for c in columns) for r in rows]
        path = tmp_path / "pq" / f"{name}.parquet"
        types = con.execute(f"describe select * from '{path}'").fetchall()
        assert [t[0] for t in types] == columns
        assert {t[1] for t in types} == {"VARCHAR"}
        assert con.execute(f"select * from '{path}'").fetchall() == expected, name


def test_cli_prints_one_line_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    args = [
        "--days",
        "3",
        "--daily-volume",
        "60",
        "--seed",
        "5",
        "--out",
        str(tmp_path),
    ]
    assert g.main(args) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(g.COLUMNS)
    assert all(re.search(r"\.csv: [\d,]+ rows", line) for line in lines)


def test_cli_rejects_bad_arguments() -> None:
    with pytest.raises(SystemExit) as exc:
        g.parse_args(["--days", "0"])
    assert exc.value.code != 0


def test_parts_are_sites_with_their_own_ids_and_one_fx_table(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    cfg = g.Config(out=tmp_path, fmt="parquet", parts=2, workers=2, **SMALL)
    (tmp_path / "raw_contacts").mkdir()
    (tmp_path / "raw_contacts" / "part-007.parquet").write_text("stale")
    result = g.generate_parts(cfg)
    con = duckdb.connect()

    def rows(name: str, sql: str) -> list[tuple]:
        files = f"read_parquet('{tmp_path / name}/*.parquet', filename = true)"
        return con.execute(sql.format(files=files)).fetchall()

    files = sorted(p.name for p in (tmp_path / "raw_contacts").iterdir())
    assert files == ["part-000.parquet", "part-001.parquet"], "stale parts removed"
    assert [p.name for p in (tmp_path / "fx_rates").iterdir()] == ["part-000.parquet"]
    assert (
        rows("raw_contacts", "select count(*) from {files}")[0][0]
        == (result.counts["raw_contacts"])
    )
    # every id of part k carries its site's prefix, and only that one
    for name, columns in g.ID_COLUMNS.items():
        for column in columns:
            wrong = rows(
                name,
                f"select count(*) from {{files}} where trim({column}) <> '' and "
                f"not starts_with({column}, 'S0' || "
                f"(1 + regexp_extract(filename, 'part-(\\d+)', 1)::int) || '-')",
            )
            assert wrong == [(0,)], f"{name}.{column}"
    agents = rows("raw_agents", "select count(distinct agent_id) from {files}")
    assert agents[0][0] == result.counts["raw_agents"], "rosters do not overlap"
    # part 0 is the one-site simulation of half the volume, ids prefixed
    alone = replace(cfg, parts=1, daily_volume=75, agents=6, out=tmp_path / "one_site")
    g.generate(alone)
    site = rows(
        "raw_contacts",
        "select contact_id, arrived_at from {files} where filename like '%part-000%'",
    )
    expected = con.execute(
        "select 'S01-' || trim(contact_id), arrived_at "
        f"from '{alone.out}/raw_contacts.parquet' where trim(contact_id) <> ''"
    ).fetchall()
    assert sorted(r for r in site if (r[0] or "").strip()) == sorted(expected)
