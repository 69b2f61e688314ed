#!/usr/bin/env python3
"""Generate the nine raw extracts (and the fx_rates seed) of the warehouse.

The data is a seeded simulation of a contact center in Asia/Shanghai, not
random rows:

* non-homogeneous Poisson arrivals per queue and channel with intraday and
  weekly seasonality, a growing queue (billing) and a two-day outage
  (tech_support);
* one multi-server FIFO queue per queue, served by the agents of that team
  on planned shifts (breaks, meetings, training; night and evening shifts
  cross midnight), with caller abandonment (Weibull patience: 35 % of the
  callers kept waiting hang up within 60 s, two thirds within 180 s), busy
  signals, IVR self-service, e-mail backlogs, transfers and outbound
  callbacks;
* customers with cases: an unresolved issue brings the customer back within
  days, sometimes on another channel, which makes FCR and repeat rates real;
* the agent state log, surveys, QA scores, ESAT and labour cost are derived
  from the same simulation, so they agree with the contacts;
* revenue per customer and month with churn and new customers, from four
  months before the contact period;
* faults of every kind the contract rejects are injected next to the clean
  rows at ``--fault-rate`` (0 = clean data); accepted format variations
  (UTC offsets, odd case, boolean spellings) scale with it too. ``-v`` lists
  the injected kinds with their counts.

The same arguments always give byte-identical files. The defaults write the
committed sample into ``seeds/``. Contract: ``shared/spec/extracts.md``.

    python scripts/generate_extracts.py                      # the sample
    python scripts/generate_extracts.py --daily-volume 13000 \
        --format parquet --out /tmp/extracts                 # ~1M contacts
    python scripts/generate_extracts.py --days 365 --daily-volume 19000 \
        --parts 10 --format parquet --out /tmp/extracts      # ~10M contacts

With ``--parts K`` the center is simulated as K sites (own seed, agents and
customers, 1/K of the volume, the same queues), one process per core, and
written as ``OUT/<extract>/part-NNN.<format>`` with ids prefixed by the
site: the extract-directory layout, in the memory of one site.
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import csv
import datetime as dt
import heapq
import math
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "seeds"
DEFAULT_START = dt.date(2026, 9, 7)  # a Monday
DEFAULT_DAYS = 56
DEFAULT_DAILY_VOLUME = 340
DEFAULT_SEED = 20260907
DEFAULT_FAULT_RATE = 0.008
# auto staffing: peak load in Erlangs per daily contact, and agents on the
# roster per seat needed at the peak (nights, days off, breaks): 28 agents
# for the default volume
PEAK_ERLANGS_PER_DAILY_CONTACT = 4 / 340
ROSTER_PER_SEAT = 2.8

CENTER_OFFSET = 8 * 3600  # Asia/Shanghai has no daylight saving time
DAY = 86400
HOUR = 3600
NULL = -(2**62)  # null marker in the integer columns
INF = 2**62

COLUMNS: dict[str, list[str]] = {
    "raw_contacts": [
        "contact_id",
        "exported_at",
        "channel",
        "direction",
        "queue",
        "customer_id",
        "caller_number",
        "case_id",
        "arrived_at",
        "queued_at",
        "answered_at",
        "ended_at",
        "outcome",
        "agent_id",
        "talk_seconds",
        "hold_seconds",
        "acw_seconds",
        "hold_count",
        "transferred_to_queue",
        "agent_resolved",
    ],
    "raw_cases": [
        "case_id",
        "customer_id",
        "opened_at",
        "resolved_at",
        "category",
        "origin_channel",
    ],
    "raw_surveys": [
        "survey_id",
        "contact_id",
        "responded_at",
        "csat",
        "nps",
        "ces",
        "support_quality",
        "issue_resolved",
        "comment",
    ],
    "raw_agents": [
        "agent_id",
        "full_name",
        "team",
        "site",
        "hired_on",
        "left_on",
        "hourly_cost",
        "cost_currency",
    ],
    "raw_agent_states": ["agent_id", "state", "started_at", "ended_at"],
    "raw_qa_evaluations": [
        "evaluation_id",
        "contact_id",
        "agent_id",
        "evaluated_at",
        "score",
        "form",
    ],
    "raw_employee_surveys": ["response_id", "agent_id", "surveyed_on", "esat"],
    "raw_costs": ["month", "cost_center", "category", "amount", "currency"],
    "raw_revenue": ["month", "customer_id", "amount", "currency"],
    "fx_rates": ["month", "currency", "rate_to_reporting"],
}

# --- model constants --------------------------------------------------------

QUEUES = ("billing", "tech_support", "sales")
TEAMS = ("Billing", "Tech Support", "Sales")
TEAM_WEIGHT = (0.34, 0.38, 0.28)
CHANNELS = ("voice", "chat", "email", "self_service")
VOICE, CHAT, EMAIL, SELF = range(4)
DIRECTIONS = ("inbound", "outbound")
INBOUND, OUTBOUND = range(2)
OUTCOMES = ("answered", "abandoned", "blocked", "self_served", "no_answer")
ANSWERED, ABANDONED, BLOCKED, SELF_SERVED, NO_ANSWER = range(5)
STATES = (
    "available",
    "on_contact",
    "acw",
    "break",
    "meeting",
    "training",
    "offline",
)
AVAILABLE, ON_CONTACT, ACW, BREAK, MEETING, TRAINING, OFFLINE = range(7)

QUEUE_SHARE = (0.34, 0.41, 0.25)
# channel mix per queue: voice, chat, email, self_service
CHANNEL_SHARE = (
    (0.48, 0.18, 0.14, 0.20),
    (0.55, 0.22, 0.13, 0.10),
    (0.45, 0.30, 0.10, 0.15),
)
WEEKDAY_FACTOR = (1.12, 1.08, 1.05, 1.04, 1.0, 0.62, 0.5)  # Monday first


def hours(text: str) -> tuple[float, ...]:
    """24 hourly weights, local 00:00 first."""
    values = tuple(float(x) for x in text.split())
    assert len(values) == 24
    return values


# relative arrival rate per local hour: morning and afternoon peaks
HOUR_PROFILE = {
    VOICE: hours(
        "0.3 0.2 0.15 0.12 0.15 0.3 0.8 2.0 4.5 7.0 8.2 7.8 "
        "5.8 5.5 7.5 7.8 7.2 6.0 4.6 3.6 3.0 2.4 1.4 0.7"
    ),
    CHAT: hours(
        "0.8 0.5 0.3 0.2 0.2 0.3 0.6 1.5 3.0 4.8 5.8 6.0 "
        "5.2 5.5 6.0 6.2 6.0 5.6 5.0 4.6 4.2 3.6 2.6 1.4"
    ),
    EMAIL: hours(
        "1.0 0.8 0.6 0.5 0.5 0.7 1.2 2.5 4.5 6.0 6.5 6.2 "
        "5.0 5.2 5.8 5.8 5.5 5.0 4.4 4.0 3.8 3.2 2.5 1.6"
    ),
    SELF: hours(
        "1.0 0.7 0.5 0.4 0.4 0.6 1.2 2.5 4.0 5.2 5.8 5.8 "
        "5.5 5.4 5.6 5.6 5.5 5.3 5.2 5.4 5.6 5.0 3.6 2.2"
    ),
}
BILLING_GROWTH = 0.5  # billing volume grows by half over the period
OUTAGE_DAYS = (36, 37)  # tech_support outage (day index from the start)
OUTAGE_FACTOR = 1.9

CATEGORIES = (
    (("billing", 0.5), ("refund", 0.25), ("invoice", 0.25)),
    (("outage", 0.3), ("how_to", 0.4), ("device", 0.3)),
    (("new_order", 0.4), ("upgrade", 0.35), ("pricing", 0.25)),
)

# Caller patience: Weibull fitted so that 35 % of callers kept waiting hang
# up within 60 s and two thirds within 180 s.
PATIENCE_SHAPE = 0.852
PATIENCE_SCALE = 161.0
CHAT_PATIENCE_FACTOR = 4.0

# handle times: lognormal (median seconds, sigma) per channel and queue
TALK = {
    VOICE: ((200, 0.55), (290, 0.6), (230, 0.6)),
    CHAT: ((330, 0.5), (420, 0.55), (300, 0.5)),
    EMAIL: ((240, 0.6), (330, 0.6), (200, 0.6)),
}
HOLD_P = {VOICE: (0.22, 0.35, 0.15), CHAT: (0.05, 0.08, 0.03), EMAIL: (0, 0, 0)}
ACW_TIME = {VOICE: (35, 0.5), CHAT: (25, 0.5), EMAIL: (45, 0.5)}
TRANSFER_P = 0.04
RESOLVE_P = ((0.82, 0.72, 0.85), -0.0, -0.03, -0.08)  # base per queue, channel
FALSE_RESOLUTION_P = 0.05
IVR_SELF_SERVE_P = (0.12, 0.07, 0.05)
SELF_SERVICE_RESOLVE_P = 0.65
ANONYMOUS_P = (0.10, 0.03, 0.0, 0.30)
CALLBACK_P = 0.25
REFRACTORY = 9 * DAY  # a customer rarely has a new issue right after one
CUSTOMERS_PER_DAILY_CONTACT = 16
REVENUE_MONTHS_BEFORE = 4

SHIFT_LENGTH = 9 * HOUR  # eight paid hours plus an unpaid hour of breaks
SHIFT_STARTS = (6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 11.0, 12.0, 13.0)
SHIFT_STARTS += (14.0, 15.0, 15.5, 22.0)  # 15:30 and 22:00 cross midnight
NIGHT_START = 22.0
# share of each half hour of a shift an agent is logged in and not on a break
SHIFT_PRESENCE = np.array([1.0] * 3 + [0.75] * 2 + [1.0] * 2 + [0.5] * 3 + [1.0] * 2)
SHIFT_PRESENCE = np.r_[SHIFT_PRESENCE, [0.75] * 2, [1.0] * 4]
MEAN_HANDLE = {VOICE: 380, CHAT: 470, EMAIL: 400}  # for shift planning only
# first of the two consecutive days off, per position in the team
DAYS_OFF_CYCLE = (5, 1, 3, 6, 0, 2, 4)
# night agents split the week in pairs
NIGHT_DAYS_OFF = ((4, 5, 6), (0, 1, 2))

OFFSETS = (
    (0, "+08:00"),  # index 0 = the center's own offset
    (0, "Z"),
    (0, "+00:00"),
    (0, "+09:00"),
    (0, "-05:00"),
    (0, "+05:30"),
)
OFFSET_SECONDS = (8 * 3600, 0, 0, 9 * 3600, -5 * 3600, 5 * 3600 + 1800)
OFFSET_WEIGHTS = (0.0, 0.40, 0.25, 0.12, 0.13, 0.10)
BOOL_SPELLINGS = (
    ("true", "false"),
    ("Y", "N"),
    ("yes", "no"),
    ("TRUE", "FALSE"),
    ("1", "0"),
    ("y", "n"),
    (" Yes ", " No "),
    ("True", "False"),
)

SURNAMES = "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin"
GIVEN = "Wei Fang Na Min Jing Lei Yang Jie Tao Yan Ying Hao Xin Yu Qiang Lan Mei Bo"
HANZI_NAMES = ("王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "黄敏", "赵强")
SITES = ("Shanghai", "Chengdu")

COMMENTS_GOOD = (
    "Quick and friendly, thanks!",
    "Agent was great, solved it in one call",
    'She said "no problem" and fixed it right away.',
    "非常满意, 客服很专业。",
    "谢谢! 问题解决了",
    "Fast, polite, helpful",
    "Clear explanation of my bill, thank you",
    "服务很好\n下次还会用",
)
COMMENTS_BAD = (
    "Waited too long, again.",
    "Transferred twice, still not fixed",
    'The agent said "call back tomorrow", really?',
    "等了很久, 问题还是没有解决。",
    "Line 1: bill is wrong\nLine 2: still wrong after the call",
    "账单错误, 已经打了三次电话",
    'Nobody reads these "surveys", do they?',
    "Hold music for 10 minutes,\nthen the line dropped",
)


# --- configuration -----------------------------------------------------------


@dataclass(frozen=True)
class Config:
    days: int = DEFAULT_DAYS
    start_date: dt.date = DEFAULT_START
    agents: int | None = None
    daily_volume: float = DEFAULT_DAILY_VOLUME
    seed: int = DEFAULT_SEED
    fmt: str = "csv"
    out: Path = DEFAULT_OUT
    fault_rate: float = DEFAULT_FAULT_RATE
    parts: int = 1
    workers: int = 1

    @property
    def n_agents(self) -> int:
        """Roster size; by default square-root staffing of the peak load."""
        if self.agents is not None:
            return self.agents
        peak = PEAK_ERLANGS_PER_DAILY_CONTACT * self.daily_volume
        return max(6, round(ROSTER_PER_SEAT * (peak + 3 * math.sqrt(peak))))

    @property
    def start_utc(self) -> int:
        epoch_days = (self.start_date - dt.date(1970, 1, 1)).days
        return epoch_days * DAY - CENTER_OFFSET

    @property
    def end_utc(self) -> int:
        return self.start_utc + self.days * DAY


def local_date(utc: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=(utc + CENTER_OFFSET) // DAY)


def month_key(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    m = year * 12 + month - 1 + k
    return m // 12, m % 12 + 1


# --- distributions (pure functions, tested) ---------------------------------


def patience_from_uniform(u: np.ndarray | float) -> np.ndarray | float:
    """Inverse Weibull CDF: seconds a caller waits before hanging up."""
    if isinstance(u, float):
        return PATIENCE_SCALE * (-math.log1p(-u)) ** (1 / PATIENCE_SHAPE)
    return PATIENCE_SCALE * (-np.log1p(-u)) ** (1 / PATIENCE_SHAPE)


def draw_patience(rng: np.random.Generator, n: int) -> np.ndarray:
    """Patience of n voice callers, in seconds."""
    return patience_from_uniform(rng.random(n))


class Rand:
    """Buffered scalar draws from a numpy Generator: fast and reproducible."""

    def __init__(self, rng: np.random.Generator, size: int = 1 << 15) -> None:
        self.rng = rng
        self.size = size
        self._u: list[float] = []
        self._z: list[float] = []

    def u(self) -> float:
        if not self._u:
            self._u = self.rng.random(self.size).tolist()
        return self._u.pop()

    def z(self) -> float:
        if not self._z:
            self._z = self.rng.standard_normal(self.size).tolist()
        return self._z.pop()

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(sigma * self.z())

    def exp(self, mean: float) -> float:
        return -mean * math.log1p(-self.u())

    def pick(self, cum: list[float]) -> int:
        return bisect.bisect_right(cum, self.u() * cum[-1])


def cumulative(weights: tuple[float, ...] | list[float]) -> list[float]:
    return np.cumsum(weights).tolist()


# --- customers and revenue --------------------------------------------------


@dataclass
class Customers:
    months: list[str]  # revenue months, oldest first
    month_of_day: np.ndarray  # revenue month index of each period day
    active: list[np.ndarray]  # customer indices with revenue > 0, per month
    rev_month: np.ndarray
    rev_customer: np.ndarray
    rev_cents: np.ndarray
    rev_usd: np.ndarray
    n: int


def simulate_customers(cfg: Config, rng: np.random.Generator) -> Customers:
    last = cfg.start_date + dt.timedelta(days=cfg.days - 1)
    y, m = add_months(cfg.start_date.year, cfg.start_date.month, -REVENUE_MONTHS_BEFORE)
    months = []
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = add_months(y, m, 1)
    n_months = len(months)
    n0 = max(200, int(cfg.daily_volume * CUSTOMERS_PER_DAILY_CONTACT))
    starts = [np.zeros(n0, dtype=np.int64)]
    active_n = n0
    for k in range(1, n_months):
        new = rng.poisson(0.028 * active_n)
        starts.append(np.full(new, k, dtype=np.int64))
        active_n += new - int(0.025 * active_n)
    start = np.concatenate(starts)
    n = len(start)
    lifetime = rng.geometric(0.025, n)  # months until churn
    end = start + lifetime
    price = rng.choice(
        [39.0, 69.0, 99.0, 159.0, 299.0], n, p=[0.2, 0.3, 0.25, 0.15, 0.1]
    )
    usd = rng.random(n) < 0.02
    price = np.where(usd, np.round(price / 7.1, 0) + 0.99, price)
    rows_m, rows_c = [], []
    for k in range(n_months):
        idx = np.flatnonzero((start <= k) & (end > k))
        rows_m.append(np.full(len(idx), k))
        rows_c.append(idx)
    rev_month = np.concatenate(rows_m)
    rev_customer = np.concatenate(rows_c)
    noise = 1 + 0.12 * rng.standard_normal(len(rev_month))
    cents = np.round(price[rev_customer] * np.clip(noise, 0.5, 1.6) * 100)
    cents[rng.random(len(cents)) < 0.005] = 0  # suspended: billed nothing
    cents = cents.astype(np.int64)
    active = [rev_customer[(rev_month == k) & (cents > 0)] for k in range(n_months)]
    month_of_day = np.array(
        [
            months.index(month_key(cfg.start_date + dt.timedelta(days=d)))
            for d in range(cfg.days)
        ]
    )
    return Customers(
        months,
        month_of_day,
        active,
        rev_month,
        rev_customer,
        cents,
        usd[rev_customer],
        n,
    )


# --- agents and shifts -------------------------------------------------------


@dataclass
class AgentInfo:
    idx: int
    team: int
    name: str
    site: str
    hired_on: dt.date
    left_on: dt.date | None
    hourly_cost: float
    skill: float
    speed: float
    morale: float
    shift_start: float = 8.0  # local hour
    days_off: tuple[int, ...] = ()
    shifts: list[tuple[int, int, list[tuple[int, int, int]]]] = field(
        default_factory=list
    )


def make_agents(cfg: Config, rng: np.random.Generator) -> list[AgentInfo]:
    n = cfg.n_agents
    raw = np.array(TEAM_WEIGHT) * n
    counts = np.maximum(2, np.floor(raw)).astype(int)
    for k in np.argsort(-(raw - np.floor(raw)), kind="stable"):
        if counts.sum() >= n:
            break
        counts[k] += 1
    surnames, given = SURNAMES.split(), GIVEN.split()
    agents: list[AgentInfo] = []
    for team, count in enumerate(counts):
        plan = plan_shifts(cfg, team, int(count))
        for k in range(int(count)):
            i = len(agents)
            if rng.random() < 0.25:
                name = HANZI_NAMES[int(rng.integers(len(HANZI_NAMES)))]
            else:
                name = (
                    f"{given[int(rng.integers(len(given)))]} "
                    f"{surnames[int(rng.integers(len(surnames)))]}"
                )
            hired = dt.date(2019, 1, 1) + dt.timedelta(days=int(rng.integers(0, 2700)))
            agents.append(
                AgentInfo(
                    idx=i,
                    team=team,
                    name=name,
                    site=SITES[int(rng.random() < 0.35)],
                    hired_on=min(hired, cfg.start_date - dt.timedelta(days=30)),
                    left_on=None,
                    hourly_cost=round(float(rng.uniform(62, 98)), 2),
                    skill=float(rng.normal(0, 0.05)),
                    speed=float(np.exp(rng.normal(0, 0.12))),
                    morale=float(rng.normal(0, 0.5)),
                    shift_start=plan[k][0],
                    days_off=plan[k][1],
                )
            )
    # staff turnover: one new hire, one or two leavers during the period
    if cfg.days >= 21 and n >= 6:
        agents[-1].hired_on = cfg.start_date + dt.timedelta(days=cfg.days // 4)
        agents[1].left_on = cfg.start_date + dt.timedelta(days=cfg.days * 3 // 8)
        agents[n // 2].left_on = cfg.start_date + dt.timedelta(days=cfg.days * 5 // 7)
    for a in agents:
        a.shifts = make_shifts(cfg, a, rng)
    return agents


def plan_shifts(cfg: Config, q: int, n: int) -> list[tuple[float, tuple[int, ...]]]:
    """Shift start and weekdays off of each agent of a team (Monday = 0).

    Greedy: each agent gets the shift that covers most of the remaining gap
    between the staff needed per half hour (square-root staffing of the
    expected load, at least one agent around the clock) and the staff
    already planned.
    """
    slot_hour = np.arange(48) / 2
    load = np.zeros(48)
    for ch, handle in MEAN_HANDLE.items():
        prof = np.repeat(np.array(HOUR_PROFILE[ch]) / sum(HOUR_PROFILE[ch]), 2) / 2
        if ch == EMAIL:  # the mailbox is worked in the daytime
            prof = ((slot_hour >= 8) & (slot_hour < 20)) / 24.0
        load += CHANNEL_SHARE[q][ch] * prof * handle
    erlangs = cfg.daily_volume * QUEUE_SHARE[q] * 1.25 * load / 1800
    need = erlangs + np.sqrt(erlangs)
    capacity = n * 5 / 7 * 16
    need = np.maximum(need * capacity / need.sum(), 1.0)
    cover = np.zeros(48)
    plan: list[tuple[float, tuple[int, ...]]] = []
    nights = 0
    for k in range(n):
        best, best_score, best_slots = SHIFT_STARTS[0], -1.0, np.arange(0)
        # a pair of night agents first: the center is open around the clock
        starts = (NIGHT_START,) if k < 2 and n >= 5 else SHIFT_STARTS
        for start in starts:
            f = 4 / 7 if start == NIGHT_START else 5 / 7
            slots = (np.arange(len(SHIFT_PRESENCE)) + int(start * 2)) % 48
            gap = np.clip(need[slots] - cover[slots], 0, f)
            score = float((gap / need[slots] ** 0.25).sum())
            if score > best_score + 1e-9:
                best, best_score, best_slots = start, score, slots
        if best == NIGHT_START:
            cover[best_slots] += 4 / 7 * SHIFT_PRESENCE
            plan.append((best, NIGHT_DAYS_OFF[nights % 2]))
            nights += 1
        else:
            cover[best_slots] += 5 / 7 * SHIFT_PRESENCE
            first = DAYS_OFF_CYCLE[(k + 3 * q) % len(DAYS_OFF_CYCLE)]
            plan.append((best, (first, (first + 1) % 7)))
    return plan


def make_shifts(
    cfg: Config, a: AgentInfo, rng: np.random.Generator
) -> list[tuple[int, int, list[tuple[int, int, int]]]]:
    shifts = []
    for d in range(-1, cfg.days + 1):
        day = cfg.start_date + dt.timedelta(days=d)
        if day.weekday() in a.days_off:
            continue
        if day < a.hired_on or (a.left_on is not None and day >= a.left_on):
            continue
        local_midnight = cfg.start_utc + d * DAY
        login = local_midnight + int(a.shift_start * HOUR)
        login += int(rng.integers(-8 * 60, 8 * 60))
        if login + SHIFT_LENGTH <= cfg.start_utc or login >= cfg.end_utc + 12 * HOUR:
            continue
        logout = login + SHIFT_LENGTH
        minute = 60
        breaks: list[tuple[int, int, int]] = []
        if rng.random() < 0.15:
            breaks.append((login + 60 * minute, 30 * minute, MEETING))
        breaks.append((login + int(rng.integers(90, 150)) * minute, 15 * minute, BREAK))
        if rng.random() < 0.06:
            breaks.append((login + 165 * minute, 60 * minute, TRAINING))
        breaks.append(
            (login + int(rng.integers(210, 290)) * minute, 30 * minute, BREAK)
        )
        if rng.random() < 0.1:
            breaks.append((login + 310 * minute, 30 * minute, MEETING))
        breaks.append(
            (login + int(rng.integers(370, 440)) * minute, 15 * minute, BREAK)
        )
        shifts.append((login, logout, breaks))
    return shifts


class AgentRun:
    """An agent during the simulation: shifts, breaks taken, work done."""

    __slots__ = ("bi", "done", "events", "free", "idx", "login", "shifts", "si")

    def __init__(self, info: AgentInfo) -> None:
        self.idx = info.idx
        self.shifts = info.shifts
        self.si = 0
        self.bi = 0
        self.events: list[tuple[int, int, int]] = []
        self.done: list[tuple[int, int, list[tuple[int, int, int]]]] = []
        self.login = self.shifts[0][0] if self.shifts else INF
        self.free = self.login

    def advance(self, t: int) -> bool:
        """Take the breaks and shift ends due by max(free, t); True if any."""
        if self.si >= len(self.shifts):
            return False
        _, logout, breaks = self.shifts[self.si]
        c = self.free if self.free > t else t
        if self.bi < len(breaks) and breaks[self.bi][0] <= c:
            start, length, state = breaks[self.bi]
            self.bi += 1
            if self.free > start:
                start = self.free  # busy when the break was due: take it after
            if start < logout:
                self.events.append((start, start + length, state))
                self.free = start + length
            return True
        if c >= logout:
            end = max(logout, self.free)
            self.done.append((self.login, end, self.events))
            self.events = []
            self.si += 1
            self.bi = 0
            if self.si < len(self.shifts):
                self.login = max(self.shifts[self.si][0], end)
                self.free = self.login
            else:
                self.free = INF
            return True
        return False


class Pool:
    """The agents of one queue: a lazy heap of the times they become free."""

    def __init__(self, agents: list[AgentRun], block_limit: int) -> None:
        self.agents = {a.idx: a for a in agents}
        self.heap = [(a.free, a.idx) for a in agents if a.free < INF]
        heapq.heapify(self.heap)
        self.waiting: list[int] = []  # when queued voice callers leave the queue
        self.block_limit = block_limit

    def earliest(self, t: int) -> tuple[AgentRun | None, int]:
        heap = self.heap
        while heap:
            a = self.agents[heap[0][1]]
            if a.advance(t):
                if a.free >= INF:
                    heapq.heappop(heap)
                else:
                    heapq.heapreplace(heap, (a.free, a.idx))
                continue
            return a, (a.free if a.free > t else t)
        return None, INF

    def busy(self, a: AgentRun, start: int, contact_end: int, work_end: int) -> None:
        """Book the agent returned by earliest(): on_contact, then ACW."""
        a.events.append((start, contact_end, ON_CONTACT))
        if work_end > contact_end:
            a.events.append((contact_end, work_end, ACW))
        a.free = work_end
        heapq.heapreplace(self.heap, (a.free, a.idx))


# --- the simulation -----------------------------------------------------------

# contact record fields
(
    R_Q,
    R_CH,
    R_DIR,
    R_CUST,
    R_CASE,
    R_ARR,
    R_QUEUED,
    R_ANS,
    R_END,
    R_OUT,
    R_AGENT,
    R_TALK,
    R_HOLD,
    R_ACW,
    R_HC,
    R_XFER,
    R_RES,
    R_CALLER,
    R_TRUE_RES,
    R_ATTEMPT,
    R_KIND,
) = range(21)
K_NORMAL, K_TRANSFER, K_CALLBACK = range(3)
EV_FRESH, EV_ARRIVE, EV_QUEUE = range(3)
# case record fields
C_CUST, C_OPENED, C_RESOLVED, C_CATEGORY, C_ORIGIN, C_CONTACTS = range(6)


def make_arrivals(cfg: Config, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Fresh inbound arrivals: (time, queue, channel), sorted by time."""
    days, nq, nc = cfg.days, len(QUEUES), len(CHANNELS)
    prof = np.array(
        [np.array(HOUR_PROFILE[c]) / sum(HOUR_PROFILE[c]) for c in range(nc)]
    )
    weekday = np.array(
        [
            WEEKDAY_FACTOR[(cfg.start_date + dt.timedelta(days=d)).weekday()]
            for d in range(days)
        ]
    )
    trend = np.ones((days, nq))
    trend[:, 0] = 1 + BILLING_GROWTH * np.arange(days) / max(days, 1)
    for d in OUTAGE_DAYS:
        if d < days:
            trend[d, 1] *= OUTAGE_FACTOR
    noise = rng.gamma(1 / 0.06**2, 0.06**2, (days, nq))
    share = np.array(QUEUE_SHARE)[:, None] * np.array(CHANNEL_SHARE)  # (q, c)
    norm = sum(WEEKDAY_FACTOR) / 7
    lam = (
        cfg.daily_volume
        / norm
        * (weekday[:, None] * trend * noise)[:, None, :, None]  # d, 1, q, 1
        * share[None, None, :, :]
        * prof.T[None, :, None, :]  # 1, h, 1, c
    )
    counts = rng.poisson(lam).ravel()
    cell = np.repeat(np.arange(counts.size), counts)
    d, h, q, c = np.unravel_index(cell, lam.shape)
    t = cfg.start_utc + d * DAY + h * HOUR + np.floor(rng.random(cell.size) * HOUR)
    t = t.astype(np.int64)
    order = np.lexsort((c, q, t))
    return t[order], q[order].astype(np.int64), c[order].astype(np.int64)


class Simulation:
    def __init__(
        self,
        cfg: Config,
        agents: list[AgentInfo],
        customers: Customers,
        rng: np.random.Generator,
    ) -> None:
        self.cfg = cfg
        self.start_utc, self.end_utc = cfg.start_utc, cfg.end_utc
        self.last_day = cfg.days - 1
        self.r = Rand(rng)
        self.info = agents
        self.runs = [AgentRun(a) for a in agents]
        self.pools = []
        for q in range(len(QUEUES)):
            team = [r for r, a in zip(self.runs, agents, strict=True) if a.team == q]
            self.pools.append(
                Pool(team, block_limit=max(2, round(0.8 * math.sqrt(len(team)))))
            )
        self.customers = customers
        active = [a.tolist() for a in customers.active]
        self.active_of_day = [active[m] for m in customers.month_of_day.tolist()]
        self.last_contact = np.full(customers.n, -INF, dtype=np.int64).tolist()
        self.contacts: list[list] = []
        self.cases: list[list] = []
        self.events: list[tuple] = []
        self.seq = 0
        self.cat_cum = [cumulative([w for _, w in cats]) for cats in CATEGORIES]

    # -- event plumbing
    def push(self, t: int, kind: int, payload: object) -> None:
        self.seq += 1
        heapq.heappush(self.events, (t, self.seq, kind, payload))

    def run(self, arrivals: tuple[np.ndarray, ...]) -> None:
        t_arr, q_arr, c_arr = arrivals
        self.arr_q = q_arr.tolist()
        self.arr_c = c_arr.tolist()
        fresh = t_arr.tolist()
        n = len(fresh)
        # fresh arrivals are already sorted: merge them with the (small) heap
        # of follow-up events; on a tie the fresh arrival goes first
        self.seq = n
        self.events = events = []
        i = 0
        while i < n or events:
            if i < n and (not events or fresh[i] <= events[0][0]):
                self.fresh(fresh[i], i)
                i += 1
                continue
            t, _, kind, payload = heapq.heappop(events)
            if kind == EV_ARRIVE:
                self.arrive(t, payload)
            else:
                self.queue(t, payload)
        for a in self.runs:
            while a.si < len(a.shifts):
                a.advance(INF)

    # -- customers and cases
    def pick_customer(self, t: int) -> int:
        day = min(max((t - self.start_utc) // DAY, 0), self.last_day)
        pool = self.active_of_day[day]
        c = -1
        for _ in range(8):
            c = pool[int(self.r.u() * len(pool))]
            if t - self.last_contact[c] > REFRACTORY:
                break
        return c

    def fresh(self, t: int, i: int) -> None:
        q, ch = self.arr_q[i], self.arr_c[i]
        cust = case = -1
        if self.r.u() >= ANONYMOUS_P[ch]:
            cust = self.pick_customer(t)
            cats = CATEGORIES[q]
            cat = cats[min(self.r.pick(self.cat_cum[q]), len(cats) - 1)][0]
            case = len(self.cases)
            self.cases.append([cust, t, NULL, cat, ch, 0])
        rec = self.new_record(q, ch, INBOUND, cust, case, t, 1, K_NORMAL)
        self.arrive(t, rec)

    def new_record(
        self,
        q: int,
        ch: int,
        direction: int,
        cust: int,
        case: int,
        t: int,
        attempt: int,
        kind: int,
    ) -> list:
        rec = [NULL] * 21
        rec[R_Q], rec[R_CH], rec[R_DIR] = q, ch, direction
        rec[R_CUST], rec[R_CASE], rec[R_ARR] = cust, case, t
        rec[R_AGENT] = rec[R_XFER] = -1
        rec[R_RES] = rec[R_TRUE_RES] = -1
        rec[R_ATTEMPT], rec[R_KIND] = attempt, kind
        if ch == VOICE:
            if cust >= 0:
                rec[R_CALLER] = 1 + cust
            elif self.r.u() < 0.8:
                rec[R_CALLER] = -(1 + int(self.r.u() * 10**9))  # unknown caller
            else:
                rec[R_CALLER] = 0  # withheld number
        else:
            rec[R_CALLER] = 0
        return rec

    def finish(self, rec: list) -> None:
        self.contacts.append(rec)
        if rec[R_CASE] >= 0:
            self.cases[rec[R_CASE]][C_CONTACTS] += 1

    def follow_up(self, rec: list, t: int, delay: float, same_channel_p: float) -> None:
        """The customer comes back about the same case after `delay` seconds."""
        if rec[R_CUST] < 0:
            return
        at = t + max(60, int(delay))
        if at >= self.end_utc:
            return
        ch = rec[R_CH]
        if ch == SELF or self.r.u() >= same_channel_p:
            ch = self.r.pick([0.6, 0.85, 1.0])  # voice, chat, email
            if ch == rec[R_CH] and ch != VOICE:
                ch = VOICE
        new = self.new_record(
            rec[R_Q],
            ch,
            INBOUND,
            rec[R_CUST],
            rec[R_CASE],
            at,
            rec[R_ATTEMPT] + 1,
            K_NORMAL,
        )
        self.push(at, EV_ARRIVE, new)

    # -- contact flow
    def arrive(self, t: int, rec: list) -> None:
        r = self.r
        ch, q = rec[R_CH], rec[R_Q]
        if rec[R_CUST] >= 0:
            self.last_contact[rec[R_CUST]] = t
            if rec[R_CASE] >= 0:
                self.cases[rec[R_CASE]][C_RESOLVED] = NULL  # (re)opened
        if ch == SELF:
            self.self_served(rec, t + int(r.lognormal(150, 0.7)) + 10)
        elif ch == VOICE:
            ivr = min(300, 8 + int(r.lognormal(30, 0.5)))
            if r.u() < IVR_SELF_SERVE_P[q]:
                self.self_served(rec, t + ivr + int(r.lognormal(90, 0.5)))
            else:
                self.push(t + ivr, EV_QUEUE, rec)
        elif ch == CHAT:
            self.push(t + 5 + int(r.u() * 50), EV_QUEUE, rec)
        else:  # e-mail waits in the mailbox until it is routed to an agent
            rec[R_QUEUED] = t
            release = t + int(r.exp(2 * HOUR))
            hour = ((release + CENTER_OFFSET) % DAY) / HOUR
            if hour < 8 or hour >= 20:  # worked during the day, not at night
                morning = release + int(((8 - hour) % 24) * HOUR)
                release = morning + int(r.u() * 12 * HOUR)
            self.push(release, EV_QUEUE, rec)

    def self_served(self, rec: list, end: int) -> None:
        rec[R_OUT], rec[R_END] = SELF_SERVED, end
        self.finish(rec)
        if self.r.u() < SELF_SERVICE_RESOLVE_P:
            self.resolve(rec, end)
        elif self.r.u() < 0.75:
            self.follow_up(rec, end, self.r.lognormal(1800, 1.0), 0.0)

    def resolve(self, rec: list, at: int) -> None:
        if rec[R_CASE] >= 0:
            self.cases[rec[R_CASE]][C_RESOLVED] = at

    def queue(self, t: int, rec: list) -> None:
        r = self.r
        q, ch = rec[R_Q], rec[R_CH]
        pool = self.pools[q]
        if rec[R_KIND] == K_CALLBACK:
            self.callback(t, rec, pool)
            return
        if ch == VOICE:
            waiting = pool.waiting
            while waiting and waiting[0] <= t:
                heapq.heappop(waiting)
            if len(waiting) >= pool.block_limit and rec[R_KIND] != K_TRANSFER:
                rec[R_OUT], rec[R_END] = BLOCKED, t + 2 + int(r.u() * 6)
                self.finish(rec)
                if r.u() < 0.75:
                    self.follow_up(rec, rec[R_END], r.lognormal(600, 0.8), 0.7)
                return
        if ch != EMAIL:
            rec[R_QUEUED] = t
        agent, start = pool.earliest(t)
        if ch == EMAIL:
            patience = INF
        elif ch == VOICE:
            patience = int(patience_from_uniform(r.u()))
        else:
            patience = int(CHAT_PATIENCE_FACTOR * patience_from_uniform(r.u()))
        if agent is None or start - t > patience:
            if ch == EMAIL:
                return  # still in the mailbox when the extract was taken
            end = t + patience
            rec[R_OUT], rec[R_END] = ABANDONED, end
            if ch == VOICE:
                heapq.heappush(pool.waiting, end)
            self.finish(rec)
            if (
                ch == VOICE
                and rec[R_CUST] >= 0
                and patience >= 20
                and r.u() < CALLBACK_P
            ):
                cb = self.new_record(
                    q,
                    VOICE,
                    OUTBOUND,
                    rec[R_CUST],
                    rec[R_CASE],
                    NULL,
                    rec[R_ATTEMPT] + 1,
                    K_CALLBACK,
                )
                self.push(end + 120 + int(r.lognormal(600, 0.6)), EV_QUEUE, cb)
            elif r.u() < (0.8 if patience < 5 else 0.6):
                self.follow_up(rec, end, r.lognormal(1200, 1.0), 0.75)
            return
        info = self.info[agent.idx]
        mu, sigma = TALK[ch][q]
        talk = 5 + int(r.lognormal(mu, sigma) * info.speed)
        hold = count = 0
        if r.u() < HOLD_P[ch][q]:
            count = 1 + (r.u() < 0.3) + (r.u() < 0.1)
            for _ in range(count):
                hold += 5 + int(r.lognormal(40, 0.6))
        acw = 0 if r.u() < 0.04 else int(r.lognormal(*ACW_TIME[ch]) * info.speed)
        end = start + talk + hold
        pool.busy(agent, start, end, end + acw)
        if ch == VOICE:
            heapq.heappush(pool.waiting, start)
        rec[R_ANS], rec[R_END], rec[R_OUT], rec[R_AGENT] = (
            start,
            end,
            ANSWERED,
            agent.idx,
        )
        rec[R_TALK], rec[R_HOLD], rec[R_ACW], rec[R_HC] = talk, hold, acw, count
        self.finish(rec)
        if ch != EMAIL and rec[R_CASE] >= 0 and r.u() < TRANSFER_P:
            target = (q + 1 + int(r.u() * 2)) % len(QUEUES)
            rec[R_XFER], rec[R_RES], rec[R_TRUE_RES] = target, 0, 0
            new = self.new_record(
                target,
                ch,
                INBOUND,
                rec[R_CUST],
                rec[R_CASE],
                end,
                rec[R_ATTEMPT],
                K_TRANSFER,
            )
            new[R_CALLER] = rec[R_CALLER]
            self.push(end, EV_QUEUE, new)
            return
        self.disposition(rec, q, ch, info, end + acw)

    def disposition(
        self, rec: list, q: int, ch: int, info: AgentInfo, done: int
    ) -> None:
        r = self.r
        p = RESOLVE_P[0][q] + RESOLVE_P[ch + 1 if ch < 3 else 1] + info.skill
        p = min(0.97, p + 0.08 * (rec[R_ATTEMPT] - 1))
        resolved = r.u() < p
        rec[R_RES] = int(resolved)
        if resolved:
            false = r.u() < FALSE_RESOLUTION_P
            rec[R_TRUE_RES] = int(not false)
            self.resolve(rec, done)
            if false:
                self.follow_up(rec, rec[R_END], r.lognormal(1.5 * DAY, 0.6), 0.6)
        else:
            rec[R_TRUE_RES] = 0
            if r.u() < 0.85:
                delay = min(6 * DAY, max(900, r.lognormal(20 * HOUR, 0.9)))
                self.follow_up(rec, rec[R_END], delay, 0.6)

    def callback(self, t: int, rec: list, pool: Pool) -> None:
        r = self.r
        agent, start = pool.earliest(t)
        if agent is None or start >= self.end_utc:
            return
        info = self.info[agent.idx]
        ring = 6 + int(r.u() * 30)
        rec[R_ARR], rec[R_AGENT] = start, agent.idx
        if r.u() < 0.7:
            talk = 5 + int(r.lognormal(200, 0.6) * info.speed)
            acw = int(r.lognormal(30, 0.5))
            end = start + ring + talk
            pool.busy(agent, start, end, end + acw)
            rec[R_ANS], rec[R_END], rec[R_OUT] = start + ring, end, ANSWERED
            rec[R_TALK], rec[R_HOLD], rec[R_ACW], rec[R_HC] = talk, 0, acw, 0
            self.finish(rec)
            self.disposition(rec, rec[R_Q], VOICE, info, end + acw)
        else:
            end = start + ring
            pool.busy(agent, start, end, end)
            rec[R_END], rec[R_OUT] = end, NO_ANSWER
            self.finish(rec)
            if r.u() < 0.5:
                self.follow_up(rec, end, r.lognormal(3 * HOUR, 1.0), 1.0)


# --- derived data (post simulation) -----------------------------------------


@dataclass
class World:
    cfg: Config
    agents: list[AgentInfo]
    customers: Customers
    c: dict[str, np.ndarray]  # contacts, sorted by arrived_at
    cases: dict[str, np.ndarray]
    states: dict[str, np.ndarray]
    surveys: dict[str, object]
    qa: dict[str, np.ndarray]
    esat: dict[str, np.ndarray]
    costs: list[tuple[str, str, str, float, str]]
    fx: list[tuple[str, str, float]]


def contact_arrays(sim: Simulation) -> dict[str, np.ndarray]:
    table = np.array(sim.contacts, dtype=np.int64).reshape(-1, 21)
    cols = {
        name: table[:, k].copy()
        for name, k in (
            ("queue", R_Q),
            ("channel", R_CH),
            ("direction", R_DIR),
            ("customer", R_CUST),
            ("case", R_CASE),
            ("arrived", R_ARR),
            ("queued", R_QUEUED),
            ("answered", R_ANS),
            ("ended", R_END),
            ("outcome", R_OUT),
            ("agent", R_AGENT),
            ("talk", R_TALK),
            ("hold", R_HOLD),
            ("acw", R_ACW),
            ("hold_count", R_HC),
            ("xfer", R_XFER),
            ("resolved", R_RES),
            ("caller", R_CALLER),
            ("true_resolved", R_TRUE_RES),
        )
    }
    order = np.argsort(cols["arrived"], kind="stable")
    return {k: v[order] for k, v in cols.items()}


def state_arrays(sim: Simulation) -> dict[str, np.ndarray]:
    agent, state, start, end = [], [], [], []
    for a in sim.runs:
        prev_logout = None
        for login, logout, events in a.done:
            if prev_logout is not None and login > prev_logout:
                agent.append(a.idx)
                state.append(OFFLINE)
                start.append(prev_logout)
                end.append(login)
            cur = login
            for s, e, st in sorted(events):
                if s > cur:
                    agent.append(a.idx)
                    state.append(AVAILABLE)
                    start.append(cur)
                    end.append(s)
                if e > s:
                    agent.append(a.idx)
                    state.append(st)
                    start.append(s)
                    end.append(e)
                cur = max(cur, e)
            if logout > cur:
                agent.append(a.idx)
                state.append(AVAILABLE)
                start.append(cur)
                end.append(logout)
            prev_logout = max(logout, cur)
    cols = {
        "agent": np.array(agent, dtype=np.int64),
        "state": np.array(state, dtype=np.int64),
        "start": np.array(start, dtype=np.int64),
        "end": np.array(end, dtype=np.int64),
    }
    order = np.lexsort((cols["agent"], cols["start"]))
    return {k: v[order] for k, v in cols.items()}


def make_surveys(
    c: dict[str, np.ndarray], agents: list[AgentInfo], rng: np.random.Generator
):
    answered = np.flatnonzero((c["outcome"] == ANSWERED) & (c["direction"] == INBOUND))
    p = np.where(c["channel"][answered] == CHAT, 0.2, 0.14)
    idx = answered[rng.random(len(answered)) < p]
    n = len(idx)
    ended = c["ended"][idx]
    responded = ended + np.clip(
        rng.lognormal(np.log(2400), 1.2, n), 30, 5 * DAY
    ).astype(np.int64)
    wait = (c["answered"][idx] - c["queued"][idx]).astype(float)
    wait_effect = np.where(
        c["channel"][idx] == EMAIL,
        np.minimum(wait / HOUR, 24) * 0.05,
        np.minimum(wait / 60, 10) * 0.25,
    )
    skill = np.array([a.skill for a in agents])[c["agent"][idx]]
    true_res = c["true_resolved"][idx] == 1
    z = 0.9 * true_res - wait_effect - 0.4 * (c["xfer"][idx] >= 0) + 4 * skill
    z = z + rng.normal(0, 0.8, n)
    csat = np.clip(np.round(3.6 + 0.9 * z), 1, 5).astype(np.int64)
    nps = np.clip(np.round(7.2 + 1.8 * z + rng.normal(0, 1, n)), 0, 10).astype(np.int64)
    ces = np.clip(np.round(5.0 + 1.1 * z + rng.normal(0, 0.8, n)), 1, 7).astype(
        np.int64
    )
    quality = np.clip(np.round(3.7 + 0.7 * z + 6 * skill + rng.normal(0, 0.5, n)), 1, 5)
    quality = quality.astype(np.int64)
    issue = np.where(rng.random(n) < 0.9, true_res, ~true_res).astype(np.int64)
    for arr, skip in (
        (csat, 0.03),
        (nps, 0.08),
        (ces, 0.10),
        (quality, 0.06),
        (issue, 0.08),
    ):
        arr[rng.random(n) < skip] = NULL
    comment = [""] * n
    has_comment = rng.random(n) < 0.22
    pick = rng.integers(0, len(COMMENTS_GOOD), n)
    for i in np.flatnonzero(has_comment):
        pool = COMMENTS_GOOD if z[i] > 0.3 else COMMENTS_BAD
        comment[i] = pool[pick[i]]
    order = np.argsort(responded, kind="stable")
    return {
        "contact": idx[order],
        "responded": responded[order],
        "csat": csat[order],
        "nps": nps[order],
        "ces": ces[order],
        "quality": quality[order],
        "issue": issue[order],
        "comment": [comment[i] for i in order],
    }


def make_qa(
    c: dict[str, np.ndarray],
    agents: list[AgentInfo],
    cfg: Config,
    rng: np.random.Generator,
):
    idx = np.flatnonzero(
        (c["outcome"] == ANSWERED) & (c["direction"] == INBOUND) & (c["agent"] >= 0)
    )
    week = (c["answered"][idx] - cfg.start_utc) // (7 * DAY)
    key = c["agent"][idx] * 1000 + week
    order = np.lexsort((rng.random(len(idx)), key))
    key_sorted = key[order]
    first = np.r_[True, key_sorted[1:] != key_sorted[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    rank = np.arange(len(order)) - group_start
    sel = idx[order[rank < 3]]
    sel = np.sort(sel)
    n = len(sel)
    skill = np.array([a.skill for a in agents])[c["agent"][sel]]
    score = np.clip(np.round(rng.normal(80 + 120 * skill, 7, n), 1), 30, 100)
    evaluated = c["ended"][sel] + rng.integers(20 * HOUR, 96 * HOUR, n)
    order = np.argsort(evaluated, kind="stable")
    return {"contact": sel[order], "evaluated": evaluated[order], "score": score[order]}


def make_esat(agents: list[AgentInfo], cfg: Config, rng: np.random.Generator):
    agent, day, esat = [], [], []
    last = cfg.start_date + dt.timedelta(days=cfg.days - 1)
    y, m = cfg.start_date.year, cfg.start_date.month
    while (y, m) <= (last.year, last.month):
        pulse = dt.date(y, m, 20)
        if cfg.start_date <= pulse <= last:
            for a in agents:
                if a.hired_on > pulse or (a.left_on is not None and a.left_on <= pulse):
                    continue
                if rng.random() < 0.85:
                    agent.append(a.idx)
                    day.append((pulse - dt.date(1970, 1, 1)).days)
                    v = round(3.7 + a.morale + rng.normal(0, 0.7))
                    esat.append(min(5, max(1, v)))
        y, m = add_months(y, m, 1)
    return {
        "agent": np.array(agent, dtype=np.int64),
        "day": np.array(day),
        "esat": np.array(esat),
    }


def make_costs(
    cfg: Config,
    agents: list[AgentInfo],
    c: dict[str, np.ndarray],
    months: list[str],
    rng: np.random.Generator,
) -> list[tuple[str, str, str, float, str]]:
    rows: list[tuple[str, str, str, float, str]] = []
    last = cfg.start_date + dt.timedelta(days=cfg.days - 1)
    y, m = cfg.start_date.year, cfg.start_date.month
    while (y, m) <= (last.year, last.month):
        month = f"{y:04d}-{m:02d}"
        month_index = months.index(month)
        days_in = calendar.monthrange(y, m)[1]
        lo = max(cfg.start_date, dt.date(y, m, 1))
        hi = min(last, dt.date(y, m, days_in))
        frac = ((hi - lo).days + 1) / days_in
        labor = [0.0] * len(QUEUES)
        seats = [0] * len(QUEUES)
        for a in agents:
            paid = sum(
                (logout - login) / HOUR
                for login, logout, _ in a.shifts
                if month_key(local_date(login)) == month
                and cfg.start_utc <= login < cfg.end_utc
            )
            labor[a.team] += paid * a.hourly_cost
            seats[a.team] += paid > 0
        for q, queue in enumerate(QUEUES):
            rows.append((month, queue, "labor", round(labor[q], 2), "CNY"))
            rows.append(
                (month, queue, "technology", round(45 * seats[q] * frac, 2), "USD")
            )
            voice = (
                (c["queue"] == q)
                & (c["channel"] == VOICE)
                & (c["outcome"] == ANSWERED)
                & (c["month"] == month_index)
            )
            minutes = float(c["talk"][voice].sum()) / 60
            rows.append(
                (month, queue, "telecom", round(0.12 * minutes + 800 * frac, 2), "CNY")
            )
        scale = cfg.n_agents / 24
        shared = (
            ("labor", 3 * 28000.0, "CNY"),
            ("technology", 6500.0, "USD"),
            ("technology", 1800.0, "EUR"),
            ("telecom", 900.0, "USD"),
            ("facilities", 60000.0, "CNY"),
            ("overhead", 35000.0, "CNY"),
        )
        for category, amount, currency in shared:
            noise = 1 + 0.03 * rng.standard_normal()
            rows.append(
                (
                    month,
                    "shared",
                    category,
                    round(amount * scale * frac * noise, 2),
                    currency,
                )
            )
        rows.append(
            (
                month,
                "shared",
                "telecom",
                -round(float(rng.uniform(500, 2000)), 2),
                "CNY",
            )
        )
        if m % 2 == 0:
            rows.append(
                (
                    month,
                    "tech_support",
                    "technology",
                    -round(float(rng.uniform(80, 300)), 2),
                    "USD",
                )
            )
        y, m = add_months(y, m, 1)
    return rows


def make_fx(
    months: list[str], rng: np.random.Generator
) -> list[tuple[str, str, float]]:
    rows = []
    for k, month in enumerate(months):
        rows.append(
            (
                month,
                "USD",
                round(7.12 + 0.04 * math.sin(k / 2) + float(rng.normal(0, 0.01)), 4),
            )
        )
        rows.append(
            (
                month,
                "EUR",
                round(7.86 + 0.06 * math.cos(k / 3) + float(rng.normal(0, 0.015)), 4),
            )
        )
    return rows


def simulate(cfg: Config, log: Callable[[str], None] = lambda _: None) -> World:
    seeds = np.random.SeedSequence(cfg.seed).spawn(8)
    rng = [np.random.default_rng(s) for s in seeds]
    customers = simulate_customers(cfg, rng[0])
    agents = make_agents(cfg, rng[1])
    arrivals = make_arrivals(cfg, rng[2])
    log(f"simulating {len(arrivals[0]):,} fresh arrivals, {len(agents)} agents")
    sim = Simulation(cfg, agents, customers, rng[3])
    sim.run(arrivals)
    c = contact_arrays(sim)
    day = np.clip((c["arrived"] - cfg.start_utc) // DAY, 0, cfg.days - 1)
    c["month"] = customers.month_of_day[day]
    used = np.array([k for k, cs in enumerate(sim.cases) if cs[C_CONTACTS] > 0])
    used = used.astype(np.int64)
    case_rank = np.full(len(sim.cases) + 1, -1, dtype=np.int64)
    case_rank[used] = np.arange(len(used))
    c["case"] = np.where(c["case"] >= 0, case_rank[c["case"]], -1)
    picked = [sim.cases[k] for k in used.tolist()]
    cases = {
        "customer": np.array([x[C_CUST] for x in picked], dtype=np.int64),
        "opened": np.array([x[C_OPENED] for x in picked], dtype=np.int64),
        "resolved": np.array([x[C_RESOLVED] for x in picked], dtype=np.int64),
        "category": np.array([x[C_CATEGORY] for x in picked], dtype=object),
        "origin": np.array([x[C_ORIGIN] for x in picked], dtype=np.int64),
    }
    log(f"simulated {len(c['arrived']):,} contacts, {len(used):,} cases")
    log("deriving agent states, surveys, QA, ESAT, costs")
    states = state_arrays(sim)
    surveys = make_surveys(c, agents, rng[4])
    qa = make_qa(c, agents, cfg, rng[5])
    esat = make_esat(agents, cfg, rng[6])
    costs = make_costs(cfg, agents, c, customers.months, rng[7])
    fx = make_fx(customers.months, rng[7])
    return World(cfg, agents, customers, c, cases, states, surveys, qa, esat, costs, fx)


# --- formatting ---------------------------------------------------------------

Row = list[str]
ENUM_STYLES = (
    lambda s: s,
    str.upper,
    str.title,
    lambda s: f" {s} ",
    lambda s: f"{s.upper()} ",
    lambda s: f" {s.title()}",
)


def fmt_ts(utc: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """ISO 8601 with the offset of each row's code ('' for null)."""
    out = np.full(len(utc), "", dtype=object)
    valid = utc != NULL
    for k, suffix in enumerate(s for _, s in OFFSETS):
        m = valid & (codes == k)
        if m.any():
            local = (utc[m] + OFFSET_SECONDS[k]).astype("datetime64[s]")
            out[m] = np.char.add(np.datetime_as_string(local, unit="s"), suffix)
    return out


def fmt_one(utc: int, code: int) -> str:
    return str(fmt_ts(np.array([utc], dtype=np.int64), np.array([code]))[0])


def fmt_int(values: np.ndarray) -> np.ndarray:
    out = values.astype(str).astype(object)
    out[values == NULL] = ""
    return out


def fmt_enum(labels: np.ndarray, style: np.ndarray) -> np.ndarray:
    out = labels.astype(object)
    for k in range(1, len(ENUM_STYLES)):
        m = style == k
        if m.any():
            out[m] = [ENUM_STYLES[k](x) if x else x for x in out[m]]
    return out


def fmt_bool(values: np.ndarray, spelling: np.ndarray) -> np.ndarray:
    out = np.full(len(values), "", dtype=object)
    for k, (yes, no) in enumerate(BOOL_SPELLINGS):
        m = spelling == k
        out[m & (values == 1)] = yes
        out[m & (values == 0)] = no
    return out


def fmt_ids(prefix: str, width: int, idx: np.ndarray) -> np.ndarray:
    """Zero-padded ids of 0-based indices ('' for a negative index)."""
    digits = np.char.zfill((idx + 1).astype(str), width)
    out = np.char.add(prefix, digits).astype(object)
    out[idx < 0] = ""
    return out


def labels(names: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
    table = np.array([*names, ""], dtype=object)
    return table[np.where(codes >= 0, codes, len(names))]


class Noise:
    """Per-row format variations the contract accepts (offsets, case, ...)."""

    def __init__(self, rng: np.random.Generator, fault_rate: float) -> None:
        self.rng = rng
        self.offset_share = min(0.5, 20 * fault_rate)
        self.enum_share = min(0.5, 10 * fault_rate)
        self.bool_share = min(1.0, 40 * fault_rate)

    def offsets(self, n: int) -> np.ndarray:
        codes = np.zeros(n, dtype=np.int64)
        m = self.rng.random(n) < self.offset_share
        p = np.array(OFFSET_WEIGHTS[1:]) / sum(OFFSET_WEIGHTS[1:])
        codes[m] = 1 + self.rng.choice(len(p), int(m.sum()), p=p)
        return codes

    def styles(self, n: int) -> np.ndarray:
        style = self.rng.integers(1, len(ENUM_STYLES), n)
        style[self.rng.random(n) >= self.enum_share] = 0
        return style

    def spellings(self, n: int) -> np.ndarray:
        spelling = self.rng.integers(1, len(BOOL_SPELLINGS), n)
        spelling[self.rng.random(n) >= self.bool_share] = 0
        return spelling


@dataclass
class Table:
    """One extract: clean rows formatted on demand plus injected rows."""

    name: str
    n: int
    chunk: Callable[[np.ndarray], list[Row]]  # formats the rows at indices
    before: dict[int, list[Row]] = field(default_factory=dict)
    after: dict[int, list[Row]] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)
    cache: dict[int, Row] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return COLUMNS[self.name]

    def col(self, name: str) -> int:
        return self.columns.index(name)

    def prefetch(self, rows: list[int]) -> None:
        """Format the rows faults will copy, a block at a time."""
        missing = sorted(set(rows) - self.cache.keys())
        if missing:
            formatted = self.chunk(np.array(missing, dtype=np.int64))
            self.cache.update(zip(missing, formatted, strict=True))

    def row(self, i: int) -> Row:
        self.prefetch([i])
        return list(self.cache[i])

    def add(self, kind: str, at: int, rows: list[Row], before: bool = False) -> None:
        """Inject rows next to clean row `at` (-1: at the end of the file)."""
        target = self.before if before else self.after
        target.setdefault(at if at >= 0 else self.n - 1, []).extend(rows)
        self.faults[kind] = self.faults.get(kind, 0) + len(rows)

    def blocks(self, size: int = 50_000) -> Iterator[list[Row]]:
        """The rows of the file in order, in blocks."""
        marks = sorted(self.before.keys() | self.after.keys())
        for lo in range(0, self.n, size):
            hi = min(self.n, lo + size)
            rows = self.chunk(np.arange(lo, hi))
            start = bisect.bisect_left(marks, lo)
            for i in reversed(marks[start : bisect.bisect_left(marks, hi)]):
                rows[i - lo + 1 : i - lo + 1] = self.after.get(i, [])
                rows[i - lo : i - lo] = self.before.get(i, [])
            yield rows
        if self.n == 0:
            yield self.before.get(-1, []) + self.after.get(-1, [])

    @property
    def total(self) -> int:
        extra = sum(len(v) for v in self.before.values())
        return self.n + extra + sum(len(v) for v in self.after.values())


def phone(caller: int) -> str:
    if caller == 0 or caller == NULL:
        return ""
    if caller > 0:  # a known customer's mobile number
        c = caller - 1
        return f"+86 1{3 + c % 7}{(c * 7919 + 1234567) % 10**9:09d}"
    return f"+86 1{5 + (-caller) % 4}{(-caller) % 10**9:09d}"


def contacts_table(w: World, noise: Noise, rng: np.random.Generator) -> Table:
    c = w.c
    n = len(c["arrived"])
    done = np.maximum(c["ended"], c["ended"] + np.where(c["acw"] == NULL, 0, c["acw"]))
    exported = (done // HOUR + 1) * HOUR + 300 + rng.integers(0, 180, n)
    w.c["exported"] = exported
    offs, style, spelling = noise.offsets(n), noise.styles(n * 4), noise.spellings(n)
    style = style.reshape(n, 4)
    w.c["offset"] = offs
    blank_hold = (c["outcome"] == ANSWERED) & (c["hold"] == 0) & (noise.styles(n) > 0)
    hold = np.where(blank_hold, NULL, c["hold"])
    hold_count = np.where(blank_hold, NULL, c["hold_count"])
    agents = fmt_ids("A", 3, c["agent"])

    def chunk(s: np.ndarray) -> list[Row]:
        o = offs[s]
        cols = [
            fmt_ids("CT", 8, s),
            fmt_ts(exported[s], o),
            fmt_enum(labels(CHANNELS, c["channel"][s]), style[s, 0]),
            fmt_enum(labels(DIRECTIONS, c["direction"][s]), style[s, 1]),
            fmt_enum(labels(QUEUES, c["queue"][s]), style[s, 2]),
            fmt_ids("CU", 6, c["customer"][s]),
            [phone(x) for x in c["caller"][s].tolist()],
            fmt_ids("CS", 7, c["case"][s]),
            fmt_ts(c["arrived"][s], o),
            fmt_ts(c["queued"][s], o),
            fmt_ts(c["answered"][s], o),
            fmt_ts(c["ended"][s], o),
            fmt_enum(labels(OUTCOMES, c["outcome"][s]), style[s, 3]),
            agents[s],
            fmt_int(c["talk"][s]),
            fmt_int(hold[s]),
            fmt_int(c["acw"][s]),
            fmt_int(hold_count[s]),
            labels(QUEUES, c["xfer"][s]),
            fmt_bool(c["resolved"][s], spelling[s]),
        ]
        return [list(r) for r in zip(*cols, strict=True)]

    t = Table("raw_contacts", n, chunk)
    t.faults["format:non_center_offset_rows"] = int((offs > 0).sum())
    t.faults["format:odd_case_enum_values"] = int((style > 0).sum())
    t.faults["format:blank_hold_on_answered"] = int(blank_hold.sum())
    resolved = c["resolved"] >= 0
    t.faults["format:non_canonical_booleans"] = int((resolved & (spelling > 0)).sum())
    return t


def cases_table(w: World, noise: Noise) -> Table:
    k = w.cases
    n = len(k["opened"])
    offs, style = noise.offsets(n), noise.styles(n * 2).reshape(n, 2)

    def chunk(s: np.ndarray) -> list[Row]:
        cols = [
            fmt_ids("CS", 7, s),
            fmt_ids("CU", 6, k["customer"][s]),
            fmt_ts(k["opened"][s], offs[s]),
            fmt_ts(k["resolved"][s], offs[s]),
            fmt_enum(k["category"][s], style[s, 0]),
            fmt_enum(labels(CHANNELS, k["origin"][s]), style[s, 1]),
        ]
        return [list(r) for r in zip(*cols, strict=True)]

    t = Table("raw_cases", n, chunk)
    t.faults["format:non_center_offset_rows"] = int((offs > 0).sum())
    return t


def surveys_table(w: World, noise: Noise) -> Table:
    v = w.surveys
    n = len(v["responded"])
    offs, spelling = noise.offsets(n), noise.spellings(n)

    def chunk(s: np.ndarray) -> list[Row]:
        cols = [
            fmt_ids("SV", 8, s),
            fmt_ids("CT", 8, v["contact"][s]),
            fmt_ts(v["responded"][s], offs[s]),
            fmt_int(v["csat"][s]),
            fmt_int(v["nps"][s]),
            fmt_int(v["ces"][s]),
            fmt_int(v["quality"][s]),
            fmt_bool(v["issue"][s], spelling[s]),
            [v["comment"][i] for i in s.tolist()],
        ]
        return [list(r) for r in zip(*cols, strict=True)]

    t = Table("raw_surveys", n, chunk)
    t.faults["format:non_center_offset_rows"] = int((offs > 0).sum())
    blank = sum(int((v[k] == NULL).sum()) for k in ("csat", "nps", "ces", "quality"))
    t.faults["format:blank_scores"] = blank + int((v["issue"] == NULL).sum())
    t.faults["format:non_canonical_booleans"] = int(
        ((v["issue"] != NULL) & (spelling > 0)).sum()
    )
    return t


def agents_table(w: World) -> Table:
    rows = [
        [
            f"A{a.idx + 1:03d}",
            a.name,
            TEAMS[a.team],
            a.site,
            a.hired_on.isoformat(),
            a.left_on.isoformat() if a.left_on else "",
            f"{a.hourly_cost:.2f}",
            "CNY",
        ]
        for a in w.agents
    ]
    return Table("raw_agents", len(rows), lambda s: [rows[i] for i in s.tolist()])


def states_table(w: World, noise: Noise) -> Table:
    st = w.states
    n = len(st["start"])
    offs, style = noise.offsets(n), noise.styles(n)
    agents = fmt_ids("A", 3, st["agent"])

    def chunk(s: np.ndarray) -> list[Row]:
        cols = [
            agents[s],
            fmt_enum(labels(STATES, st["state"][s]), style[s]),
            fmt_ts(st["start"][s], offs[s]),
            fmt_ts(st["end"][s], offs[s]),
        ]
        return [list(r) for r in zip(*cols, strict=True)]

    t = Table("raw_agent_states", n, chunk)
    t.faults["format:non_center_offset_rows"] = int((offs > 0).sum())
    t.faults["format:odd_case_enum_values"] = int((style > 0).sum())
    return t


QA_FORMS = ("voice_call_v3", "digital_chat_v2", "email_quality_v2")


def qa_table(w: World, noise: Noise) -> Table:
    q, c = w.qa, w.c
    n = len(q["evaluated"])
    offs = noise.offsets(n)

    def chunk(s: np.ndarray) -> list[Row]:
        contact = q["contact"][s]
        cols = [
            fmt_ids("QA", 7, s),
            fmt_ids("CT", 8, contact),
            fmt_ids("A", 3, c["agent"][contact]),
            fmt_ts(q["evaluated"][s], offs[s]),
            [f"{x:.1f}" for x in q["score"][s].tolist()],
            [QA_FORMS[x] for x in c["channel"][contact].tolist()],
        ]
        return [list(r) for r in zip(*cols, strict=True)]

    return Table("raw_qa_evaluations", n, chunk)


def esat_table(w: World) -> Table:
    e = w.esat
    epoch = dt.date(1970, 1, 1)
    rows = [
        [
            f"ES{k + 1:06d}",
            f"A{a + 1:03d}",
            (epoch + dt.timedelta(days=int(d))).isoformat(),
            str(int(v)),
        ]
        for k, (a, d, v) in enumerate(
            zip(e["agent"].tolist(), e["day"].tolist(), e["esat"].tolist(), strict=True)
        )
    ]
    return Table(
        "raw_employee_surveys", len(rows), lambda s: [rows[i] for i in s.tolist()]
    )


def costs_table(w: World, noise: Noise) -> Table:
    style = noise.styles(len(w.costs) * 2)
    rows = [
        [
            month,
            ENUM_STYLES[style[2 * k]](center),
            ENUM_STYLES[style[2 * k + 1]](category),
            f"{amount:.2f}",
            currency.lower() if style[2 * k] == 3 else currency,
        ]
        for k, (month, center, category, amount, currency) in enumerate(w.costs)
    ]
    return Table("raw_costs", len(rows), lambda s: [rows[i] for i in s.tolist()])


def revenue_table(w: World) -> Table:
    cu = w.customers

    def chunk(s: np.ndarray) -> list[Row]:
        return [
            [cu.months[m], f"CU{k + 1:06d}", f"{a // 100}.{a % 100:02d}", cur]
            for m, k, a, cur in zip(
                cu.rev_month[s].tolist(),
                cu.rev_customer[s].tolist(),
                cu.rev_cents[s].tolist(),
                np.where(cu.rev_usd[s], "USD", "CNY").tolist(),
                strict=True,
            )
        ]

    return Table("raw_revenue", len(cu.rev_month), chunk)


def fx_table(w: World) -> Table:
    rows = [[m, cur, f"{rate:.4f}"] for m, cur, rate in w.fx]
    return Table("fx_rates", len(rows), lambda s: [rows[i] for i in s.tolist()])


# --- fault injection ----------------------------------------------------------

BAD_TIMESTAMPS = (
    "2026-09-31T10:00:00+08:00",
    "31/09/2026 10:00",
    "not a time",
    "2026-10-08T25:10:00+08:00",
)


class Injector:
    """Injects the rows the contract rejects, next to clean rows."""

    def __init__(self, w: World, tables: dict[str, Table], rng: np.random.Generator):
        self.w, self.t, self.rng = w, tables, rng
        self.rate = w.cfg.fault_rate
        self.rejected_contact_ids: list[str] = []

    def count(self, table: Table, kinds: int, weight: float = 1.0) -> int:
        if self.rate <= 0:
            return 0
        return max(3, round(weight * self.rate * table.n / kinds))

    def pick(self, mask: np.ndarray, k: int, table: Table | None = None) -> list[int]:
        """k random clean rows where mask holds (formatted ahead for table)."""
        idx = np.flatnonzero(mask)
        if len(idx) == 0 or k == 0:
            return []
        chosen = sorted(self.rng.choice(idx, min(k, len(idx)), replace=False).tolist())
        if table is not None:
            table.prefetch(chosen)
        return chosen

    def ts(self, utc: int) -> str:
        return fmt_one(int(utc), int(self.rng.integers(0, len(OFFSETS))))

    def run(self) -> None:
        if self.rate <= 0:
            return
        self.contacts()
        self.surveys()
        self.cases()
        self.states()
        self.small_tables()

    def contacts(self) -> None:
        t, c = self.t["raw_contacts"], self.w.c
        n = t.n
        ix = {name: t.col(name) for name in t.columns}
        inbound = c["direction"] == INBOUND
        answered = (c["outcome"] == ANSWERED) & inbound
        abandoned = c["outcome"] == ABANDONED
        anything = np.ones(n, dtype=bool)
        surveyed = np.zeros(n, dtype=bool)
        surveyed[self.w.surveys["contact"]] = True
        surveyed[self.w.qa["contact"]] = True
        self.surveyed = surveyed
        self.conflicted = np.zeros(n, dtype=bool)
        next_id = iter(range(n, 10**9))

        def new_id(row: Row) -> Row:
            row[ix["contact_id"]] = f"CT{next(next_id) + 1:08d}"
            return row

        def off(i: int) -> int:
            return int(c["offset"][i])

        def clear(*names: str) -> Callable[[Row, int], None]:
            def f(row: Row, i: int) -> None:
                for name in names:
                    row[ix[name]] = ""

            return f

        def setv(
            name: str, value: str | Callable[[int], str]
        ) -> Callable[[Row, int], None]:
            def f(row: Row, i: int) -> None:
                row[ix[name]] = value(i) if callable(value) else value

            return f

        def strip_offset(row: Row, i: int) -> None:
            row[ix["arrived_at"]] = row[ix["arrived_at"]][:19]

        def bad_ts(name: str) -> Callable[[Row, int], None]:
            def f(row: Row, i: int) -> None:
                row[ix[name]] = BAD_TIMESTAMPS[i % len(BAD_TIMESTAMPS)]

            return f

        invalid: list[tuple[str, np.ndarray, Callable[[Row, int], None]]] = [
            ("null_exported_at", anything, clear("exported_at")),
            ("unparseable_exported_at", anything, bad_ts("exported_at")),
            ("timestamp_without_offset", anything, strip_offset),
            ("unparseable_timestamp", anything, bad_ts("ended_at")),
            ("invalid_talk_seconds", answered, setv("talk_seconds", "abc")),
            ("invalid_hold_count", answered, setv("hold_count", "two")),
            ("invalid_agent_resolved", answered, setv("agent_resolved", "maybe")),
            ("invalid_channel", anything, setv("channel", "fax")),
            ("invalid_direction", anything, setv("direction", "sideways")),
            ("invalid_outcome", anything, setv("outcome", "voicemail")),
            ("missing_arrived_at", anything, clear("arrived_at")),
            ("missing_ended_at", anything, clear("ended_at")),
            (
                "answered_before_queued",
                answered & (c["channel"] != EMAIL),
                setv(
                    "answered_at",
                    lambda i: fmt_one(int(c["queued"][i]) - 7, off(i)),
                ),
            ),
            (
                "ended_before_arrived",
                anything,
                setv("ended_at", lambda i: fmt_one(int(c["arrived"][i]) - 60, off(i))),
            ),
            ("negative_talk_seconds", answered, setv("talk_seconds", "-42")),
            ("negative_acw_seconds", answered, setv("acw_seconds", "-5")),
            ("answered_without_agent", answered, clear("agent_id")),
            ("answered_without_talk_seconds", answered, clear("talk_seconds")),
            ("answered_without_answered_at", answered, clear("answered_at")),
            ("answered_without_queued_at", answered, clear("queued_at")),
            (
                "abandoned_with_answered_at",
                abandoned,
                setv(
                    "answered_at",
                    lambda i: fmt_one(
                        (int(c["queued"][i]) + int(c["ended"][i])) // 2, off(i)
                    ),
                ),
            ),
            ("abandoned_without_queued_at", abandoned, clear("queued_at")),
            ("unanswered_with_durations", abandoned, setv("talk_seconds", "30")),
            (
                "blocked_with_queued_at",
                c["outcome"] == BLOCKED,
                setv("queued_at", lambda i: fmt_one(int(c["arrived"][i]) + 1, off(i))),
            ),
            (
                "self_served_with_queued_at",
                (c["outcome"] == SELF_SERVED) & (c["channel"] == VOICE),
                setv("queued_at", lambda i: fmt_one(int(c["arrived"][i]) + 1, off(i))),
            ),
            (
                "outbound_with_queued_at",
                c["direction"] == OUTBOUND,
                setv("queued_at", lambda i: fmt_one(int(c["arrived"][i]), off(i))),
            ),
        ]
        kinds = len(invalid) + 6
        for kind, mask, modify in invalid:
            for i in self.pick(mask, self.count(t, kinds), t):
                row = new_id(t.row(i))
                modify(row, i)
                self.rejected_contact_ids.append(row[ix["contact_id"]])
                t.add(kind, i, [row])
        for i in self.pick(anything, self.count(t, kinds), t):
            row = t.row(i)
            row[ix["contact_id"]] = ""
            t.add("null_contact_id", i, [row])
        # valid rows whose agent is missing from the roster (the roster lags)
        for k, i in enumerate(self.pick(answered, self.count(t, kinds), t)):
            row = new_id(t.row(i))
            row[ix["agent_id"]] = f"A9{k % 100:02d}"
            row[ix["customer_id"]] = row[ix["case_id"]] = ""
            t.add("valid:agent_not_in_roster", i, [row])
        # re-sends: an earlier export of the same contact, before ACW and the
        # disposition were complete; the latest export is the true row
        for i in self.pick(answered, self.count(t, kinds, 3.0), t):
            row = t.row(i)
            acw_so_far = int(c["acw"][i]) // 2
            row[ix["exported_at"]] = self.ts(int(c["ended"][i]) + acw_so_far + 1)
            row[ix["acw_seconds"]] = str(acw_so_far)
            row[ix["agent_resolved"]] = ""
            t.add("duplicate:superseded_earlier_export", i, [row], before=bool(i % 2))
        for i in self.pick(anything, self.count(t, kinds), t):
            t.add("duplicate:identical_resend", i, [t.row(i)])
        # tied re-sends that differ: the contract rejects both rows
        tie_mask = answered & ~surveyed & (c["customer"] < 0)
        for i in self.pick(tie_mask, self.count(t, kinds), t):
            self.conflicted[i] = True
            row = t.row(i)
            code = 1 if off(i) == 0 else 0  # same instant, other offset
            row[ix["exported_at"]] = fmt_one(int(c["exported"][i]), code)
            row[ix["acw_seconds"]] = str(int(c["acw"][i]) + 30)
            t.add("duplicate:conflicting_tie", i, [row])

    def surveys(self) -> None:
        t, c, v = self.t["raw_surveys"], self.w.c, self.w.surveys
        ix = {name: t.col(name) for name in t.columns}
        free = (
            (c["outcome"] == ANSWERED)
            & (c["direction"] == INBOUND)
            & ~self.surveyed
            & ~self.conflicted
        )
        next_id = iter(range(t.n, 10**9))
        kinds = 11

        def response(i: int, **values: str) -> Row:
            row = [
                f"SV{next(next_id) + 1:08d}",
                f"CT{i + 1:08d}",
                self.ts(int(c["ended"][i]) + int(self.rng.integers(60, 7200))),
                "4",
                "8",
                "5",
                "4",
                "true",
                "",
            ]
            for name, value in values.items():
                row[ix[name]] = value
            return row

        def at(i: int) -> int:
            return min(t.n - 1, int(np.searchsorted(v["responded"], c["ended"][i])))

        cases: list[tuple[str, dict[str, str]]] = [
            ("csat_out_of_range", {"csat": "6"}),
            ("nps_out_of_range", {"nps": "11"}),
            ("ces_out_of_range", {"ces": "0"}),
            ("support_quality_out_of_range", {"support_quality": "9"}),
            ("invalid_csat", {"csat": "five"}),
        ]
        for kind, values in cases:
            for i in self.pick(free, self.count(t, kinds)):
                free[i] = False
                t.add(kind, at(i), [response(i, **values)])
        for k, i in enumerate(self.pick(free, self.count(t, kinds))):
            row = response(i, contact_id=f"CT{99_000_001 + k:08d}")
            t.add("unknown_contact", at(i), [row])
        ids = self.rejected_contact_ids
        for k, i in enumerate(self.pick(free, min(len(ids), self.count(t, kinds)))):
            row = response(i, contact_id=ids[(k * 7) % len(ids)])
            t.add("survey_on_rejected_contact", at(i), [row])
        for i in self.pick(free, self.count(t, kinds)):
            free[i] = False
            before = self.ts(int(c["ended"][i]) - 600)
            t.add(
                "responded_before_contact_end",
                at(i),
                [response(i, responded_at=before)],
            )
        for i in self.pick(free, self.count(t, kinds)):
            free[i] = False
            row = response(i)
            row[ix["responded_at"]] = row[ix["responded_at"]][:19]
            t.add("timestamp_without_offset", at(i), [row])
        for i in self.pick(free, self.count(t, kinds)):
            free[i] = False
            first = response(i)
            second = list(first)
            second[ix["csat"]], second[ix["nps"]] = "2", "3"
            t.add("duplicate_survey_id", at(i), [first, second])

    def cases(self) -> None:
        t, w = self.t["raw_cases"], self.w
        ix = {name: t.col(name) for name in t.columns}
        next_id = iter(range(t.n, 10**9))
        kinds = 5

        def case(i: int) -> Row:
            opened = int(w.cases["opened"][i]) + int(self.rng.integers(60, 3600))
            return [
                f"CS{next(next_id) + 1:07d}",
                f"CU{int(self.rng.integers(w.customers.n)) + 1:06d}",
                self.ts(opened),
                self.ts(opened + int(self.rng.integers(HOUR, 3 * DAY))),
                str(w.cases["category"][i]),
                CHANNELS[int(self.rng.integers(3))],
            ]

        everything = np.ones(t.n, dtype=bool)
        for i in self.pick(everything, self.count(t, kinds)):
            row = case(i)
            opened = row[ix["opened_at"]]
            row[ix["opened_at"]], row[ix["resolved_at"]] = (
                row[ix["resolved_at"]],
                opened,
            )
            t.add("resolved_before_opened", i, [row])
        for i in self.pick(everything, self.count(t, kinds)):
            row = case(i)
            row[ix["origin_channel"]] = "carrier pigeon"
            t.add("invalid_origin_channel", i, [row])
        for i in self.pick(everything, self.count(t, kinds)):
            row = case(i)
            row[ix["opened_at"]] = row[ix["opened_at"]][:19]
            t.add("timestamp_without_offset", i, [row])
        for i in self.pick(everything, self.count(t, kinds)):
            first = case(i)
            second = list(first)
            second[ix["category"]] = (
                "how_to" if first[ix["category"]] != "how_to" else "billing"
            )
            t.add("duplicate_case_id", i, [first, second])

    def states(self) -> None:
        t, st = self.t["raw_agent_states"], self.w.states
        kinds = 4
        n_agents = len(self.w.agents)
        n = self.count(t, kinds)
        # before anybody's first shift, so that only the broken rule applies
        first = self.w.cfg.start_utc - DAY - (3 * n // n_agents + 1) * 2 * HOUR

        def lone(k: int, state: str, length: int) -> Row:
            start = first + (k // n_agents) * 2 * HOUR
            return [
                f"A{k % n_agents + 1:03d}",
                state,
                self.ts(start),
                self.ts(start + length),
            ]

        for k in range(n):
            t.add("unknown_state", 0, [lone(k, "lunch", 1800)], before=True)
        for k in range(n):
            length = 0 if k % 2 == 0 else -600
            t.add(
                "ended_not_after_started",
                0,
                [lone(n + k, "break", length)],
                before=True,
            )
        for k in range(n):
            row = lone(2 * n + k, "available", 900)
            row[2] = row[2][:19]
            t.add("timestamp_without_offset", 0, [row], before=True)
        offline = (st["state"] == OFFLINE) & (st["end"] - st["start"] > 2 * HOUR)
        for i in self.pick(offline, n):
            start = int(st["start"][i]) + 600
            row = [
                f"A{int(st['agent'][i]) + 1:03d}",
                "available",
                self.ts(start),
                self.ts(start + 1200),
            ]
            t.add("overlapping_interval", i, [row])

    def small_tables(self) -> None:
        w = self.w
        # QA evaluations
        t = self.t["raw_qa_evaluations"]
        n = self.count(t, 2)
        next_qa = iter(range(t.n, 10**9))
        for kind, score in (("score_above_100", "101.0"), ("score_negative", "-1.0")):
            for i in self.pick(np.ones(t.n, dtype=bool), n, t):
                row = t.row(i)
                row[0] = f"QA{next(next_qa) + 1:07d}"
                row[t.col("score")] = score
                t.add(kind, i, [row])
        # employee surveys
        t = self.t["raw_employee_surveys"]
        next_es = iter(range(t.n, 10**9))
        for i in self.pick(np.ones(t.n, dtype=bool), self.count(t, 1), t):
            row = t.row(i)
            row[0] = f"ES{next(next_es) + 1:06d}"
            row[t.col("esat")] = "6" if i % 2 == 0 else "0"
            t.add("esat_out_of_range", i, [row])
        # agents that left before they were hired
        t = self.t["raw_agents"]
        for k in range(3):
            row = [
                f"A{t.n + 81 + k:03d}",
                f"Temp Agent {k + 1}",
                TEAMS[k % 3],
                SITES[0],
                "2025-03-01",
                "2024-12-31",
                "70.00",
                "CNY",
            ]
            t.add("left_before_hired", -1, [row])
        # costs
        t = self.t["raw_costs"]
        months = sorted({r[0] for r in w.costs})
        faults = (
            ("unknown_cost_center", ("marketing", "technology", "1500.00", "CNY")),
            ("invalid_category", ("shared", "travel", "800.00", "CNY")),
            ("malformed_month", ("billing", "telecom", "321.50", "CNY")),
            ("currency_without_fx_rate", ("shared", "technology", "99.00", "GBP")),
        )
        for kind, (center, category, amount, currency) in faults:
            for k in range(3):
                month = months[k % len(months)]
                if kind == "malformed_month":
                    month = month.replace("-", "/")
                t.add(kind, -1, [[month, center, category, amount, currency]])
        # revenue
        t = self.t["raw_revenue"]
        for i in self.pick(w.customers.rev_cents > 0, self.count(t, 1, 0.1), t):
            row = t.row(i)
            row[2] = f"-{row[2]}"
            t.add("negative_amount", i, [row])


# --- writing ------------------------------------------------------------------


def write_csv(table: Table, path: Path) -> int:
    n = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(table.columns)
        for rows in table.blocks():
            writer.writerows(rows)
            n += len(rows)
    return n


def csv_to_parquet(csv_path: Path, parquet_path: Path, columns: list[str]) -> None:
    import duckdb

    types = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
    con = duckdb.connect()
    try:
        con.execute(
            f"""
            copy (
                select * from read_csv(
                    '{csv_path}', header = true, delim = ',', quote = '"',
                    escape = '"', auto_detect = false, columns = {{{types}}}
                )
            ) to '{parquet_path}' (format parquet)
            """
        )
    finally:
        con.close()


def build_tables(w: World) -> dict[str, Table]:
    seeds = np.random.SeedSequence([w.cfg.seed, 1]).spawn(2)
    noise = Noise(np.random.default_rng(seeds[0]), w.cfg.fault_rate)
    rng = np.random.default_rng(seeds[1])
    tables = [
        contacts_table(w, noise, rng),
        cases_table(w, noise),
        surveys_table(w, noise),
        agents_table(w),
        states_table(w, noise),
        qa_table(w, noise),
        esat_table(w),
        costs_table(w, noise),
        revenue_table(w),
        fx_table(w),
    ]
    by_name = {t.name: t for t in tables}
    Injector(w, by_name, rng).run()
    return by_name


def write_tables(
    tables: dict[str, Table],
    out: Path,
    fmt: str,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, table in tables.items():
        log(f"writing {name} ({table.total:,} rows)")
        csv_path = out / f"{name}.csv"
        if fmt == "parquet":
            tmp = out / f".{name}.tmp.csv"
            counts[name] = write_csv(table, tmp)
            csv_to_parquet(tmp, out / f"{name}.parquet", table.columns)
            tmp.unlink()
        else:
            counts[name] = write_csv(table, csv_path)
    return counts


# --- summary statistics ---------------------------------------------------------


def kpi_summary(w: World) -> dict[str, float]:
    """Headline KPIs of the clean simulated contacts (for the report)."""
    c = w.c
    inbound = c["direction"] == INBOUND
    voice = inbound & (c["channel"] == VOICE)
    answered = c["outcome"] == ANSWERED
    abandoned = c["outcome"] == ABANDONED
    queued = voice & (answered | abandoned) & (c["queued"] != NULL)
    wait = np.where(answered, c["answered"], c["ended"]) - c["queued"]
    short = abandoned & (wait < 5)
    offered = queued & ~short
    out = {
        "contacts": float(len(c["arrived"])),
        "voice_offered": float(offered.sum()),
        "voice_service_level_20s": float((offered & answered & (wait <= 20)).sum())
        / max(1, offered.sum()),
        "voice_abandon_rate": float((offered & abandoned).sum())
        / max(1, offered.sum()),
        "voice_lost_share_of_queued": float((queued & abandoned).sum())
        / max(1, queued.sum()),
        "voice_blocked_share": float((voice & (c["outcome"] == BLOCKED)).sum())
        / max(1, voice.sum()),
        "self_served_share": float((c["outcome"] == SELF_SERVED).sum()) / len(wait),
        "outbound_share": float((~inbound).sum()) / len(wait),
        "transfer_rate": float((inbound & answered & (c["xfer"] >= 0)).sum())
        / max(1, (inbound & answered).sum()),
    }
    # repeat contacts and operational FCR, as kpis.md defines them
    known = np.flatnonzero(inbound & (c["customer"] >= 0))
    order = known[np.lexsort((c["arrived"][known], c["customer"][known]))]
    cust, arr, end = c["customer"][order], c["arrived"][order], c["ended"][order]
    big = np.int64(1) << 33
    prev_end = np.maximum.accumulate(cust * big + end) - cust * big
    prev_end = np.r_[NULL, prev_end[:-1]]
    same = np.r_[False, cust[1:] == cust[:-1]]
    repeat = same & (prev_end < arr) & (arr - prev_end <= 7 * DAY)
    out["repeat_share"] = float(repeat.mean()) if len(repeat) else 0.0
    key = cust * big + arr
    handled = c["outcome"][order] == ANSWERED
    nxt = np.searchsorted(key, cust * big + end, side="right")
    nxt_key = np.r_[key, np.int64(2**62)][nxt]
    has_repeat = nxt_key <= cust * big + end + 7 * DAY
    pending = end + 7 * DAY > c["arrived"].max()
    base = handled & ~pending
    out["operational_fcr"] = float((base & ~has_repeat).sum()) / max(1, base.sum())
    resolved = w.cases["resolved"] != NULL
    out["cases_resolved_share"] = float(resolved.mean())
    return out


# --- entry point -----------------------------------------------------------------


@dataclass
class Result:
    counts: dict[str, int]
    faults: dict[str, dict[str, int]]
    summary: dict[str, float]
    seconds: float


def generate(cfg: Config, log: Callable[[str], None] = lambda _: None) -> Result:
    started = time.perf_counter()

    def step(msg: str) -> None:
        log(f"[{time.perf_counter() - started:6.1f} s] {msg}")

    world = simulate(cfg, step)
    step("formatting rows and injecting faults")
    tables = build_tables(world)
    counts = write_tables(tables, cfg.out, cfg.fmt, step)
    faults = {name: dict(t.faults) for name, t in tables.items()}
    return Result(counts, faults, kpi_summary(world), time.perf_counter() - started)


# --- large data sets: one site per part -------------------------------------------

# The id columns of each extract that --parts prefixes with the part's site,
# so that the sites' contacts, customers and agents never collide while every
# reference between extracts still holds.
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "raw_contacts": ("contact_id", "customer_id", "case_id", "agent_id"),
    "raw_cases": ("case_id", "customer_id"),
    "raw_surveys": ("survey_id", "contact_id"),
    "raw_agents": ("agent_id",),
    "raw_agent_states": ("agent_id",),
    "raw_qa_evaluations": ("evaluation_id", "contact_id", "agent_id"),
    "raw_employee_surveys": ("response_id", "agent_id"),
    "raw_revenue": ("customer_id",),
}
# A reference table keyed by month and currency: one copy, from part 0.
SHARED_TABLES = ("fx_rates",)


def part_path(out: Path, name: str, part: int, fmt: str) -> Path:
    return out / name / f"part-{part:03d}.{fmt}"


def site_prefix(part: int) -> str:
    return f"S{part + 1:02d}-"


def generate_part(cfg: Config, part: int) -> Result:
    """Simulate part `part` of cfg.parts as a site of its own and write it.

    A site has its own seed, agents and customers and 1/parts of the volume;
    its files are <out>/<extract>/part-NNN.<fmt>, ids prefixed by the site.
    """
    import duckdb

    scratch = cfg.out / f".part-{part:03d}"
    site = replace(
        cfg,
        seed=cfg.seed + part,
        daily_volume=cfg.daily_volume / cfg.parts,
        agents=None if cfg.agents is None else max(6, cfg.agents // cfg.parts),
        fmt="parquet",
        out=scratch,
        parts=1,
        workers=1,
    )
    result = generate(site)
    prefix = site_prefix(part)
    con = duckdb.connect()
    try:
        for name, columns in COLUMNS.items():
            if name in SHARED_TABLES and part > 0:
                result.counts[name] = 0
                continue
            ids = ID_COLUMNS.get(name, ())
            select = ", ".join(
                f"case when trim({c}) = '' then {c} else '{prefix}' || trim({c}) end"
                f" as {c}"
                if c in ids
                else c
                for c in columns
            )
            options = "format parquet" if cfg.fmt == "parquet" else "format csv"
            con.execute(
                f"copy (select {select} from read_parquet('{scratch / name}.parquet')) "
                f"to '{part_path(cfg.out, name, part, cfg.fmt)}' ({options})"
            )
    finally:
        con.close()
        shutil.rmtree(scratch)
    return result


def generate_parts(cfg: Config, log: Callable[[str], None] = lambda _: None) -> Result:
    """cfg.parts sites in cfg.workers processes: memory stays that of one site."""
    started = time.perf_counter()
    for name in COLUMNS:
        folder = cfg.out / name
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("part-*"):
            stale.unlink()
    counts: dict[str, int] = dict.fromkeys(COLUMNS, 0)
    faults: dict[str, dict[str, int]] = {name: {} for name in COLUMNS}
    summary: dict[str, float] = {}
    with ProcessPoolExecutor(max_workers=cfg.workers) as pool:
        futures = [pool.submit(generate_part, cfg, part) for part in range(cfg.parts)]
        for part, future in enumerate(futures):
            result = future.result()
            log(f"part {part + 1}/{cfg.parts} written ({result.seconds:.1f} s)")
            summary = summary or result.summary
            for name, n in result.counts.items():
                counts[name] += n
                for kind, k in result.faults[name].items():
                    faults[name][kind] = faults[name].get(kind, 0) + k
    return Result(counts, faults, summary, time.perf_counter() - started)


def parse_args(argv: list[str] | None = None) -> tuple[Config, bool]:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--days", type=int, default=DEFAULT_DAYS, help="days simulated")
    p.add_argument(
        "--start-date",
        type=dt.date.fromisoformat,
        default=DEFAULT_START,
        help="first local date (default %(default)s, a Monday)",
    )
    p.add_argument(
        "--agents",
        type=int,
        default=None,
        help="agents on the roster (default: scaled with --daily-volume, 24)",
    )
    p.add_argument(
        "--daily-volume",
        type=float,
        default=DEFAULT_DAILY_VOLUME,
        help="new inbound contacts per average day, before repeats",
    )
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--format", dest="fmt", choices=("csv", "parquet"), default="csv")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    p.add_argument(
        "--fault-rate",
        type=float,
        default=DEFAULT_FAULT_RATE,
        help="share of injected faulty rows per extract (0 = clean data)",
    )
    p.add_argument(
        "--parts",
        type=int,
        default=1,
        help="simulate this many sites of the center (same queues, own agents "
        "and customers, the volume split between them) and write "
        "OUT/<extract>/part-NNN files: memory stays that of one site",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes simulating parts at once (default: one per core)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list faults and KPIs")
    args = p.parse_args(argv)
    if args.parts < 1 or args.workers < 1:
        p.error("--parts and --workers must be at least 1")
    if args.days < 1 or args.daily_volume <= 0 or not 0 <= args.fault_rate < 0.5:
        p.error("--days and --daily-volume must be positive, --fault-rate in [0, 0.5)")
    if args.agents is not None and args.agents < 6:
        p.error("--agents must be at least 6 (two per queue)")
    cfg = Config(
        days=args.days,
        start_date=args.start_date,
        agents=args.agents,
        daily_volume=args.daily_volume,
        seed=args.seed,
        fmt=args.fmt,
        out=args.out,
        fault_rate=args.fault_rate,
        parts=args.parts,
        workers=min(args.workers, args.parts),
    )
    return cfg, args.verbose


def main(argv: list[str] | None = None) -> int:
    cfg, verbose = parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr)

    try:
        result = generate_parts(cfg, log) if cfg.parts > 1 else generate(cfg, log)
    except Exception as exc:  # one line, non-zero exit
        print(f"generate_extracts: error: {exc}", file=sys.stderr)
        return 1
    for name, n in result.counts.items():
        injected = sum(
            v
            for k, v in result.faults[name].items()
            if ":" not in k or k.startswith("duplicate:") or k.startswith("valid:")
        )
        where = cfg.out / name / "part-*" if cfg.parts > 1 else cfg.out / name
        print(f"{where}.{cfg.fmt}: {n:,} rows ({injected:,} injected)")
    if verbose:
        for name, kinds in result.faults.items():
            for kind, count in kinds.items():
                print(f"  {name} {kind}: {count}")
        for key, value in result.summary.items():
            print(f"  kpi {key}: {value:.4f}")
    print(f"done in {result.seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
