"""What `jamlik report` lets one choose (the area followed, which social investments) and what
it says when a programme cannot be followed up.

The world: the constructed city of `report_helpers` and a second top-level city ("stad2", as a
Kolada fetch of several municipalities leaves a workspace) whose values lie exactly 20 points
below the first city's, so a report of one city cannot show the other's levels by accident.
Beside the test programme: a second programme with an investment of its own, a programme that
links only an indicator without observations, and the Gothenburg example, which links none.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import typer
from report_helpers import CITY, INITIATIVE, PROGRAMME, SEX, Page, investment, observations
from report_helpers import programme as helper_programme
from typer.testing import CliRunner

from jamlik.cli import report as report_cli
from jamlik.data import Area, Definitions, Indicator, import_definitions, import_observations
from jamlik.errors import JamlikError
from jamlik.followup import explore
from jamlik.followup.scope import SHOWN_IDS, check_programme_data
from jamlik.invest.store import import_investments
from jamlik.programme import Programme, import_programme, load_example
from jamlik.report import build_report
from jamlik.workspace import Workspace

OTHER_CITY = "stad2"
OTHER_PROGRAMME = "other-prog"
OTHER_INITIATIVE = "o-ini"
UNOBSERVED = "ind-b"  # defined, linked by BARE_PROGRAMME, never observed
BARE_PROGRAMME = "bare-prog"
GOTHENBURG = "goteborg-jamlik-stad"
SHIFT = 20.0  # the second city's values: the first city's minus this
# The 2025 levels of men and women, by hand from report_helpers.observations(): k = 9 for
# 2025, so the city's are 48 + 0.2 * 9 = 49.8 and 52 + 0.4 * 9 = 55.6; the second city's 20 less.
CITY_2025, OTHER_2025 = [49.8, 55.6], [29.8, 35.6]


def _programme(pid: str, nodes: list[dict], initiatives: list[dict]) -> Programme:
    return Programme.model_validate(
        {
            "id": pid, "title": f"Program {pid}", "node_kinds": ["goal"],
            "nodes": [{"id": f"{pid}-goal", "kind": "goal", "title": "Mål", **nodes[0]}],
            "actors": [{"id": f"{pid}-city", "name": "Staden", "kind": "municipality"}],
            "initiatives": [{**i, "owner": f"{pid}-city"} for i in initiatives],
        }
    )  # fmt: skip


def _observations() -> pd.DataFrame:
    first = observations()
    second = first[first["area"] == CITY].assign(area=OTHER_CITY)
    second["estimate"] = second["estimate"] - SHIFT
    return pd.concat([first, second], ignore_index=True)


@pytest.fixture(scope="module")
def two_cities(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path = tmp_path_factory.mktemp("two-cities")
    ws = Workspace(path, f"sqlite:///{path / 'jamlik.sqlite'}")
    ws.init()
    areas = [
        Area(id=CITY, name="Teststad", level="municipality", population=3000),
        *(
            Area(id=d, name=name, level="district", parent=CITY, population=n)
            for d, name, n in (("d1", "Åby", 1600), ("d2", "Ängen", 1200), ("d3", "Önäs", 200))
        ),
        Area(id=OTHER_CITY, name="Andrastad", level="municipality", population=3000),
    ]
    indicators = [
        Indicator(id="ind-a", title="Andel med gott utfall", unit="procent", scale=100,
                  polarity="higher_is_better"),
        Indicator(id=UNOBSERVED, title="Aldrig mätt", unit="procent", scale=100,
                  polarity="higher_is_better"),
    ]  # fmt: skip
    import_definitions(ws, Definitions(areas=areas, dimensions=[SEX], indicators=indicators))
    import_observations(ws, _observations(), source="testdata.csv", attribution="Testkälla")
    import_programme(ws, helper_programme())
    import_programme(
        ws,
        _programme(OTHER_PROGRAMME, [{}], [{"id": OTHER_INITIATIVE, "title": "Annan insats"}]),
    )
    import_programme(ws, _programme(BARE_PROGRAMME, [{"indicators": [UNOBSERVED]}], []))
    import_programme(ws, load_example(GOTHENBURG))
    # Neither investment is calculated: the chapter then shows its costs, which is enough to
    # see which investments a report holds.
    import_investments(
        ws, [investment(), investment().model_copy(update={"initiative": OTHER_INITIATIVE})]
    )
    return ws


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Stands in for jamlik's main app."""

    report_cli.register(app)
    return app


def _report(app: typer.Typer, ws: Workspace, out: Path, *options: str, stem: str = "") -> Page:
    result = CliRunner().invoke(
        app,
        ["report", "--workspace", str(ws.path), "--year", "2025", "--format", "html",
         "--programme", PROGRAMME, "--out", str(out), *options],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return Page((out / f"{stem or PROGRAMME}-2025-sv.html").read_text(encoding="utf-8"))


def _by_sex_2025(out: Path, stem: str) -> list[float]:
    """The levels of men and women in 2025 from the report's CSV table."""
    path = out / f"{stem}-2025-sv-tabeller" / "ind-a-sex-level.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row[0]: row[1:] for row in csv.reader(handle)}
    assert rows["Period"] == ["Män", "Kvinnor"]
    return [float(v) for v in rows["2025"]]


def _investments_shown(page: Page) -> list[str]:
    return [s["attrs"]["data-initiative"] for s in page.find("section", **{"class": "investment"})]


def test_several_top_level_areas_ask_for_the_area_option(two_cities, tmp_path):
    with pytest.raises(JamlikError, match=rf"--area .*: {CITY}, {OTHER_CITY}$"):
        build_report(two_cities, 2025, tmp_path / "out", programme_id=PROGRAMME)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_area_and_investments_options_reach_the_report(app, two_cities, tmp_path):
    # Both into one folder: a report on one chosen area names it, so neither replaces the other.
    a, b = f"{PROGRAMME}-{CITY}", f"{PROGRAMME}-{OTHER_CITY}"
    first = _report(app, two_cities, tmp_path, "--area", CITY,
                    "--investments", "programme", stem=a)  # fmt: skip
    second = _report(app, two_cities, tmp_path, "--area", OTHER_CITY,
                     "--investments", "workspace", stem=b)  # fmt: skip
    assert not (tmp_path / f"{PROGRAMME}-2025-sv.html").exists()

    assert _by_sex_2025(tmp_path, a) == pytest.approx(CITY_2025)
    assert _by_sex_2025(tmp_path, b) == pytest.approx(OTHER_2025)
    district_table = "2025-sv-tabeller/ind-a-district-level.csv"
    assert (tmp_path / f"{a}-{district_table}").is_file()
    assert not (tmp_path / f"{b}-{district_table}").exists()  # the second city has no districts

    # the programme's own investment, and a note on the one of the other programme
    assert _investments_shown(first) == [f"invest-{INITIATIVE}"]
    assert "en social investering till" in Page.text(first.find("body")[0])
    # every investment, the programme's own first
    assert _investments_shown(second) == [f"invest-{INITIATIVE}", f"invest-{OTHER_INITIATIVE}"]


def test_unknown_investment_choice_is_refused(app, two_cities, tmp_path):
    result = CliRunner().invoke(
        app,
        ["report", "--workspace", str(two_cities.path), "--year", "2025",
         "--out", str(tmp_path), "--investments", "all"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "'all' is not one of" in result.output and "'workspace'" in result.output


def test_a_programme_without_indicators_is_told_to_link_some(two_cities, tmp_path):
    with pytest.raises(JamlikError, match=r"links no indicators: add `indicators:`.*programme\.md"):
        build_report(two_cities, 2025, tmp_path / "out", programme_id=GOTHENBURG)


def test_linked_indicators_without_observations_are_named(two_cities, tmp_path):
    with pytest.raises(
        JamlikError, match=rf"no observations for the linked indicators {UNOBSERVED}:"
    ):
        build_report(two_cities, 2025, tmp_path / "out", programme_id=BARE_PROGRAMME)
    with pytest.raises(JamlikError, match="no observations in any top-level area"):
        explore(two_cities, UNOBSERVED, "sex")


def test_a_long_list_of_indicators_is_cut_short():
    ids = [f"i{n:02d}" for n in range(SHOWN_IDS + 3)]
    many = _programme("many", [{"indicators": ids}], [])
    with pytest.raises(JamlikError) as raised:
        check_programme_data(many, pd.DataFrame(columns=["area", "period"]))
    message = str(raised.value)
    assert ", ".join(ids[:SHOWN_IDS]) + " (+3):" in message and ids[SHOWN_IDS] not in message
