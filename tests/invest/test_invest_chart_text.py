"""What the report and the web need beside each investment chart (alt text, the chart's data
as a table) and the sentences they print (economics, effect design, verdict caveats,
discounting), checked against the result fields and the chart specifications' own data."""

from __future__ import annotations

import pytest

from jamlik.invest.calc import discount_texts
from jamlik.invest.chart_text import chart_alt, chart_table
from jamlik.invest.charts import TORNADO_TOP, chart_specs
from jamlik.invest.effects.result import VerdictCode
from jamlik.invest.model import Investment
from jamlik.invest.text import (
    CAVEATS,
    design_sentence,
    discount_words,
    economics_sentences,
    main_payer,
    verdict_caveat,
)

PROJECTS = ("vgrsi-le-amal", "vgrsi-seen-and-missed", "vgrsi-parenting-support-boras")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_chart_carries_its_alt_text(demo, lang) -> None:
    for project in PROJECTS:
        result = demo.results[project]
        specs = chart_specs(result, lang)
        for name, spec in specs.items():
            alt = spec["description"]
            assert alt == chart_alt(result, name, lang)
            assert len(alt) > 40 and alt.endswith(".") and alt[0].isupper(), (name, alt)
    sv = chart_alt(demo.results["vgrsi-le-amal"], "cumulative", "sv")
    assert "återbetalningsåret" in sv and "samhällets" in sv
    payback = demo.results["vgrsi-le-amal"].perspective("society").payback_year
    assert str(payback) in sv
    with pytest.raises(KeyError, match="no chart"):
        chart_alt(demo.results["vgrsi-le-amal"], "pie", "sv")


def test_tables_hold_what_the_charts_draw(demo) -> None:
    for project in PROJECTS:
        result = demo.results[project]
        specs = chart_specs(result, "sv")
        cum = chart_table(result, "cumulative", "sv")
        drawn = [
            [r["year"], r["central"], r["lo"], r["hi"]]
            for r in specs["cumulative"]["data"]["values"]
        ]
        assert cum.rows == drawn and len(cum.kinds) == len(cum.columns) == 4
        tornado = chart_table(result, "tornado", "sv")
        bars = specs["tornado"]["data"]["values"]  # two rows per bar: low end, then high end
        assert len(tornado.rows) == len(bars) // 2 == min(TORNADO_TOP, len(result.tornado))
        for row, low, high in zip(tornado.rows, bars[::2], bars[1::2], strict=True):
            assert row[0] == low["parameter"] == high["parameter"]
            assert (row[3], row[4]) == (low["npv"], high["npv"])
        effect = chart_table(result, "effect", "sv")
        points = specs["effect"]["data"]["values"]
        treated = [p["value"] for p in points if p["series"] == effect.columns[1]]
        other = [p["value"] for p in points if p["series"] == effect.columns[2]]
        assert [r[1] for r in effect.rows if r[1] is not None] == treated
        assert [r[2] for r in effect.rows if r[2] is not None] == other
        for name in ("cash_flows", "distribution"):
            table = chart_table(result, name, "en")
            assert len(table.rows) == len(specs[name]["data"]["values"])


def test_economics_sentences_state_the_result_and_what_it_rests_on(demo) -> None:
    result = demo.results["vgrsi-le-amal"]
    society = result.perspective("society")
    sv = " ".join(economics_sentences(result, "sv"))
    en = " ".join(economics_sentences(result, "en"))
    npv_sv = f"{society.npv / 1e6:.2f}".replace(".", ",").replace("-", "−")
    assert f"nettonuvärde på {npv_sv}\u00a0mnkr" in sv
    assert f"net present value of SEK\u00a0{society.npv / 1e6:,.2f}m" in en
    assert f"år {society.payback_year}" in sv and f"in {society.payback_year}" in en
    assert "inte uppmätta besparingar" in sv and "not measured savings" in en
    never = result.model_copy(update={"perspectives": [
        p.model_copy(update={"payback_year": None}) if p.perspective == "society" else p
        for p in result.perspectives
    ]})  # fmt: skip
    s = result.settings
    assert f"betalar sig inte för samhället under kalkylens år {s.base_year}–" in " ".join(
        economics_sentences(never, "sv")
    )
    assert main_payer(result).perspective == "region"  # the region pays 3.6 of 5.4 million


def test_design_sentences_count_what_each_design_compares(demo) -> None:
    le = demo.results["vgrsi-le-amal"].effect
    sv = design_sentence(le, "sv")
    assert "skillnad i skillnader" in sv
    assert f"{len(le.treated)} insatsenhet och {len(le.comparison)} jämförelseenheter" in sv
    assert f"{le.n_pre} perioder före start och {le.n_post} efter" in sv
    its = demo.results["vgrsi-seen-and-missed"].effect
    assert its.design == "its"
    text = design_sentence(its, "sv")
    assert f"{its.n_pre} mätpunkter före start och {its.n_post} efter" in text
    assert "insatsenhet" not in text  # one series against its own past: no units
    assert f"{its.n_pre} points before the start" in design_sentence(its, "en")


def test_every_verdict_says_what_it_does_not_say() -> None:
    codes = VerdictCode.__args__  # type: ignore[attr-defined]
    assert set(codes) == set(CAVEATS)
    for code in codes:
        assert verdict_caveat(code, "sv") != verdict_caveat(code, "en")
    assert "inte att insatsen ensam" in verdict_caveat("effect_found", "sv")


def test_discounting_in_words_in_each_language(demo) -> None:
    inv = Investment.model_validate(
        {
            "initiative": "x",
            "price_year": 2023,
            "costs": [{"year": 2023, "payer": "region", "amount": 1}],
        }
    )
    assert discount_texts(inv, None, None) == ("3,5 % real, konstant", "3.5% real, constant")
    assert discount_texts(inv, 0.04, None) == ("4,0 % real, konstant", "4.0% real, constant")
    sv, en = discount_texts(inv, None, "green_book")
    assert sv.startswith("Green Book: 3,5 % år 0–30") and en.startswith("Green Book: 3.5% in")
    stepped = inv.model_copy(update={"discount": inv.discount.model_validate(
        {"schedule": [{"from_year": 0, "rate": 0.04}, {"from_year": 10, "rate": 0.03}]})})  # fmt: skip
    assert discount_texts(stepped, None, None) == (
        "4,0 % från år 0; 3,0 % från år 10",
        "4.0% from year 0; 3.0% from year 10",
    )
    settings = demo.results["vgrsi-le-amal"].settings
    assert discount_words(settings, "en") == "3.5% real, constant"
    older = settings.model_copy(update={"discount_sv": None, "discount_en": None})
    assert discount_words(older, "en") == settings.discount  # results stored before the words
