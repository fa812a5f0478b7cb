"""Broken inputs: each gets its own message naming file, row/line, column/field and reason,
a non-zero exit from `jamlik import`, and leaves the workspace exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from data_helpers import DEFINITIONS, HEADER, ROWS, csv_text, fingerprint, run_cli

from jamlik.data import import_file
from jamlik.errors import ValidationError

HEAT_HEADER = (
    "setting,date,source,indicator_abbr,indicator_name,dimension,subgroup,estimate,se,"
    "population,favourable_indicator,indicator_scale,ordered_dimension,subgroup_order,"
    "reference_subgroup"
)


def _rows(*changes: tuple[int, int, str]) -> str:
    """ROWS as CSV with cells replaced: (data row index, column index, new text)."""
    rows = [list(r) for r in ROWS]
    for i, j, value in changes:
        rows[i][j] = value
    return csv_text([tuple(r) for r in rows])


def _yaml(old: str, new: str) -> str:
    assert old in DEFINITIONS
    return DEFINITIONS.replace(old, new, 1)


def _suppressed_with_estimate() -> str:
    """Row 7 is flagged '..' (SCB's symbol for a suppressed cell) yet carries an estimate."""
    rows = [(*r, "") for r in ROWS]
    rows[5] = (*ROWS[5][:5], "3", *ROWS[5][6:], "..")
    return csv_text(rows, HEADER + ",flag")


# (case id, file name, content, expected row (CSV) or line (YAML), field, words in the reason)
CASES = [
    # --- definitions (YAML) ---
    (
        "yaml-unknown-key",
        "d.yaml",
        _yaml("    parent: exempelstad\n", "    parnet: exempelstad\n"),
        ("line", 9),
        "areas[1].parnet",
        "unknown key",
    ),
    (
        "yaml-duplicate-id",
        "d.yaml",
        _yaml("  - id: västra\n", "  - id: norr\n"),
        ("line", 10),
        "areas[2].id",
        "duplicate id 'norr'",
    ),
    (
        "yaml-unknown-parent",
        "d.yaml",
        _yaml("    parent: exempelstad\n", "    parent: söder\n"),
        ("line", 9),
        "areas[1].parent",
        "unknown area 'söder'",
    ),
    (
        "yaml-cycle",
        "d.yaml",
        _yaml("    level: municipality\n", "    level: municipality\n    parent: norr\n"),
        ("line", 5),
        "areas[0].parent",
        "cycle in the area hierarchy",
    ),
    (
        "yaml-order-gap",
        "d.yaml",
        _yaml("order: 3", "order: 4"),
        ("line", 25),
        "dimensions[1].subgroups",
        "orders must be 1..3 without gaps",
    ),
    (
        "yaml-two-references",
        "d.yaml",
        _yaml("title: Män, title_en: Men}", "title: Män, title_en: Men, reference: true}"),
        ("line", 20),
        "dimensions[0].subgroups[1].reference",
        "at most one reference subgroup",
    ),
    (
        "yaml-missing-polarity",
        "d.yaml",
        _yaml("    polarity: higher_is_worse\n", ""),
        ("line", 41),
        "indicators[1].polarity",
        "required field is missing",
    ),
    (
        "yaml-bad-polarity",
        "d.yaml",
        _yaml("polarity: higher_is_worse", "polarity: lower"),
        ("line", 44),
        "indicators[1].polarity",
        "higher_is_better",
    ),
    (
        "yaml-syntax",
        "d.yaml",
        _yaml("    title: Kön\n", "    title: [Kön\n"),
        ("line", 17),
        None,
        "flow sequence at line 16",
    ),
    (
        "yaml-duplicate-key",
        "d.yaml",
        _yaml("    title: Kön\n", "    title: Kön\n    title: K\n"),
        ("line", 17),
        None,
        "duplicate key",
    ),
    (
        "yaml-district-without-parent",
        "d.yaml",
        _yaml("    parent: exempelstad\n", ""),
        ("line", 6),
        "areas[1].parent",
        "a district needs a parent",
    ),
    (
        "yaml-target-unknown-dimension",
        "d.yaml",
        _yaml("dimension: edu}", "dimension: ålder}"),
        ("line", 40),
        "indicators[0].targets[1].dimension",
        "unknown dimension 'ålder'",
    ),
    (
        "yaml-negative-scale",
        "d.yaml",
        _yaml(
            "    scale: 100\n    polarity: higher_is_worse",
            "    scale: -100\n    polarity: higher_is_worse",
        ),
        ("line", 43),
        "indicators[1].scale",
        "greater than 0",
    ),
    # --- observations (CSV) ---
    (
        "csv-non-numeric",
        "o.csv",
        _rows((1, 5, "sjuttio")),
        ("row", 3),
        "estimate",
        "'sjuttio' är inte ett tal / is not a number",
    ),
    (
        "csv-negative-population",
        "o.csv",
        _rows((2, 7, "-200")),
        ("row", 4),
        "population",
        "must not be negative: -200",
    ),
    (
        "csv-negative-se",
        "o.csv",
        _rows((0, 6, "-2.25")),
        ("row", 2),
        "se",
        "must not be negative: -2.25",
    ),
    (
        "csv-unknown-indicator",
        "o.csv",
        _rows((3, 0, "sysselsättning")),
        ("row", 5),
        "indicator",
        "unknown indicator 'sysselsättning'",
    ),
    (
        "csv-unknown-area",
        "o.csv",
        _rows((4, 2, "östra")),
        ("row", 6),
        "area",
        "unknown area 'östra'",
    ),
    (
        "csv-unknown-subgroup",
        "o.csv",
        _rows((5, 4, "annat")),
        ("row", 7),
        "subgroup",
        "unknown subgroup 'annat' of dimension 'sex'",
    ),
    (
        "csv-unknown-dimension",
        "o.csv",
        _rows((6, 3, "ålder")),
        ("row", 8),
        "dimension",
        "unknown dimension 'ålder'",
    ),
    (
        "csv-duplicate-key",
        "o.csv",
        _rows((1, 4, "låg")),
        ("row", 3),
        "subgroup",
        "same key as row 2",
    ),
    (
        "csv-bad-period",
        "o.csv",
        _rows((6, 1, "läsåret 23")),
        ("row", 8),
        "period",
        "is not a period",
    ),
    (
        "csv-missing-column",
        "o.csv",
        csv_text([r[:5] + r[6:] for r in ROWS], HEADER.replace(",estimate", "")),
        ("row", 1),
        "estimate",
        "missing required column",
    ),
    (
        "csv-unknown-column",
        "o.csv",
        csv_text(ROWS, HEADER.replace(",se,", ",stderr,")),
        ("row", 1),
        "stderr",
        "unknown column",
    ),
    ("csv-missing-value", "o.csv", _rows((4, 2, "")), ("row", 6), "area", "value is missing"),
    (
        "csv-ci-reversed",
        "o.csv",
        csv_text(
            [(*r, "50", "40") for r in ROWS[:1]] + [(*r, "", "") for r in ROWS[1:]],
            HEADER + ",ci_lb,ci_ub",
        ),
        ("row", 2),
        "ci_lb",
        "ci_lb (50) är större än ci_ub (40)",
    ),
    (
        "csv-suppressed-with-estimate",
        "o.csv",
        _suppressed_with_estimate(),
        ("row", 7),
        "estimate",
        "a value on a suppressed cell (flag '..')",
    ),
    (
        "csv-order-gap",
        "o.csv",
        csv_text(
            [(*r, o) for r, o in zip(ROWS[:3], ("1", "2", "4"), strict=True)],
            HEADER + ",subgroup_order",
        ),
        ("row", 2),
        "subgroup_order",
        "gaps in subgroup_order",
    ),
    (
        "csv-order-disagrees",
        "o.csv",
        csv_text(
            [(*r, o) for r, o in zip(ROWS[:3], ("1", "3", "2"), strict=True)],
            HEADER + ",subgroup_order",
        ),
        ("row", 3),
        "subgroup_order",
        "disagrees with the workspace's definition: 3 här / here, 2",
    ),
    ("csv-unknown-file-type", "o.ods", "x", (None, None), None, "unknown file type '.ods'"),
    # --- HEAT Plus files (self-describing) ---
    (
        "heat-two-references",
        "h.csv",
        HEAT_HEADER + "\n"
        "Exempelstad,2022,Enkät,smoke,Rökning,Födelseland,Sverige,10,1,500,0,100,0,0,1\n"
        "Exempelstad,2022,Enkät,smoke,Rökning,Födelseland,Utrikes,14,2,200,0,100,0,0,1\n",
        ("row", 3),
        "reference_subgroup",
        "two reference subgroups in one series",
    ),
    (
        "heat-polarity-differs",
        "h.csv",
        HEAT_HEADER + "\n"
        "Exempelstad,2022,Enkät,smoke,Rökning,Kön,Kvinnor,10,1,500,0,100,0,0,1\n"
        "Exempelstad,2022,Enkät,smoke,Rökning,Kön,Män,14,2,200,1,100,0,0,0\n",
        ("row", 3),
        "favourable_indicator",
        "differs within the same indicator",
    ),
    (
        "heat-ordered-without-order",
        "h.csv",
        HEAT_HEADER + "\n"
        "Exempelstad,2022,Enkät,smoke,Rökning,Inkomst,Q1,10,1,500,0,100,1,1,0\n"
        "Exempelstad,2022,Enkät,smoke,Rökning,Inkomst,Q2,14,2,200,0,100,1,,0\n",
        ("row", 3),
        "subgroup_order",
        "ordered dimension: subgroup_order must be 1..k",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "where", "field", "reason"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_broken_input_is_refused_and_changes_nothing(loaded, tmp_path: Path, name, content, where,
                                                     field, reason):  # fmt: skip
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = fingerprint(loaded)

    with pytest.raises(ValidationError) as caught:
        import_file(loaded, path)
    matching = [p for p in caught.value.problems if reason in p.message]
    assert matching, f"no problem says {reason!r}: {caught.value}"
    problem = matching[0]
    assert problem.source == name
    kind, number = where
    assert getattr(problem, kind) == number if kind else True, str(problem)
    assert problem.field == field

    result = run_cli("import", str(path), "--workspace", str(loaded.path))
    assert result.exit_code == 1
    assert name in result.stderr and reason in result.stderr
    assert fingerprint(loaded) == before


def test_every_bad_row_is_reported_in_one_pass(loaded, tmp_path: Path):
    path = tmp_path / "many.csv"
    path.write_text(_rows((0, 5, "x1"), (2, 7, "-1"), (4, 2, "östra"), (6, 1, "20233")))
    with pytest.raises(ValidationError) as caught:
        import_file(loaded, path)
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {(2, "estimate"), (4, "population"), (6, "area"), (8, "period")}


def test_cli_states_the_row_convention(loaded, tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text(_rows((0, 5, "x1")))
    result = run_cli("import", str(path), "--workspace", str(loaded.path))
    assert "bad.csv, row 2, 'estimate'" in result.stderr
    assert "the header is row 1" in result.stderr


def test_bad_xlsx_row_is_named_as_excel_shows_it(loaded, tmp_path: Path):
    frame = pd.DataFrame([r for r in ROWS], columns=HEADER.split(","))
    frame["estimate"] = pd.to_numeric(frame["estimate"]).astype(object)
    frame.loc[3, "estimate"] = "n/a!"  # the fourth data row sits on Excel row 5
    path = tmp_path / "bad.xlsx"
    frame.to_excel(path, index=False)
    before = fingerprint(loaded)
    result = run_cli("import", str(path), "--workspace", str(loaded.path))
    assert result.exit_code == 1
    assert "bad.xlsx, row 5, 'estimate': 'n/a!' är inte ett tal" in result.stderr
    assert fingerprint(loaded) == before


def test_a_bad_definition_among_good_ones_writes_none_of_them(defined, tmp_path: Path):
    path = tmp_path / "more.yaml"
    path.write_text(
        "areas:\n"
        "  - {id: söder, name: Söder, level: district, parent: exempelstad}\n"
        "  - {id: söder-1, name: Söder 1, level: subarea, parent: saknas}\n"
    )
    before = fingerprint(defined)
    result = run_cli("import", str(path), "--workspace", str(defined.path))
    assert result.exit_code == 1
    assert "more.yaml, line 3, 'areas[1].parent'" in result.stderr
    assert fingerprint(defined) == before
