"""The YAML `constraints` of a model hold only through its constraints_hold
test (tests/generic/test_constraints_hold.sql): dbt does not enforce them
without a model contract. A model that declares constraints without the
test would have them silently unchecked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

MODELS = Path(__file__).resolve().parents[2] / "models"


def declared_models() -> list[dict]:
    return [
        model
        for path in sorted(MODELS.rglob("*.yml"))
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", [])
    ]


def has_constraints(model: dict) -> bool:
    columns = model.get("columns") or []
    return bool(model.get("constraints")) or any(c.get("constraints") for c in columns)


def test_the_models_declare_constraints() -> None:
    assert sum(map(has_constraints, declared_models())) > 50


@pytest.mark.parametrize(
    "model",
    [m for m in declared_models() if has_constraints(m)],
    ids=lambda m: m["name"],
)
def test_constraints_are_checked(model: dict) -> None:
    tests = [
        t if isinstance(t, str) else next(iter(t))
        for t in model.get("data_tests") or []
    ]
    assert "constraints_hold" in tests
