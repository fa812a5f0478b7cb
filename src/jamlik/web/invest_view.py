"""Social investments as the web shows them: the yearly report's investment blocks as page facts.

Every sentence, table and chart comes from the report's chapter
(`jamlik.report.invest_content.investment_chapter`, which takes its words from
`jamlik.invest.text` and its charts from `jamlik.invest.charts`), so the web page, the report
and the command line say the same thing. This module only turns a block into plain facts and
adds the raw figures of the stored result beside the formatted ones, so a machine reading the
`.json` twin gets the calculation's own numbers.

Which investments are shown follows the report's rule (`jamlik.report.investments`): those of
the programme the site shows, or every one in the workspace when the site rests on example data.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import quote

from jamlik.invest.results import InvestmentResult, PerspectiveResult
from jamlik.invest.store import list_investments
from jamlik.invest.text import money, percent
from jamlik.report.document import Fact, InvestmentBlock, Table
from jamlik.report.i18n import t as report_t
from jamlik.report.invest_content import investment_chapter
from jamlik.report.investments import InvestmentSelection, ReportedInvestment, select_investments
from jamlik.web.context import PageContext
from jamlik.web.i18n import Lang
from jamlik.web.refs import initiative_href, period_fact

BASE = "/investeringar"

# Interface words of these pages only, (Swedish, English). They live here rather than in the
# site's translation files so that the investment pages stand on their own; the shared words
# (table captions, column headings) are the report's.
LABELS: dict[str, tuple[str, str]] = {
    "heading": ("Sociala investeringar", "Social investments"),
    "none": (
        "Arbetsytan har inga sociala investeringar att visa. Lägg till dem med "
        "jamlik invest import FIL och räkna dem med jamlik invest calc INSATS.",
        "The workspace holds no social investments to show. Add them with "
        "jamlik invest import FILE and calculate them with jamlik invest calc INITIATIVE.",
    ),
    "table_caption": (
        "Sociala investeringar: nettonuvärde för samhället, chansen att nyttan är större än "
        "kostnaden och effektuppföljningens slutsats",
        "Social investments: net present value for society, the chance that benefits exceed "
        "costs, and the conclusion of the effect follow-up",
    ),
    "col_title": ("Insats", "Initiative"),
    "col_funder": ("Finansiär", "Funder"),
    "col_period": ("Tidsperiod", "Period"),
    "col_npv": ("Nettonuvärde för samhället", "Net present value for society"),
    "col_chance": ("Chans att nyttan är större än kostnaden", "Chance benefits exceed costs"),
    "col_effect": ("Effektuppföljning", "Effect follow-up"),
    "interval": ("{level} intervall {lo} till {hi}", "{level} interval {lo} to {hi}"),
    "not_calculated": ("Inte beräknad", "Not calculated"),
    "not_stated": ("Inte angivet", "Not stated"),
    "about": ("Om investeringen", "About the investment"),
    "charts": ("Diagram", "Charts"),
    "initiative_page": ("Insatsens sida", "The initiative's page"),
    "back": ("Alla sociala investeringar", "All social investments"),
    "verdict.effect_found": ("Effekt påvisad", "Effect found"),
    "verdict.no_effect_found": ("Ingen effekt påvisad", "No effect found"),
    "verdict.too_little_data": ("För lite data", "Too little data"),
    "verdict.inconclusive": ("Ingen slutsats", "Inconclusive"),
    "verdict.none": ("Ingen effektuppföljning planerad", "No effect follow-up planned"),
}


def label(key: str, lang: Lang, **fields: object) -> str:
    """One of the pages' own interface words in `lang`."""
    sv, en = LABELS[key]
    text = sv if lang == "sv" else en
    return text.format(**fields) if fields else text


def investment_href(initiative_id: str) -> str:
    return f"{BASE}/{quote(initiative_id)}"


def results_stamp(ctx: PageContext) -> tuple[tuple[str, str | None], ...]:
    """What changes when an investment is imported or calculated again (the site's own
    fingerprint follows imports of data and programmes, not stored calculations)."""
    return tuple((i.initiative, i.computed_at) for i in list_investments(ctx.settings.workspace))


def selection(ctx: PageContext) -> InvestmentSelection:
    """The investments the site shows, under the yearly report's rule; a visitor without an
    account sees only those of published programmes (the rest of the site's rule)."""
    chosen = select_investments(
        ctx.settings.workspace,
        ctx.snap.programme.id,
        "auto",
        fictitious=ctx.fictitious,
        policy=ctx.settings.policy,
    )
    if ctx.viewer.user is not None:
        return chosen
    shown = [i for i in chosen.items if i.programme is not None and i.programme.published]
    return dataclasses.replace(chosen, items=shown)


def blocks(chosen: InvestmentSelection, lang: Lang) -> list[InvestmentBlock]:
    """The report's block for each selected investment, in the selection's order."""
    chapter = investment_chapter(chosen, lang)
    return chapter.blocks if chapter is not None else []


def table_facts(table: Table) -> dict[str, Any]:
    """A report table as facts (the shape `macros.data_table` reads)."""
    return {
        "id": table.id,
        "caption": table.caption,
        "columns": list(table.columns),
        "rows": [
            [
                {"text": c.text, "value": c.value, "suppressed": c.suppressed, "numeric": c.numeric}
                for c in row
            ]
            for row in table.rows
        ],
    }


def fact_list(facts: list[Fact]) -> list[dict[str, Any]]:
    return [{"label": f.label, "text": f.text, "lang": f.lang} for f in facts]


def perspective_facts(p: PerspectiveResult, level: float, lang: Lang) -> dict[str, Any]:
    """One perspective's figures, raw (kronor, shares) and as the page writes them."""
    return {
        "perspective": p.perspective,
        "label": p.label_sv if lang == "sv" else p.label_en,
        "pv_costs": p.pv_costs,
        "pv_benefits": p.pv_benefits,
        "npv": p.npv,
        "npv_lo": p.npv_interval.lo,
        "npv_hi": p.npv_interval.hi,
        "interval_level": level,
        "bcr": p.bcr,
        "payback_year": p.payback_year,
        "p_benefits_exceed_costs": p.p_benefits_exceed_costs,
        "npv_text": money(p.npv, lang),
        "interval_text": label(
            "interval",
            lang,
            level=percent(level, lang),
            lo=money(p.npv_interval.lo, lang),
            hi=money(p.npv_interval.hi, lang),
        ),
        "chance_text": percent(p.p_benefits_exceed_costs, lang),
    }


def verdict_facts(block: InvestmentBlock, result: InvestmentResult | None, lang: Lang) -> dict:
    """The effect follow-up's conclusion: its code, a short label and the sentences that go
    with it (the verdict and what it does not say)."""
    effect = result.effect if result is not None else None
    code = block.effect_verdict or "none"
    return {
        "design": effect.design if effect is not None else None,
        "design_text": block.effect_design,
        "verdict": {"code": code, "label": label(f"verdict.{code}", lang)},
        "text": block.effect_text,
        "caveat": block.effect_caveat,
    }


def _funder(block: InvestmentBlock, lang: Lang) -> str | None:
    wanted = report_t("funder", lang)
    return next((f.text for f in block.facts if f.label == wanted), None)


def summary(ctx: PageContext, item: ReportedInvestment, block: InvestmentBlock) -> dict[str, Any]:
    """What the list says about one investment."""
    lang = ctx.lang
    inv, result, ini = item.investment, item.result, item.initiative
    society = None
    if result is not None:
        society = perspective_facts(
            result.perspective("society"), result.settings.interval_level, lang
        )
    return {
        "id": inv.initiative,
        "title": block.title,
        "href": investment_href(inv.initiative),
        "programme": item.programme.id if item.programme is not None else None,
        "programme_note": block.programme_note,
        "funder": _funder(block, lang),
        "period": period_fact(ini.period) if ini is not None else None,
        "fictitious": block.fictitious,
        "calculated": result is not None,
        "society": society,
        "effect": verdict_facts(block, result, lang),
    }


def detail(ctx: PageContext, item: ReportedInvestment, block: InvestmentBlock) -> dict[str, Any]:
    """Everything the page of one investment states (charts' specifications go in the view)."""
    lang = ctx.lang
    result, ini = item.result, item.initiative
    in_site = ini is not None and any(i.id == ini.id for i in ctx.snap.programme.initiatives)
    level = result.settings.interval_level if result is not None else None
    return {
        **summary(ctx, item, block),
        "initiative_href": initiative_href(ini.id) if in_site and ini is not None else None,
        "purpose": ini.purpose if ini is not None else None,
        "facts": fact_list(block.facts),
        "costs": table_facts(block.costs),
        "cost_notes": block.cost_notes,
        "perspectives": [perspective_facts(p, level, lang) for p in result.perspectives]
        if result is not None and level is not None
        else [],
        "perspectives_table": table_facts(block.perspectives) if block.perspectives else None,
        "perspective_note": block.perspective_note,
        "economics": block.economics,
        "break_even": block.break_even,
        "followup": block.followup,
        "calculation": block.calculation,
        "result_missing": block.result_missing,
    }
