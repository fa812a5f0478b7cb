"""Investment files: every problem reported at once with file, line and field; round trip."""

from __future__ import annotations

import textwrap

import pytest

from jamlik.errors import ValidationError
from jamlik.invest.demo import INVESTMENTS_FILE
from jamlik.invest.yamlio import dump_investments, load_investments

GOOD = textwrap.dedent(
    """\
    investments:
      - initiative: ini-1
        price_year: 2023
        horizon: 10
        costs:
          - {year: 2023, payer: region, amount: 100000}
        logic_model:
          short_term:
            - {id: s1, text: Fler behöriga, leads_to: [l1]}
          long_term:
            - {id: l1, text: Färre unga i utanförskap}
        evaluation:
          design: did
          indicator: ind-1
          treated: [area-1]
          comparison: [area-2, area-3]
          start: "2023"
        outcomes:
          - id: o1
            title: Fler behöriga
            logic: s1
            unit_value: long-term-exclusion
            quantity: {dist: triangular, low: 1, mode: 2, high: 4}
            years: [2024]
            deadweight: 0.2
    """
)


def write(tmp_path, text: str):
    path = tmp_path / "investments.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path, text: str):
    with pytest.raises(ValidationError) as err:
        load_investments(write(tmp_path, text))
    return err.value.problems


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_good_file_loads(tmp_path) -> None:
    (inv,) = load_investments(write(tmp_path, GOOD))
    assert inv.initiative == "ini-1" and inv.outcomes[0].quantity.mean() == pytest.approx(7 / 3)


def test_unknown_key_names_file_line_field_and_the_allowed_keys(tmp_path) -> None:
    text = GOOD.replace("    horizon: 10\n", "    horizon: 10\n    horizn: 12\n")
    (p,) = problems(tmp_path, text)
    assert p.source.endswith("investments.yaml")
    assert p.line == line_of(text, "horizn")
    assert p.field == "investments[0].horizn"
    assert "unknown key" in p.message and "horizon" in p.message


def test_missing_field_points_at_its_record(tmp_path) -> None:
    text = GOOD.replace("        unit_value: long-term-exclusion\n", "")
    (p,) = problems(tmp_path, text)
    assert p.field == "investments[0].outcomes[0].unit_value"
    assert p.line == line_of(text, "- id: o1")
    assert "required field is missing" in p.message


def test_bad_distributions(tmp_path) -> None:
    text = GOOD.replace(
        "{dist: triangular, low: 1, mode: 2, high: 4}", "{dist: triangle, low: 1, high: 4}"
    )
    (p,) = problems(tmp_path, text)
    assert p.field == "investments[0].outcomes[0].quantity.dist"
    assert "fixed, normal, lognormal, triangular, uniform, beta, pert" in p.message
    text = GOOD.replace(
        "{dist: triangular, low: 1, mode: 2, high: 4}",
        "{dist: triangular, low: 4, mode: 2, high: 1}",
    )
    (p,) = problems(tmp_path, text)
    assert p.field == "investments[0].outcomes[0].quantity" and "low <= mode <= high" in p.message
    text = GOOD.replace(
        "{dist: triangular, low: 1, mode: 2, high: 4}", "{dist: uniform, low: 1, hgh: 4}"
    )
    found = {
        (p.field, "allowed: dist, low, high" in p.message or "missing" in p.message)
        for p in problems(tmp_path, text)
    }
    assert ("investments[0].outcomes[0].quantity.hgh", True) in found
    assert ("investments[0].outcomes[0].quantity.high", True) in found


def test_rates_must_be_shares(tmp_path) -> None:
    text = GOOD.replace("deadweight: 0.2", "deadweight: {dist: normal, mean: 0.2, sd: 0.1}")
    (p,) = problems(tmp_path, text)
    assert p.field == "investments[0].outcomes[0].deadweight"
    assert "share between 0 and 1" in p.message and "beta, pert" in p.message
    assert p.line == line_of(text, "deadweight:")


def test_all_problems_at_once_in_line_order(tmp_path) -> None:
    text = (
        GOOD.replace("leads_to: [l1]", "leads_to: [l9]")
        .replace("unit_value: long-term-exclusion", "unit_value: no-such-value")
        .replace("years: [2024]", "years: [2040]")
        .replace("comparison: [area-2, area-3]", "comparison: [area-1]")
    )
    found = problems(tmp_path, text)
    fields = [p.field for p in found]
    assert fields == [
        "investments[0].logic_model.short_term[0].leads_to[0]",
        "investments[0].evaluation.comparison",
        "investments[0].outcomes[0].unit_value",
        "investments[0].outcomes[0].years[0]",
    ]
    assert [p.line for p in found] == sorted(p.line for p in found)
    assert "outside the horizon 2023–2032" in found[3].message


def test_not_yaml_and_not_a_mapping(tmp_path) -> None:
    (p,) = problems(tmp_path, "investments:\n  - initiative: [unclosed\n")
    assert "not valid YAML" in p.message and p.line is not None
    (p,) = problems(tmp_path, "- just a list\n")
    assert "investments" in p.message


def test_round_trip_keeps_everything(tmp_path) -> None:
    investments = load_investments(INVESTMENTS_FILE)
    again = load_investments(write(tmp_path, dump_investments(investments)))
    assert again == investments
