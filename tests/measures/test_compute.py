"""compute() as a whole: table kinds, series keys, output shape, notes, malformed input."""

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from measures_helpers import series, value

from jamlik.measures import MeasureInputError, catalogue, compute, entry

WHO_CODES = [
    "D",
    "R",
    "ACI",
    "RCI",
    "SII",
    "RII",
    "PAR",
    "PAF",
    "BGV",
    "BGSD",
    "COV",
    "MDMU",
    "MDMW",
    "MDBU",
    "MDBW",
    "MDRU",
    "MDRW",
    "IDISU",
    "IDISW",
    "TI",
    "MLD",
]


def mixed_table() -> pd.DataFrame:
    return pd.concat(
        [
            series([60, 70, 90], order=[1, 2, 3], name="ordered"),
            series([10, 20, 40, 25], ref=[0, 1, 0, 0], name="regions"),
            series([48, 52], name="sex"),
        ]
    )


def test_pandas_polars_and_pyarrow_in_give_the_same_kind_and_numbers_out():
    frame = mixed_table()
    expected = compute(frame, draws=50)
    for converted, kind in (
        (pl.from_pandas(frame), pl.DataFrame),
        (pa.Table.from_pandas(frame), pa.Table),
    ):
        out = compute(converted, draws=50)
        assert isinstance(out, kind)
        back = out.to_pandas()
        # measure and note are categoricals; the kinds differ in how they carry categories
        for col in ("measure", "note"):
            back[col] = back[col].astype(str)
        plain = expected.astype({"measure": str, "note": str})
        pd.testing.assert_frame_equal(back, plain, check_dtype=False)


def test_measures_none_gives_the_measures_that_fit_each_series():
    out = compute(mixed_table(), draws=0)
    codes = {name: set(g["measure"]) for name, g in out.groupby("indicator")}
    assert {"D", "R", "ACI", "RCI", "SII", "RII", "SII_LIN", "RII_LIN", "PAR", "PAF"} <= codes[
        "ordered"
    ]
    assert not codes["ordered"] & {"BGV", "TI", "MDMU"}
    assert set(WHO_CODES) - {"ACI", "RCI", "SII", "RII"} <= codes["regions"]
    # a binary dimension: only the simple and impact measures, no "needs 3 subgroups" rows
    assert {"D", "R", "PAR", "PAF"} <= codes["sex"]
    assert not codes["sex"] & {"BGV", "TI", "MDMU", "ACI"}


def test_output_columns_order_and_several_confidence_levels():
    out = compute(
        series([60, 70, 90], order=[1, 2, 3]), measures=["SII", "D"], conf_level=(0.95, 0.998)
    )
    assert list(out.columns) == [
        "indicator",
        "measure",
        "conf_level",
        "estimate",
        "se",
        "ci_lb",
        "ci_ub",
        "note",
    ]
    assert list(out["measure"]) == ["D", "D", "SII", "SII"]  # catalogue order, then level
    assert list(out["conf_level"]) == [0.95, 0.998, 0.95, 0.998]
    d = out[out.measure == "D"]
    assert d["estimate"].nunique() == 1
    assert d["ci_lb"].iloc[1] < d["ci_lb"].iloc[0] < d["ci_ub"].iloc[0] < d["ci_ub"].iloc[1]


def test_explicit_by_columns_split_series():
    a = series([1.0, 2.0, 3.0], name="x").assign(area="north")
    b = series([1.0, 5.0, 9.0], name="x").assign(area="south")
    out = compute(pd.concat([a, b]), measures=["D"], by=["indicator", "area"])
    assert list(out["area"]) == ["north", "south"]
    assert list(out["estimate"]) == [2.0, 8.0]
    # without `area` in by, the six rows form one series
    assert compute(pd.concat([a, b]), measures=["D"], by="indicator")["estimate"].tolist() == [8.0]


def test_missing_drop_computes_from_the_rest_and_says_so():
    frame = series([10.0, np.nan, 30.0, 40.0])
    noted = compute(frame, measures=["D"])
    assert np.isnan(value(noted, "D"))
    dropped = compute(frame, measures=["D"], missing="drop")
    assert value(dropped, "D") == 30
    assert value(dropped, "D", "note") == "computed without 1 subgroup(s) that have no estimate"


def test_simulation_is_reproducible_and_independent_of_the_rest_of_the_table():
    alone = compute(series([10, 20, 40], se=[1, 2, 3], name="a"), measures=["MDMU"], seed=3)
    together = compute(
        pd.concat([series([5, 6, 9], name="z"), series([10, 20, 40], se=[1, 2, 3], name="a")]),
        measures=["MDMU"],
        seed=3,
    )
    # the same draws; only the order of floating-point sums may differ in the last digit
    assert value(alone, "MDMU", "se", name="a") == pytest.approx(
        value(together, "MDMU", "se", name="a"), rel=1e-13
    )
    other_seed = compute(series([10, 20, 40], se=[1, 2, 3], name="a"), measures=["MDMU"], seed=4)
    assert value(other_seed, "MDMU", "se", name="a") != value(alone, "MDMU", "se", name="a")


def test_inconsistent_series_metadata_is_a_note():
    frame = series([10.0, 20.0, 40.0])
    frame.loc[1, "favourable_indicator"] = 0
    out = compute(frame, measures=["D"])
    assert "differs between subgroups" in value(out, "D", "note")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns=["estimate", "ordered_dimension"]), "missing column 'estimate'"),
        (lambda f: f.assign(estimate=["1", "x", "3"]), "'estimate' must hold numbers"),
        (lambda f: f.assign(reference_subgroup=[0, 2, 0]), "'reference_subgroup' must be 0 or 1"),
    ],
)
def test_malformed_input_raises_one_error_naming_the_column(change, message):
    with pytest.raises(MeasureInputError, match=message) as info:
        compute(change(series([1.0, 2.0, 3.0])))
    assert isinstance(info.value, ValueError)


def test_both_missing_columns_are_reported_at_once():
    with pytest.raises(MeasureInputError) as info:
        compute(series([1.0, 2.0, 3.0]).drop(columns=["estimate", "ordered_dimension"]))
    assert "'estimate'" in str(info.value) and "'ordered_dimension'" in str(info.value)


@pytest.mark.parametrize(
    "kwargs", [dict(measures=["NOPE"]), dict(conf_level=1.5), dict(draws=-1), dict(missing="x")]
)
def test_bad_arguments_raise(kwargs):
    with pytest.raises(MeasureInputError):
        compute(series([1.0, 2.0, 3.0]), **kwargs)


def test_not_a_table_raises():
    with pytest.raises(MeasureInputError, match="pandas, Polars or PyArrow"):
        compute([1, 2, 3])


def test_catalogue_has_every_who_measure_in_both_languages():
    entries = {e.code: e for e in catalogue()}
    assert set(WHO_CODES) <= set(entries)
    for code in [*WHO_CODES, "SII_LIN", "RII_LIN", "ACI_B", "RCI_B", "RCI_W", "RCI_E"]:
        e = entries[code]
        assert e.name_sv and e.name_en and e.interpretation_sv and e.interpretation_en
        assert e.kind in ("absolute", "relative") and e.interval and e.reference
    assert entry("SII").name_sv == "Lutningsindex för ojämlikhet"
    with pytest.raises(KeyError, match="unknown measure code"):
        entry("NOPE")
