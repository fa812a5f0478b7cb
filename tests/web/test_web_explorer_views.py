"""The explorer's comparing views over HTTP against the demo (a real uvicorn): the overview,
compare areas and the funnel, each with its JSON twin; every significance category is checked
against an independent calculation from the raw observations (statsmodels' Wilson interval,
scipy's normal quantiles, the binomial variance written out), never against the code's own
output. Also: start-page flags open the widening breakdown, hidden cells say why, and the CSV
comes in the Swedish Excel flavour from Swedish pages."""

from __future__ import annotations

import csv
import io
import math
import re

import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from web_helpers import SMALL_CELL, twin

from jamlik.data import read_definitions
from jamlik.data.query import observations_frame


def facts_of(site, path: str) -> dict:
    response = site.get(twin(path))
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    return body.get("facts", body)


@pytest.fixture(scope="module")
def raw(site):
    """The stored observations, unsuppressed, and the definitions: the independent inputs."""
    return observations_frame(site.workspace), read_definitions(site.workspace)


def _num(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def expected_category(row: dict, bench: float, scale: float, higher_is_better: bool) -> str:
    """Fingertips' rule computed from scratch: the interval at 95 % and 99.8 % against the
    benchmark value; Wilson (statsmodels) for a proportion with its own counts, else normal."""
    est = float(row["estimate"])
    k, n, se = _num(row.get("numerator")), _num(row.get("denominator")), _num(row.get("se"))
    sides = []
    for alpha in (0.05, 0.002):
        if scale in (1, 100) and k is not None and n and abs(k / n * scale - est) <= 0.001 * scale:
            lo, hi = (scale * x for x in proportion_confint(k, n, alpha=alpha, method="wilson"))
        elif se is not None:
            z = stats.norm.ppf(1 - alpha / 2)
            lo, hi = est - z * se, est + z * se
        else:
            lo_src, hi_src = _num(row.get("ci_lb")), _num(row.get("ci_ub"))
            if lo_src is None or hi_src is None:
                return "not_compared"
            s = (hi_src - lo_src) / (2 * stats.norm.ppf(0.975))
            z = stats.norm.ppf(1 - alpha / 2)
            lo, hi = est - z * s, est + z * s
        sides.append(1 if lo > bench else (-1 if hi < bench else 0))
    if sides[0] == 0:
        return "similar"
    word = "better" if (sides[0] > 0) == higher_is_better else "worse"
    return f"{word}_{'998' if sides[1] == sides[0] else '95'}"


def _total(frame, indicator, area, period):
    rows = frame[
        (frame["indicator"] == indicator)
        & (frame["area"] == area)
        & (frame["dimension"] == "total")
        & (frame["period"] == period)
    ]
    return rows.iloc[0].to_dict() if len(rows) else None


def test_overview_areas_cells_match_an_independent_calculation(site, raw):
    frame, definitions = raw
    inds = {i.id: i for i in definitions.indicators}
    facts = facts_of(site, "/explorer/overview")
    assert facts["by"] == "areas" and facts["benchmark"]["id"] == "exempelstad"
    columns = [c["id"] for c in facts["columns"]]
    assert columns[0] == "exempelstad" and "ex-bjorkdalen" in columns
    checked = set()
    for row in facts["rows"]:
        ind = inds[row["indicator"]]
        bench_row = _total(frame, ind.id, "exempelstad", row["period"])
        bench = float(bench_row["estimate"])
        assert row["benchmark_value"] == pytest.approx(bench)
        for area, cell in zip(columns, row["cells"], strict=True):
            if cell["category"] in ("suppressed", "no_data", "benchmark"):
                assert cell["estimate"] is None or cell["category"] == "benchmark"
                continue
            source = _total(frame, ind.id, area, row["period"])
            assert cell["estimate"] == pytest.approx(float(source["estimate"]))
            expected = expected_category(source, bench, ind.scale, ind.favourable)
            assert cell["category"] == expected, (ind.id, area, cell)
            checked.add(expected)
    # the demo shows every kind of verdict, so each branch was compared
    assert {"better_998", "similar", "worse_95"} <= checked
    assert len(checked) >= 4


def test_overview_hidden_cells_say_why(site):
    facts = facts_of(site, "/explorer/overview")
    hidden = [c for r in facts["rows"] for c in r["cells"] if c["category"] == "suppressed"]
    assert hidden and all(c["estimate"] is None for c in hidden)
    secondary = [c for c in hidden if c["secondary"]]
    assert secondary and all("räknas fram" in c["text"] for c in secondary)
    assert all(c["text"].startswith("Dold") for c in hidden)


def test_overview_groups_against_the_areas_total(site, raw):
    frame, definitions = raw
    inds = {i.id: i for i in definitions.indicators}
    facts = facts_of(site, "/explorer/overview?by=groups&dimension=country_of_birth")
    assert facts["dimension"]["id"] == "country_of_birth" and facts["area"]["id"] == "exempelstad"
    groups = [c["id"] for c in facts["columns"]]
    assert set(groups) == {"born_abroad", "born_in_sweden"}
    compared = 0
    for row in facts["rows"]:
        ind = inds[row["indicator"]]
        bench = float(_total(frame, ind.id, "exempelstad", row["period"])["estimate"])
        for group, cell in zip(groups, row["cells"], strict=True):
            if cell["category"] in ("suppressed", "no_data"):
                continue
            source = frame[
                (frame["indicator"] == ind.id)
                & (frame["area"] == "exempelstad")
                & (frame["dimension"] == "country_of_birth")
                & (frame["subgroup"] == group)
                & (frame["period"] == row["period"])
            ].iloc[0]
            expected = expected_category(source.to_dict(), bench, ind.scale, ind.favourable)
            assert cell["category"] == expected, (ind.id, group)
            compared += 1
    assert compared >= 10


def test_compare_areas_sorted_bars_and_significance_map(site, raw):
    frame, definitions = raw
    ind = next(i for i in definitions.indicators if i.id == "ex-trangboddhet")
    facts = facts_of(site, "/explorer/compare?indicator=ex-trangboddhet")
    assert facts["choice"]["map"] == "significance"
    bench = float(_total(frame, ind.id, "exempelstad", facts["choice"]["period"])["estimate"])
    assert facts["benchmark"]["value"] == pytest.approx(bench)
    shown = [a for a in facts["areas"] if a["estimate"] is not None]
    # lower is better: best first, i.e. ascending values
    assert [a["estimate"] for a in shown] == sorted(a["estimate"] for a in shown)
    for a in shown:
        if a["key"] == "exempelstad":
            assert a["category"] == "benchmark"
            continue
        source = _total(frame, ind.id, a["key"], facts["choice"]["period"])
        assert a["category"] == expected_category(source, bench, ind.scale, ind.favourable)
    # the map is coloured by the same categories, each written out in the map's text
    legend = {entry["category"] for entry in facts["map"]["legend"]}
    assert legend <= {a["category"] for a in shown}
    page = site.get("/explorer/compare?indicator=ex-trangboddhet").text
    svg = re.search(r'<svg[^>]*class="map".*?</svg>', page, re.S).group(0)
    for a in shown:
        if a["key"] != "exempelstad":
            assert a["label"] in svg
    values = facts_of(site, "/explorer/compare?indicator=ex-trangboddhet&map=values")
    assert values["map"]["kind"] == "values" and len(values["map"]["legend"]) == 5


def test_funnel_categories_follow_limits_computed_by_hand(site, raw):
    frame, definitions = raw
    ind = next(i for i in definitions.indicators if i.id == "ex-trangboddhet")
    facts = facts_of(site, "/explorer/funnel?indicator=ex-trangboddhet")
    period = facts["choice"]["period"]
    target = float(_total(frame, ind.id, "exempelstad", period)["estimate"])
    assert facts["target"] == pytest.approx(target)
    tau2 = facts["funnel"]["tau2"]
    p0 = target / 100
    districts = [d for d in facts["districts"] if d["estimate"] is not None]
    assert len(districts) >= 8
    for d in districts:
        source = _total(frame, ind.id, d["id"], period)
        n = _num(source.get("denominator")) or float(source["population"])
        z = (float(source["estimate"]) - target) / math.sqrt(p0 * (1 - p0) / n * 100**2 + tau2)
        assert d["z"] == pytest.approx(z, rel=1e-6)
        if abs(z) <= stats.norm.ppf(0.975):
            expected = "similar"
        else:
            word = "better" if (z > 0) == ind.favourable else "worse"
            expected = f"{word}_{'998' if abs(z) > stats.norm.ppf(0.999) else '95'}"
        assert d["category"] == expected
    assert "Spiegelhalter" in facts["method"]["funnel"]


def test_every_view_in_english_too(site):
    for path in (
        "/explorer/overview?lang=en",
        "/explorer/overview?by=groups&lang=en",
        "/explorer/compare?lang=en",
        "/explorer/funnel?lang=en",
    ):
        response = site.get(path)
        assert response.status_code == 200
        assert 'lang="en"' in response.text
        assert "Bättre" not in response.text and "Ingen säker skillnad" not in response.text


def test_start_page_flags_open_the_widening_breakdown(site):
    facts = facts_of(site, "/")
    flags = [f for f in facts["flags"] if f["code"] == "worse_and_widening"]
    if not flags:
        pytest.skip("the demo raises no worse-and-widening flag")
    for f in flags:
        for link in f["explore"]:
            assert f"dimension={link['dimension']}" in link["href"]
            opened = facts_of(site, link["href"])
            assert opened["choice"]["dimension"] == link["dimension"]


def test_explorer_table_says_why_a_cell_is_hidden(site):
    query = f"indicator={SMALL_CELL['indicator']}&dimension=sex&area={SMALL_CELL['area']}"
    facts = facts_of(site, f"/explorer?{query}&period={SMALL_CELL['period']}")
    women = next(r for r in facts["table"] if r["subgroup"] == "women")
    assert women["suppressed"] and women["hidden_reason"] == "Dold: för få personer (färre än 10)"


def test_csv_in_the_swedish_excel_flavour_from_swedish_pages(site):
    query = "indicator=ex-trangboddhet&dimension=sex"
    sv = site.get(f"/explorer/download.csv?{query}").content
    en = site.get(f"/explorer/download.csv?{query}&lang=en").content
    assert sv.startswith("\ufeff".encode()) and en.startswith("\ufeff".encode())
    sv_rows = list(csv.DictReader(io.StringIO(sv.decode("utf-8-sig")), delimiter=";"))
    en_rows = list(csv.DictReader(io.StringIO(en.decode("utf-8-sig"))))
    assert len(sv_rows) == len(en_rows) > 10
    for s, e in zip(sv_rows, en_rows, strict=True):
        if e["estimate"]:
            assert re.fullmatch(r"-?\d+\.\d", e["estimate"])  # one decimal, as the page
            assert s["estimate"] == e["estimate"].replace(".", ",")
        if e["population"]:
            assert re.fullmatch(r"\d+", e["population"])
    hidden = [r for r in sv_rows if r["flag"]]
    assert all(r["hidden_reason"].startswith("Dold") for r in hidden)


@pytest.mark.parametrize(
    ("dimension", "kind", "suited"),
    [
        ("sex", "two", {"D", "R"}),
        ("parental_education", "ordered", {"D", "R", "SII", "RII", "ACI", "RCI"}),
        ("district", "unordered", {"D", "R", "BGSD", "IDISW", "PAF"}),
    ],
)
def test_measures_that_suit_the_breakdown_and_the_pair_named(site, dimension, kind, suited):
    path = f"/explorer?indicator=ex-kulturskola&dimension={dimension}"
    facts = facts_of(site, path)
    assert facts["breakdown"]["kind"] == kind and not facts["all_measures"]
    assert {m["code"] for m in facts["measures"] if m["suited"]} == suited
    html = site.get(path).text

    def rows(page: str, table: str) -> set[str]:
        part = re.search(rf'<table[^>]*id="{table}".*?</table>', page, re.S)
        return set(re.findall(r'<tr data-measure="([A-Z_0-9]+)"', part.group(0) if part else ""))

    assert rows(html, "measures-table") == suited
    # Atkinson and the like wait one click away, folded below, or all in one table
    others = rows(html, "other-measures-table")
    assert others and not others & suited and '<details id="other-measures">' in html
    everything = site.get(path + "&measures=all").text
    assert rows(everything, "measures-table") == suited | others
    assert "ATK1" in others or kind != "unordered"
    # D is the difference between the two groups it names: check it from the table
    d = next(m for m in facts["measures"] if m["code"] == "D")
    values = {r["subgroup"]: r["estimate"] for r in facts["table"]}
    first, second = d["pair"]["first"]["id"], d["pair"]["second"]["id"]
    assert d["estimate"] == pytest.approx(values[first] - values[second])
    if kind == "unordered":  # no reference group: the highest against the lowest
        shown_values = [v for v in values.values() if v is not None]
        assert (values[first], values[second]) == (max(shown_values), min(shown_values))
    assert d["pair"]["text"] in html


def test_gap_over_time_and_trends_with_intervals(site, raw):
    frame, _ = raw
    facts = facts_of(site, "/explorer?indicator=ex-trangboddhet&dimension=sex&measure=D")
    gap = facts["gap_chart"]
    assert gap is not None and len(gap["table"]["rows"]) >= 5
    d = next(m for m in facts["measures"] if m["code"] == "D")
    first, second = d["pair"]["first"]["id"], d["pair"]["second"]["id"]
    rows = frame[
        (frame["indicator"] == "ex-trangboddhet")
        & (frame["area"] == "exempelstad")
        & (frame["dimension"] == "sex")
    ]
    by = {(r["subgroup"], r["period"]): r for r in rows.to_dict("records")}
    for row in gap["table"]["rows"]:
        period, value, lo, hi = (c["value"] for c in row)
        a, b = by[(first, period)], by[(second, period)]
        # sex has no reference group: D is the higher value minus the lower in each period
        # (the pair named on the page is the chosen period's), interval ± 1.96·√(se₁² + se₂²),
        # floored at 0: the gap of a data-chosen pair is a distance (docs/measures.md)
        assert value == pytest.approx(abs(a["estimate"] - b["estimate"]), abs=1e-9)
        half = stats.norm.ppf(0.975) * math.hypot(a["se"], b["se"])
        assert (lo, hi) == (
            pytest.approx(max(value - half, 0.0), abs=1e-6),
            pytest.approx(value + half, abs=1e-6),
        )
    page = site.get("/explorer?indicator=ex-trangboddhet&dimension=sex&measure=D").text
    spec = re.search(r'id="spec-explore-ex-trangboddhet-sex">(.*?)</script>', page, re.S).group(1)
    assert '"ci_lb"' in spec and '"rule"' in spec  # the level chart draws each interval
