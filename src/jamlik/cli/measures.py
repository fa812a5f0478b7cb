"""`jamlik measures`: summary measures of inequality over a workspace or a file."""

from __future__ import annotations

import difflib
import json
import math
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from jamlik.cli.options import WorkspaceOpt

if TYPE_CHECKING:  # pandas loads when a command runs, not for `jamlik --help`
    import pandas as pd

SHOWN = 40
NUMERIC = ("estimate", "se", "population", "subgroup_order", "indicator_scale", "setting_average",
           "lmin", "lmax", "reference_subgroup", "favourable_indicator", "ordered_dimension")  # fmt: skip
MISSING_TEXT = {"", "na", "nan", "..", "null", "none"}
_YEARS = re.compile(r"^(\d{4})(?:\s*[-–]\s*(\d{4}))?$")


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("measures")(measures_command)


def measures_command(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Subgroup table (.csv, .xlsx, .parquet) in HEAT Plus columns; without it the "
            "workspace's observations are used.",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    measure: Annotated[
        list[str] | None,
        typer.Option(
            "--measure",
            "-m",
            help="Measure code, e.g. SII (repeat for more). Default: every measure that applies.",
        ),  # fmt: skip
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            help="Column that identifies a series (repeat). Default: indicator, "
            "period, area, dimension (those present)."
        ),  # fmt: skip
    ] = None,
    conf_level: Annotated[
        list[float] | None,
        typer.Option(
            "--conf-level", help="Confidence level (repeat for several).  [default: 0.95]"
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of simulation-based intervals.")] = 123456,
    draws: Annotated[int, typer.Option(help="Draws per series for simulation (0: none).")] = 1000,
    missing: Annotated[
        str, typer.Option(help="Series with a missing estimate: 'note' or 'drop' the subgroup.")
    ] = "note",
    indicator: Annotated[
        list[str] | None, typer.Option(help="Workspace: only this indicator (repeat).")
    ] = None,
    area: Annotated[
        list[str] | None, typer.Option(help="Workspace: only this area (repeat).")
    ] = None,
    dimension: Annotated[
        list[str] | None, typer.Option(help="Workspace: only this dimension (repeat).")
    ] = None,
    period: Annotated[
        list[str] | None,
        typer.Option(
            help="Only this year or range of years, e.g. 2025 or 2020-2025 (repeat).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write all results to .csv or .parquet.")
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", help="table (fits the terminal), csv or json, printed to standard output."
        ),
    ] = Format.table,
    list_measures: Annotated[
        bool, typer.Option("--list", help="List the measures (the catalogue) and stop.")
    ] = False,
) -> None:
    """Ojämlikhetsmått / summary measures of inequality, with confidence intervals."""
    from jamlik.measures import MeasureInputError, compute

    console = Console(highlight=False)
    if list_measures:
        _print_catalogue(console)
        return
    if out is not None and out.suffix.lower() not in (".csv", ".parquet"):
        _fail(
            f"--out måste sluta på .csv eller .parquet / --out must end in .csv or .parquet: {out}"
        )
    spans = [_years(text) for text in period or ()]
    frame, source = _read_file(file) if file is not None else _read_workspace(
        workspace, indicator, area, dimension
    )  # fmt: skip
    if spans:
        frame = _in_periods(frame, spans, period, source)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    try:
        with Progress(*columns, transient=True, disable=not console.is_terminal) as bar:
            bar.add_task("Beräknar mått / computing measures", total=None)
            result = compute(frame, measures=measure or None, by=by or None,
                             conf_level=conf_level or 0.95, draws=draws, seed=seed,
                             missing=missing)  # fmt: skip
    except MeasureInputError as exc:
        _fail(f"{source}: {exc}")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".csv":
            from jamlik.spreadsheet_safe import safe_frame

            safe_frame(result).to_csv(out, index=False)
        else:
            result.to_parquet(out, index=False)
    if fmt is Format.csv:
        result.to_csv(sys.stdout, index=False)
    elif fmt is Format.json:
        records = result.astype(object).where(result.notna(), None).to_dict(orient="records")
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    else:
        _print_result(console, result, source, out)


def _fail(message: str) -> None:
    Console(stderr=True, highlight=False).print(
        f"[bold red]Fel / Error:[/] {message}", soft_wrap=True
    )
    raise typer.Exit(1)


def _years(text: str) -> tuple[int, int]:
    """`2025` or `2020-2025` as a closed range of years."""
    m = _YEARS.match(text.strip())
    if not m or (m[2] and int(m[2]) < int(m[1])):
        _fail(
            f"--period '{text}': skriv ett år (2025) eller ett intervall (2020-2025) / "
            "write a year (2025) or a range of years (2020-2025)"
        )
    return int(m[1]), int(m[2] or m[1])


def _in_periods(
    frame: pd.DataFrame, spans: list[tuple[int, int]], asked: list[str], source: str
) -> pd.DataFrame:
    """The rows whose period lies within one of the ranges (its midpoint, so a school year
    2024/25 counts to 2024 and a quarter to its year)."""
    import pandas as pd

    from jamlik.data.periods import period_midpoint

    if "period" not in frame.columns:
        _fail(f"{source}: --period kräver en kolumn 'period' / --period needs a 'period' column")
    periods = frame["period"].astype("string")
    middle = {p: _midpoint(period_midpoint, p) for p in periods.dropna().unique()}
    mid = periods.map(middle).astype("float64")
    keep = pd.Series(False, index=frame.index)
    for first, last in spans:
        keep |= (mid >= first) & (mid < last + 1)
    if not keep.any():
        years = sorted({int(m) for m in middle.values() if not math.isnan(m)})
        have = f"{years[0]}–{years[-1]}" if years else "inga / none"
        _fail(
            f"{source}: inga observationer för --period {', '.join(asked)} (data finns för "
            f"{have}) / no observations in that period (data cover {have})"
        )
    return frame[keep].reset_index(drop=True)


def _midpoint(midpoint, period: str) -> float:
    try:
        return midpoint(period)
    except ValueError:
        return math.nan


def _read_file(path: Path) -> tuple[pd.DataFrame, str]:
    import pandas as pd

    from jamlik.data.readers import read_table
    from jamlik.errors import ValidationError

    try:
        raw = read_table(path)
    except ValidationError as exc:
        _fail(str(exc))
    frame = raw.frame.reset_index(drop=True)
    for col in NUMERIC:
        if col in frame.columns and not pd.api.types.is_numeric_dtype(frame[col]):
            text = frame[col].astype("string").str.strip()
            text = text.mask(text.str.lower().isin(MISSING_TEXT))
            if raw.decimal == ",":
                text = text.str.replace(",", ".", regex=False)
            converted = pd.to_numeric(text, errors="coerce")
            # leave unreadable cells as text: compute() then names the column and the row
            frame[col] = converted if converted.notna().sum() == text.notna().sum() else text
    return frame, path.name


def _read_workspace(workspace, indicators, areas, dimensions) -> tuple[pd.DataFrame, str]:
    from jamlik.data import TOTAL
    from jamlik.data.publish import published_observations
    from jamlik.workspace import Workspace

    ws = Workspace.resolve(workspace)
    _known_ids(ws, indicators or (), areas or (), dimensions or ())
    # Small cells are blanked before anything is computed from them (röjandekontroll), whole
    # tables first and then the rows asked for; the area total is the setting average.
    frame = published_observations(ws, indicators or None)
    if areas:
        frame = frame[frame["area"].isin(areas)]
    if dimensions:
        frame = frame[frame["dimension"].isin(dimensions)]
    return frame[frame["dimension"] != TOTAL].reset_index(drop=True), str(ws.path)


def _known_ids(ws, indicators, areas, dimensions) -> None:
    """Refuse ids the workspace does not have, with the closest ones it does have."""
    from sqlalchemy import select

    from jamlik.data.query import require_workspace
    from jamlik.data.tables import AreaRow, DimensionRow, IndicatorRow

    require_workspace(ws)
    asked = (
        ("--indicator", "indikator", "indicator", IndicatorRow, indicators),
        ("--area", "område", "area", AreaRow, areas),
        ("--dimension", "dimension", "dimension", DimensionRow, dimensions),
    )
    problems = []
    with ws.session() as session:
        for option, sv, en, table, ids in asked:
            if not ids:
                continue
            known = list(session.scalars(select(table.id)))
            for value in ids:
                if value in known:
                    continue
                close = difflib.get_close_matches(value, known, n=3)
                hint = (
                    f"; menade du {' eller '.join(map(repr, close))}? / did you mean "
                    f"{' or '.join(map(repr, close))}?"
                    if close
                    else f"; jamlik {en}s list visar alla / lists them all"
                )
                problems.append(f"{option} {value!r}: ingen {sv} med det id:t / no {en}{hint}")
    if problems:
        _fail("\n".join(problems))


def _number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.3e}"


def _print_result(console: Console, result: pd.DataFrame, source: str, out: Path | None) -> None:
    import pandas as pd

    keys = [c for c in result.columns if c not in ("measure", "conf_level", "estimate", "se",
                                                   "ci_lb", "ci_ub", "note")]  # fmt: skip
    # Keys with one value for every row go to the caption, so the table fits a terminal.
    fixed = [k for k in keys if result[k].nunique(dropna=False) == 1] if len(result) > 1 else []
    keys = [k for k in keys if k not in fixed]
    levels = result["conf_level"].unique()
    caption = ", ".join(f"{k}: {result[k].iloc[0]}" for k in fixed) or None
    table = Table(
        title=f"Ojämlikhetsmått / inequality measures: {source}",
        title_justify="left",
        caption=caption,
        caption_justify="left",
    )
    for col in [*keys, "mått", "skattning", "intervall", "anmärkning"]:
        table.add_column(col, overflow="fold")
    for row in result.head(SHOWN).itertuples(index=False):
        d = row._asdict()
        level = f" ({100 * d['conf_level']:.3g} %)" if len(levels) > 1 else ""
        interval = "" if pd.isna(d["ci_lb"]) else f"{_number(d['ci_lb'])} – {_number(d['ci_ub'])}"
        table.add_row(*(str(d[k]) for k in keys), str(d["measure"]), _number(d["estimate"]),
                      interval + level if interval else "", str(d["note"]))  # fmt: skip
    console.print(table)
    n_series = len(result.drop_duplicates(keys)) if keys else 1
    console.print(f"{len(result)} rader, {n_series} serier / rows, series; "
                  f"{int(100 * levels[0])} % konfidensintervall / confidence intervals"
                  if len(levels) == 1 else f"{len(result)} rader / rows")  # fmt: skip
    if len(result) > SHOWN:
        console.print(f"Visar de första {SHOWN} / showing the first {SHOWN}; "
                      "--out skriver alla / writes all.")  # fmt: skip
    if out is not None:
        console.print(f"Skrev / wrote {out}")


def _print_catalogue(console: Console) -> None:
    from jamlik.measures import catalogue

    table = Table(title="Ojämlikhetsmått / inequality measures", title_justify="left")
    for col in ("kod/code", "namn", "name", "typ/kind", "intervall/interval"):
        table.add_column(col, overflow="fold")
    for e in catalogue():
        table.add_row(e.code, e.name_sv, e.name_en, e.kind, e.interval)
    console.print(table)
