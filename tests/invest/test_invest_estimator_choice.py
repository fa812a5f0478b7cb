"""The evaluation chooses the estimator: synthetic DiD and synthetic control with predictors
run from a workspace, and the result says which estimator it used and what it assumes."""

from __future__ import annotations

from jamlik.invest.calc import calculate_in_workspace
from jamlik.invest.demo import INVESTMENTS_FILE
from jamlik.invest.store import import_investments
from jamlik.invest.yamlio import load_investments

BORAS = "vgrsi-parenting-support-boras"


def _with_evaluation(tmp_path, old: str, new: str):
    text = INVESTMENTS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "investments.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_sdid_runs_from_the_evaluation_and_says_why(workspace, tmp_path) -> None:
    path = _with_evaluation(tmp_path, "design: synthetic_control", "design: sdid")
    assert any(i.evaluation and i.evaluation.design == "sdid" for i in load_investments(path))
    import_investments(workspace, path)
    effect = calculate_in_workspace(workspace, BORAS, draws=300).effect
    assert effect.design == "sdid" and effect.inference == "placebo_variance"
    assert effect.estimate is not None and effect.ci_lb < effect.estimate < effect.ci_ub
    assert any("synthetic difference-in-differences" in n for n in effect.notes)
    assert "synthetic difference-in-differences" in effect.method


def test_synthetic_control_with_predictors_from_the_evaluation(workspace, tmp_path) -> None:
    path = _with_evaluation(
        tmp_path,
        "design: synthetic_control",
        'design: synthetic_control\n      predictor_periods: ["2015", "2020"]\n'
        "      covariates: [vgrsi-eligible-upper-secondary]",
    )
    import_investments(workspace, path)
    effect = calculate_in_workspace(workspace, BORAS, draws=300).effect
    assert effect.design == "synthetic_control"
    assert "vgrsi-eligible-upper-secondary" in effect.method and "outcome 2015" in effect.method
    assert any("synthetic control" in n for n in effect.notes)
