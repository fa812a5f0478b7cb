"""WHO's sample data against the numbers WHO publishes for them.

The expected values are the outputs printed in the examples of WHO's healthequal R package
(reference pages and vignette, version 1.0.1; 7 significant digits). The data files come from
the same package and are only present in the development setup (../shared): without them these
tests skip, except in CI, where they fail (measures_helpers.who_sample).
"""

import pytest
from measures_helpers import who_sample

from jamlik.measures import compute

# printed to 7 significant digits: half a unit in the last place
REL = 1e-6


def births(frame):
    return frame[frame["indicator"].str.startswith("Births")]


def test_ordered_sample_matches_who():
    frame = births(who_sample("ordered-multiple-indicators.csv"))
    out = compute(frame, measures=["ACI", "SII", "RII", "PAR", "PAF"]).set_index("measure")
    published = {"ACI": 4.30052, "SII": 31.61763, "RII": 1.466089, "PAR": 7.627362, "PAF": 8.327116}
    for code, v in published.items():
        assert out.loc[code, "estimate"] == pytest.approx(v, rel=REL), code


def test_non_ordered_sample_matches_who():
    # WHO's examples pass the population but not the setting average
    frame = births(who_sample("nonordered-multiple-indicators.csv")).drop(columns="setting_average")
    codes = [
        "D",
        "BGV",
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
    out = compute(frame, measures=codes, draws=0).set_index("measure")
    published = {
        "D": 30.92258,
        "BGV": 50.42023,
        "COV": 7.752158,
        "MDMU": 6.615573,
        "MDMW": 5.326111,
        "MDBU": 10.3264,
        "MDBW": 8.403313,
        "MDRU": 7.158216,
        "MDRW": 5.64322,
        "IDISU": 7.222503,
        "IDISW": 5.814742,
        "TI": 3.143872,
        "MLD": 3.307901,
    }
    for code, v in published.items():
        assert out.loc[code, "estimate"] == pytest.approx(v, rel=REL), code
    # WHO's standard errors where they are right (BGV) or right but for the factor 1000 (TI, MLD)
    assert out.loc["BGV", "se"] == pytest.approx(9.560196, rel=REL)
    assert out.loc["TI", "se"] == pytest.approx(1000 * 0.000623933, rel=REL)
    assert out.loc["MLD", "se"] == pytest.approx(1000 * 0.0007073368, rel=REL)


def test_under_five_mortality_by_region_matches_who():
    frame = who_sample("nonordered-multiple-indicators.csv")
    frame = frame[frame["indicator"].str.startswith("Under")]
    out = compute(frame, measures=["BGV", "COV"], draws=0).set_index("measure")
    assert out.loc["BGV", "estimate"] == pytest.approx(2468.70951, rel=REL)
    assert out.loc["BGV", "se"] == pytest.approx(273.155091, rel=REL)
    assert out.loc["COV", "estimate"] == pytest.approx(41.500365, rel=REL)
