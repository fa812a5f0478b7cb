"""One suppression policy per workspace: stored, shown, raised, used by the export."""

from __future__ import annotations

import pandas as pd
import pytest
from data_helpers import run_cli

from jamlik.data.policy import SuppressionPolicy, read_policy, write_policy
from jamlik.errors import JamlikError


def test_a_new_workspace_has_the_default_policy(loaded):
    assert read_policy(loaded) == SuppressionPolicy()
    assert SuppressionPolicy().min_population == 10


def test_the_policy_is_set_from_the_command_line_and_kept(loaded):
    result = run_cli("privacy", "policy", "-w", str(loaded.path), "--min-population", "500",
                     "--populations", "hidden")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "min_population: 500" in result.stdout
        and "Befolkningen i dolda celler döljs" in result.stdout
    )
    assert read_policy(loaded) == SuppressionPolicy(min_population=500, hidden_populations="hidden")
    shown = run_cli("privacy", "policy", "-w", str(loaded.path))
    assert "min_population: 500" in shown.stdout


def test_the_export_uses_the_workspaces_policy(loaded, tmp_path):
    write_policy(loaded, SuppressionPolicy(min_population=500, hidden_populations="hidden"))
    out = tmp_path / "obs.csv"
    result = run_cli("export", "observations", "--out", str(out), "--workspace", str(loaded.path))
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, keep_default_na=False, na_values=[""])
    hidden = frame["flag"].isin(["suppressed", "suppressed_secondary"])
    # Below 500 people: norr's 120, 300 and 200 and västra's 410 and 4; 620 and 900 show.
    small = frame["population"].isna()
    assert set(frame.loc[hidden, "subgroup"]) >= {"låg", "mellan", "hög", "kvinnor", "män"}
    assert hidden.equals(small)  # hidden cells show no size under this policy
    assert frame.loc[~hidden, "estimate"].notna().all()


def test_thresholds_may_be_raised_but_not_lowered(loaded):
    with pytest.raises(JamlikError, match="inte sänkas"):
        write_policy(loaded, SuppressionPolicy(min_population=5))
    result = run_cli("privacy", "policy", "-w", str(loaded.path), "--min-numerator", "2")
    assert result.exit_code == 1 and read_policy(loaded).min_numerator == 3
    result = run_cli("privacy", "policy", "-w", str(loaded.path), "--populations", "fuzzy")
    assert result.exit_code == 1 and "--populations" in str(result.exception)
    assert SuppressionPolicy().at_least(15).min_population == 15
    assert SuppressionPolicy(min_population=20).at_least(15).min_population == 20


def test_privacy_check_on_a_small_workspace(loaded):
    result = run_cli("privacy", "check", "-w", str(loaded.path), "--stats")
    assert result.exit_code == 0, result.output
    assert "0 kan räknas fram" in result.stdout
    assert "primary: 1 (14.3 %); skyddande / secondary: 1 (14.3 %)" in result.stdout
