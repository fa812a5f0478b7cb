"""Parts of the web application that need no server: translations, the twin mechanism,
number formatting, settings, the map's classes, the downloads' layout and `jamlik serve`."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jamlik.errors import ValidationError
from jamlik.web.i18n import Translator, messages
from jamlik.web.settings import read_config
from jamlik.web.svg.choropleth import CLASSES, MapArea, choropleth_svg, classify
from jamlik.web.twin import JsonTwinMiddleware, jsonable, twin_path

WEB = Path(__file__).resolve().parents[2] / "src" / "jamlik" / "web"


def test_both_languages_have_the_same_messages():
    sv, en = messages("sv"), messages("en")
    assert set(sv) == set(en)
    assert all(v.strip() for v in [*sv.values(), *en.values()])
    # The same fields in both texts, or a translation would fail at run time.
    for key in sv:
        assert set(re.findall(r"{(\w+)}", sv[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_every_message_the_code_asks_for_exists():
    """Literal keys in templates and modules; prefixed keys (f"kind.{...}") by their families."""
    known = set(messages("sv"))
    literal = re.compile(r"""\bt\(\s*["']([a-z_]+\.[\w. ]+)["']""")
    used: set[str] = set()
    for path in [*WEB.rglob("*.html"), *WEB.rglob("*.py")]:
        used |= set(literal.findall(path.read_text("utf-8")))
    assert used, "the scan found no keys: the pattern is wrong"
    # `t("start.heading_" ~ kind)` leaves a prefix: some message must start with it.
    prefixes = {k for k in used if k.endswith((".", "_"))}
    assert sorted(used - prefixes - known) == []
    assert [p for p in prefixes if not any(k.startswith(p) for k in known)] == []
    from jamlik.programme import ACTOR_KINDS, NODE_KINDS, STATUSES

    families = {"kind": NODE_KINDS, "status": STATUSES, "actor_kind": ACTOR_KINDS}
    families |= {
        "health": ("improving", "mixed", "worsening", "unchanged", "no_data"),
        "verdict": ("narrowing", "widening", "no clear change", "too few points"),
        "target": ("met", "on_track", "off_track", "no_target", "no_data"),
        "reach": ("most_need", "evenly", "least_need", "too_few_areas"),
    }
    for family, codes in families.items():
        assert {f"{family}.{c}" for c in codes} <= known, family


def test_missing_message_fails_loudly():
    with pytest.raises(KeyError, match="no sv message 'nav.nonexistent'"):
        Translator("sv")("nav.nonexistent")


@pytest.mark.parametrize(
    ("lang", "value", "decimals", "text"),
    [
        ("sv", 1234.5, 1, "1\u00a0234,5"),
        ("en", 1234.5, 1, "1,234.5"),
        ("sv", -0.25, 2, "−0,25"),
        ("en", -0.25, 2, "-0.25"),
        ("sv", -0.004, 2, "0,00"),  # rounds to zero: no minus sign on a zero
        ("sv", None, 1, "–"),
        ("en", math.nan, 1, "–"),
    ],
)
def test_numbers_as_each_language_writes_them(lang, value, decimals, text):
    assert Translator(lang).number(value, decimals) == text


def test_significant_digits_for_measures():
    t = Translator("en")
    assert t.sig(2.5371) == "2.54"
    assert t.sig(0.0004321) == "0.000432"
    assert t.sig(41.26) == "41.3"
    assert t.sig(0.0) == "0.00"


@pytest.mark.parametrize(
    ("path", "routed"),
    [
        ("/index.json", "/"),
        ("/programme.json", "/programme"),
        ("/programme/ex-ta1.json", "/programme/ex-ta1"),
        ("/explorer.json", "/explorer"),
        ("/static/data.json", "/static/data.json"),  # files are files
        ("/programme", "/programme"),
    ],
)
def test_json_twin_routes_to_the_page(path, routed):
    seen = {}

    async def app(scope, receive, send):
        seen["path"] = scope["path"]
        seen["format"] = (scope.get("state") or {}).get("format", "html")

    # Neither coroutine awaits anything: one step runs it to the end, without an event loop
    # (the browser tests' Playwright owns the loop of this thread).
    call = JsonTwinMiddleware(app)({"type": "http", "path": path}, None, None)
    with pytest.raises(StopIteration):
        call.send(None)
    assert seen["path"] == routed
    assert seen["format"] == ("json" if routed != path else "html")


def test_twin_path_of_pages():
    assert twin_path("/") == "/index.json"
    assert twin_path("/initiatives/ex-kaa") == "/initiatives/ex-kaa.json"


def test_facts_are_plain_json():
    assert jsonable({"a": math.nan, "b": [1, 2.5], "c": None}) == {
        "a": None,
        "b": [1, 2.5],
        "c": None,
    }
    with pytest.raises(TypeError, match="plain data"):
        jsonable({"x": object()})


def test_site_config_errors_name_file_and_field(tmp_path):
    bad = tmp_path / "web.toml"
    bad.write_text('[accessibility]\ncompliance = "mostly"\nresponse_days = 0\n', "utf-8")
    with pytest.raises(ValidationError) as err:
        read_config(bad)
    text = str(err.value)
    assert "web.toml" in text and "accessibility.compliance" in text
    assert "accessibility.response_days" in text
    bad.write_text("[site\n", "utf-8")
    with pytest.raises(ValidationError, match="not valid TOML"):
        read_config(bad)
    assert read_config(tmp_path / "absent.toml").accessibility.compliance == "partial"


def test_map_classes_are_equal_width():
    legend = classify([10.0, 20.0, 15.0, 30.0])
    assert legend is not None
    # Five classes over 10..30: width 4, by hand.
    assert legend.limits == pytest.approx([10, 14, 18, 22, 26, 30])
    assert classify([]) is None


def test_map_labels_every_area_and_hatches_suppressed():
    def square(x: float) -> dict:
        ring = [[x, 58], [x + 0.1, 58], [x + 0.1, 58.1], [x, 58.1], [x, 58]]
        return {"type": "Polygon", "coordinates": [ring]}

    areas = [
        MapArea("a", "Alfa", square(12.0), 10.0),
        MapArea("b", "Beta", square(12.1), 30.0),
        MapArea("c", "Gamma", square(12.2), None, suppressed=True),
    ]
    svg, legend = choropleth_svg(
        areas, title="T", desc="D", fmt=lambda v: f"{v:.1f}", suppressed_word="Dold"
    )
    assert svg.count("<path") == 3
    assert ">Alfa<" in svg and ">10.0<" in svg and ">Dold<" in svg
    assert 'fill="url(#hatch)"' in svg
    assert f'fill="{CLASSES[0]}"' in svg and f'fill="{CLASSES[-1]}"' in svg
    assert legend is not None and legend.limits[0] == 10.0 and legend.limits[-1] == 30.0


def test_serve_command_registers_on_a_fresh_app():
    from jamlik.cli import web

    app = typer.Typer()
    web.register(app)

    @app.command()
    def other() -> None:  # a second command keeps Typer from collapsing to one
        pass

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--workspace", "--host", "--port", "--programme"):
        assert option in result.output


def test_serve_refuses_a_missing_workspace(tmp_path):
    from jamlik.cli import web

    app = typer.Typer()
    web.register(app)

    @app.command()
    def other() -> None:
        pass

    result = CliRunner().invoke(app, ["serve", "--workspace", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "no workspace" in str(result.exception)


def test_csv_download_layout():
    from jamlik.followup import ExploreResult, Point, SubgroupSeries
    from jamlik.web.downloads import DATA_COLUMNS, to_csv

    series = SubgroupSeries(
        dimension="sex", subgroup="women", title_sv="Kvinnor", title_en="Women",
        points=[
            Point(period="2024", time=2024.5, estimate=50.0, se=1.0, ci_lb=48.0, ci_ub=52.0, population=100),
            Point(period="2025", time=2025.5, population=7, suppressed=True),
        ],
    )  # fmt: skip
    result = ExploreResult(
        indicator="i", dimension="sex", period="2025", area="a", periods=["2024", "2025"],
        history=[series], table=[], measures=[], min_population=10, conf_level=0.95,
    )  # fmt: skip
    raw = to_csv(result, "en")
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [*DATA_COLUMNS, "source_note"]  # the data's columns keep their places
    assert rows[0]["source_note"] == rows[1]["source_note"] == ""
    assert rows[0]["estimate"] == "50.0" and rows[0]["flag"] == ""
    assert rows[1]["estimate"] == "" and rows[1]["flag"] == "suppressed"
    assert rows[1]["population"] == "7"
    assert json.dumps(rows)  # plain text only


def test_csv_source_notes_are_made_inert_and_keep_the_rows_whole():
    from jamlik.followup import ExploreResult, Point, SubgroupSeries
    from jamlik.web.downloads import to_csv

    series = SubgroupSeries(
        dimension="sex", subgroup="women", title_sv="Kvinnor", title_en="Women",
        points=[Point(period=p, time=float(p), estimate=1.0, population=100) for p in ("2024", "2025")],
    )  # fmt: skip
    result = ExploreResult(
        indicator="i", dimension="sex", period="2025", area="a", periods=["2024", "2025"],
        history=[series], table=[], measures=[], min_population=10, conf_level=0.95,
    )  # fmt: skip
    notes = ['=HYPERLINK("http://x","klicka")', 'Rad ett,\n"citerad"; rad två.']
    text = to_csv(result, "sv", notes).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["period"] for r in rows] == ["2024", "2025"]
    assert all(None not in r for r in rows)
    expected = "'" + notes[0] + " " + notes[1]  # a formula start gets a quote; commas, quotes
    assert all(r["source_note"] == expected for r in rows)  # and line breaks stay in the cell
