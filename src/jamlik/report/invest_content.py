"""The social-investment chapter: one block per investment the report shows.

Every sentence about the economics and the effect comes from `jamlik.invest.text` (the same
words the command line and the web use); this module only puts them in order beside the cost
table, the table by perspective and the charts (`jamlik.report.invest_figures`).
"""

from __future__ import annotations

from jamlik.invest.model import PAYERS, Investment
from jamlik.invest.results import PARTY_LABELS, InvestmentResult
from jamlik.invest.text import (
    break_even_sentence,
    design_sentence,
    discount_words,
    economics_sentences,
    main_payer,
    percent,
    verdict_caveat,
)
from jamlik.programme import Programme
from jamlik.report.document import (
    Cell,
    Fact,
    InvestmentBlock,
    InvestmentChapter,
    Table,
    anchor,
)
from jamlik.report.figures import value_cell
from jamlik.report.i18n import Lang, number, percent_level, t
from jamlik.report.invest_figures import investment_charts, money_cell
from jamlik.report.investments import InvestmentSelection, ReportedInvestment

CHAPTER_ID = "social-investments"
MONEY = {"pv_costs", "pv_benefits", "npv", "npv_lo", "npv_hi"}  # columns in millions


def investment_chapter(selection: InvestmentSelection, lang: Lang) -> InvestmentChapter | None:
    """The chapter for the selected investments (None when there is none to show)."""
    if not selection.items:
        return None
    scope_note = (
        t(
            "investments_elsewhere" + ("_one" if selection.elsewhere == 1 else ""),
            lang,
            n=selection.elsewhere,
        )
        if selection.scope == "programme" and selection.elsewhere
        else ""
    )
    return InvestmentChapter(
        id=CHAPTER_ID,
        title=t("investments", lang),
        intro=t(f"investments_intro_{selection.scope}", lang),
        scope_note=scope_note,
        blocks=[_block(item, selection.programme, lang) for item in selection.items],
    )


def _block(item: ReportedInvestment, reported: str, lang: Lang) -> InvestmentBlock:
    inv, result, programme = item.investment, item.result, item.programme
    block_id = anchor(f"invest-{inv.initiative}")
    note = ""
    if programme is not None and programme.id != reported:
        title = programme.title if lang == "sv" else (programme.title_en or programme.title)
        note = t("investment_programme", lang, programme=title)
    effect = result.effect if result is not None else None
    return InvestmentBlock(
        id=block_id,
        title=_title(item, lang),
        fictitious=inv.fictitious or bool(result and result.fictitious),
        programme_note=note,
        facts=_facts(item, lang),
        costs=_costs(inv, block_id, lang),
        cost_notes=_cost_notes(inv, lang),
        perspectives=_perspectives(result, block_id, lang) if result else None,
        perspective_note=t("perspectives_dash", lang) if result else "",
        economics=economics_sentences(result, lang) if result else [],
        break_even=_break_even(result, lang) if result else [],
        effect_design=(
            design_sentence(effect, lang) if effect is not None else t("no_effect_design", lang)
        ),
        effect_verdict=effect.verdict.code if effect is not None else "",
        effect_text=(effect.verdict.text_sv if lang == "sv" else effect.verdict.text_en)
        if effect is not None
        else "",
        effect_caveat=verdict_caveat(effect.verdict.code, lang) if effect is not None else "",
        charts=investment_charts(result, block_id, lang, item.hidden_periods) if result else [],
        followup=_followup_notes(inv, lang),
        calculation=_calculation(result, lang) if result else "",
        result_missing="" if result else t("not_calculated", lang, id=inv.initiative),
    )


def _title(item: ReportedInvestment, lang: Lang) -> str:
    ini, result = item.initiative, item.result
    if ini is not None:
        return ini.title if lang == "sv" else (ini.title_en or ini.title)
    if result is not None and (result.title or result.title_en):
        return (result.title_en if lang == "en" and result.title_en else result.title) or ""
    return item.investment.initiative


def _actor_name(programme: Programme | None, actor_id: str | None, lang: Lang) -> str | None:
    if programme is None or actor_id is None:
        return actor_id
    actor = next((a for a in programme.actors if a.id == actor_id), None)
    if actor is None:
        return actor_id
    return actor.name if lang == "sv" else (actor.name_en or actor.name)


def _facts(item: ReportedInvestment, lang: Lang) -> list[Fact]:
    inv, ini, programme = item.investment, item.initiative, item.programme
    facts = []
    if ini is not None and ini.purpose:
        # The purpose is quoted as the programme states it (in Swedish): marked as such.
        facts.append(Fact(t("purpose", lang), ini.purpose, None if lang == "sv" else "sv"))
    budget = ini.budget if ini is not None else None
    funder = _actor_name(programme, inv.funder, lang) or inv.funder_text
    if funder is None and budget is not None:
        funder = _actor_name(programme, budget.funder, lang) or budget.funder_text
    if funder:
        facts.append(Fact(t("funder", lang), funder))
    if ini is not None and ini.owner:
        facts.append(Fact(t("owner", lang), _actor_name(programme, ini.owner, lang) or ""))
    if ini is not None and ini.period is not None:
        span = f"{ini.period.start.isoformat()} – {ini.period.end.isoformat()}"
        facts.append(Fact(t("time_period", lang), span))
    if ini is not None and ini.target_group is not None:
        group = ini.target_group
        text = group.text if lang == "sv" else (group.text_en or group.text)
        if text:
            facts.append(Fact(t("target_group", lang), text))
    if ini is not None and ini.status:
        facts.append(Fact(t("status", lang), t(f"initiative_{ini.status}", lang)))
    payers = _payers(inv, programme, lang)
    if payers:
        facts.append(Fact(t("payers", lang), payers))
    return facts


def _payers(inv: Investment, programme: Programme | None, lang: Lang) -> str:
    """Who pays, payer by payer: the committee or actor named on the cost lines."""
    names: dict[str, list[str]] = {}
    for cost in inv.costs:
        name = cost.committee or _actor_name(programme, cost.actor, lang)
        if name and name not in names.setdefault(cost.payer, []):
            names[cost.payer].append(name)
    parts = []
    for payer in PAYERS:
        if payer in names:
            label = PARTY_LABELS[payer][0 if lang == "sv" else 1]
            parts.append(f"{label}: {', '.join(names[payer])}" if names[payer] else label)
    return "; ".join(parts)


def _costs(inv: Investment, block_id: str, lang: Lang) -> Table:
    """Planned costs by year (rows) and payer (columns), whole kronor, with totals."""
    payers = [p for p in PAYERS if any(c.payer == p for c in inv.costs)]
    years = sorted({c.year for c in inv.costs})
    amount = {(y, p): 0.0 for y in years for p in payers}
    for c in inv.costs:
        amount[(c.year, c.payer)] += c.amount.mean()
    labels = [PARTY_LABELS[p][0 if lang == "sv" else 1] for p in payers]

    def kronor(x: float) -> Cell:
        return Cell(number(x, lang, 0), round(x), numeric=True)

    rows = [
        [Cell(str(y), y), *(kronor(amount[(y, p)]) for p in payers),
         kronor(sum(amount[(y, p)] for p in payers))]
        for y in years
    ]  # fmt: skip
    total = t("total", lang)
    rows.append(
        [Cell(total, total), *(kronor(sum(amount[(y, p)] for y in years)) for p in payers),
         kronor(sum(amount.values()))]
    )  # fmt: skip
    return Table(
        id=f"{block_id}-costs",
        caption=t("costs_table", lang, year=inv.price_year),
        columns=[t("year", lang), *labels, total],
        rows=rows,
    )


def _cost_notes(inv: Investment, lang: Lang) -> list[str]:
    notes = []
    if any(c.amount.dist != "fixed" for c in inv.costs):
        notes.append(t("costs_mean", lang))
    bias = inv.optimism_bias.mean()
    if bias > 0:
        notes.append(t("optimism_bias", lang, pct=percent(bias, lang)))
    return notes


def _perspectives(result: InvestmentResult, block_id: str, lang: Lang) -> Table:
    level = percent_level(result.settings.interval_level, lang)
    rows = []
    for p in result.perspectives:
        label = p.label_sv if lang == "sv" else p.label_en
        payback = p.payback_year
        rows.append([
            Cell(label, label),
            money_cell(p.pv_costs, lang),
            money_cell(p.pv_benefits, lang),
            money_cell(p.npv, lang),
            money_cell(p.npv_interval.lo, lang),
            money_cell(p.npv_interval.hi, lang),
            value_cell(p.bcr, lang, 2, False) if p.bcr is not None else _none(),
            Cell(str(payback), payback, numeric=True) if payback is not None else _none(),
            Cell(percent(p.p_benefits_exceed_costs, lang),
                 round(p.p_benefits_exceed_costs * 100, 2), numeric=True),
        ])  # fmt: skip
    columns = ["perspective", "pv_costs", "pv_benefits", "npv", "npv_lo", "npv_hi", "bcr",
               "payback_year", "chance"]  # fmt: skip
    return Table(
        id=f"{block_id}-perspectives",
        caption=t("perspectives_table", lang, year=result.settings.price_year, level=level),
        columns=[
            t("money_column", lang, column=t(c, lang)) if c in MONEY else t(c, lang)
            for c in columns
        ],  # fmt: skip
        rows=rows,
    )


def _none() -> Cell:
    """A figure that does not exist for a perspective (no costs, or no payback): a dash, which
    the table's note explains; not "missing", which would say data are lacking."""
    return Cell("–", None, numeric=True)


def _break_even(result: InvestmentResult, lang: Lang) -> list[str]:
    """Break-even for society and for the party that pays most, as the command line says it."""
    society = result.perspective("society")
    payer = main_payer(result)
    chosen = [society] if payer.pv_costs <= 0 else [society, payer]
    return [break_even_sentence(p, b, lang) for p in chosen for b in p.break_even]


def _followup_notes(inv: Investment, lang: Lang) -> list[str]:
    out = []
    for f in sorted(inv.followup, key=lambda f: f.year):
        note = f.note if lang == "sv" else (f.note_en or f.note)
        if f.spent_sek is not None:
            note += f" ({t('spent', lang, amount=number(f.spent_sek, lang, 0))})"
        out.append(f"{f.year}: {note}")
    return out


def _calculation(result: InvestmentResult, lang: Lang) -> str:
    s = result.settings
    return t(
        "calculation",
        lang,
        draws=number(s.draws, lang, 0),
        seed=s.seed,
        discount=discount_words(s, lang),
        first=s.base_year,
        last=s.base_year + s.horizon - 1,
        price=s.price_year,
        date=(result.computed_at or "")[:10] or "–",
    )
