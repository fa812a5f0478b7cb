"""Every word the report itself says, in Swedish and English, and how numbers are written.

Texts that come with the data (titles, verdict sentences, reasons) are already bilingual in the
follow-up result; this module holds only the report's own interface text, so a translator finds
all of it in one place. Swedish follows Språkrådet: decimal comma, a true minus sign, a
non-breaking space as thousands separator and before the per cent sign.
"""

from __future__ import annotations

import math
from typing import Literal

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")

# d3-format / d3-time-format locale names for vl-convert and vega-embed.
CHART_LOCALE: dict[Lang, str] = {"sv": "sv-SE", "en": "en-GB"}

STRINGS: dict[str, tuple[str, str]] = {
    # (Swedish, English)
    "report_kind": ("Årlig uppföljning", "Yearly follow-up"),
    "report_title": ("Uppföljning {year}", "Follow-up {year}"),
    "fictitious": ("Fiktiva exempeldata", "Fictitious example data"),
    "fictitious_note": (
        "Allt i den här rapporten är påhittat: kommunen, områdena, insatserna och siffrorna. "
        "Den visar hur en uppföljning kan se ut.",
        "Everything in this report is invented: the municipality, the districts, the "
        "initiatives and the numbers. It shows what a follow-up can look like.",
    ),
    "skip_link": ("Hoppa till innehållet", "Skip to content"),
    "toc": ("Innehåll", "Contents"),
    "summary": ("Sammanfattning", "Summary"),
    "summary_intro": (
        "Status för varje målområde med skälen till den.",
        "The status of each target area, with the reasons for it.",
    ),
    "target_area": ("Målområde", "Target area"),
    "programme_part": ("Del av programmet", "Part of the programme"),
    "status": ("Status", "Status"),
    "reasons": ("Skäl", "Reasons"),
    "indicator": ("Indikator", "Indicator"),
    "level": ("Nivå", "Level"),
    "target": ("Mål", "Target"),
    "gap": ("Skillnad", "Gap"),
    "flags": ("Att uppmärksamma", "To note"),
    "initiatives": ("Insatser", "Initiatives"),
    "initiatives_none": (
        "Inga insatser är kopplade till indikatorn.",
        "No initiatives are linked to the indicator.",
    ),
    "initiative": ("Insats", "Initiative"),
    "reach": ("Räckvidd", "Reach"),
    "reached_people": ("{n} personer nådda {period}", "{n} people reached in {period}"),
    "reached_hidden": ("antal nådda {period}: {word}", "people reached in {period}: {word}"),
    "no_reach": ("ingen räckvidd redovisad", "no reach reported"),
    "coverage": ("Täckning", "Coverage"),
    "coverage_intro": (
        "Delar av programmet som saknar insatser, insatser utan koppling, insatser som passerat "
        "sitt slutdatum och indikatorer utan mål.",
        "Parts of the programme without initiatives, initiatives linked to nothing, initiatives "
        "past their end date and indicators without a target.",
    ),
    "coverage_none": ("Inget att anmärka.", "Nothing to note."),
    "reach_need": ("Räckvidd och behov", "Reach and need"),
    "reach_need_intro": (
        "Når insatserna dem som behöver dem mest? Räckvidden per invånare i målgruppen jämförs "
        "med ett behovsmått stadsområde för stadsområde.",
        "Do the initiatives reach those who need them most? Reach per inhabitant of the target "
        "group is compared with a measure of need, district by district.",
    ),
    "reach_need_none": (
        "Ingen insats har räckvidd redovisad per stadsområde.",
        "No initiative reports reach by district.",
    ),
    "appendix": ("Bilaga", "Appendix"),
    "methods": ("Metoder", "Methods"),
    "methods_intro": (
        "Måtten på skillnader som rapporten använder, ur jamliks katalog över mått, och hur "
        "deras konfidensintervall räknas.",
        "The measures of gaps this report uses, from jamlik's catalogue of measures, and how "
        "their confidence intervals are worked out.",
    ),
    "method_notes_intro": (
        "Så görs uppföljningen, steg för steg.",
        "How the follow-up is done, step by step.",
    ),
    "measures": ("Mått på skillnader", "Measures of gaps"),
    "interval": ("Intervall", "Interval"),
    "sources": ("Källor", "Sources"),
    "sources_intro": (
        "Varifrån uppgifterna kommer och när de lästes in.",
        "Where the data come from and when they were imported.",
    ),
    "source": ("Källa", "Source"),
    "suppression": ("Röjandekontroll", "Suppression of small groups"),
    "suppression_rule": (
        "Värden som bygger på färre än {n} personer visas inte, varken i diagram, tabeller "
        "eller filer. Där står i stället ”{word}”. Fler värden döljs (”{word2}”) så att inget "
        "dolt värde kan räknas fram eller ringas in ur summor över områden och grupper.",
        "Values based on fewer than {n} people are not shown, in charts, tables or files. "
        "They read “{word}” instead. Further values are hidden (“{word2}”) so that no hidden "
        "value can be worked out or narrowed down from sums over areas and groups.",
    ),
    "suppressed": ("Dold (för få personer)", "Suppressed (too few people)"),
    "suppressed_secondary": (
        "Dold (skyddar en annan uppgift)",
        "Suppressed (protects another value)",
    ),
    "missing": ("Saknas", "Missing"),
    "suppressed_points_note": (
        "Punkter saknas där värdet är dolt för att det bygger på för få personer.",
        "Points are missing where the value is suppressed because it rests on too few people.",
    ),
    "csv_note": (
        "Rapportens tabeller finns också som CSV-filer i mappen {folder}.",
        "The report's tables are also available as CSV files in the folder {folder}.",
    ),
    "page": ("Sida", "Page"),
    "generated": ("Skapad {date} med jamlik", "Generated {date} with jamlik"),
    # Chart axes and legends
    "axis_period": ("År", "Year"),
    "axis_subgroup": ("Grupp", "Group"),
    "axis_interval": ("{level} konfidensintervall", "{level} confidence interval"),
    "axis_equality": ("Ingen skillnad", "No gap"),
    "axis_reach": ("Nådda per 1 000 i målgruppen", "Reached per 1,000 in the target group"),
    "district": ("Stadsområde", "District"),
    "value": ("Värde", "Value"),
    "lower": ("Nedre gräns", "Lower bound"),
    "upper": ("Övre gräns", "Upper bound"),
    "period": ("Period", "Period"),
    # Alt texts: one sentence each that says what the chart shows
    "alt_level_multiples": (
        "Små linjediagram över {indicator} efter {dimension}, {first}–{last}: ett diagram per "
        "grupp med gruppens linje i färg och övriga gruppers linjer i grått.",
        "Small line charts of {indicator} by {dimension}, {first}–{last}: one chart per group "
        "with the group's line in colour and the other groups' lines in grey.",
    ),
    "alt_level": (
        "Linjediagram över {indicator} efter {dimension}, {first}–{last}, en linje per grupp.",
        "Line chart of {indicator} by {dimension}, {first}–{last}, one line per group.",
    ),
    "alt_gap": (
        "Linjediagram över {measure} för {indicator} efter {dimension}, {first}–{last}, med "
        "konfidensintervall som skuggat band och en referenslinje där skillnaden är noll.",
        "Line chart of {measure} for {indicator} by {dimension}, {first}–{last}, with the "
        "confidence interval as a shaded band and a reference line where there is no gap.",
    ),
    "alt_reach": (
        "Punktdiagram för {initiative}: behov ({need}) mot räckvidd per 1 000 i målgruppen, "
        "en punkt per stadsområde, {period}.",
        "Scatter plot for {initiative}: need ({need}) against reach per 1,000 in the target "
        "group, one point per district, {period}.",
    ),
    # Status words: never a colour without one of these beside it
    "status_improving": ("Förbättras", "Improving"),
    "status_mixed": ("Blandat", "Mixed"),
    "status_worsening": ("Försämras", "Worsening"),
    "status_unchanged": ("Ingen tydlig förändring", "No clear change"),
    "status_no_data": ("Data saknas", "No data"),
    "target_met": ("Målet är nått", "Target met"),
    "target_on_track": ("På väg mot målet", "On track"),
    "target_off_track": ("Inte på väg mot målet", "Off track"),
    "target_no_target": ("Inget mål", "No target"),
    "target_no_data": ("Data saknas", "No data"),
    "verdict_narrowing": ("Skillnaden minskar", "The gap is narrowing"),
    "verdict_widening": ("Skillnaden ökar", "The gap is widening"),
    "verdict_no clear change": ("Ingen tydlig förändring", "No clear change"),
    "verdict_too few points": ("För få mätpunkter", "Too few points"),
    "initiative_planned": ("Planerad", "Planned"),
    "initiative_ongoing": ("Pågående", "Ongoing"),
    "initiative_completed": ("Avslutad", "Completed"),
    "initiative_past_end": ("Slutdatum passerat", "End date passed"),
    "initiative_paused": ("Pausad", "Paused"),
    "initiative_cancelled": ("Avbruten", "Cancelled"),
    "kind_goal": ("Mål", "Goal"),
    "kind_target_area": ("Målområde", "Target area"),
    "kind_strategy": ("Strategi", "Strategy"),
    "kind_focus_area": ("Fokusområde", "Focus area"),
    "kind_priority_area": ("Prioriterat område", "Priority area"),
    "kind_aim": ("Inriktning", "Aim"),
    "coverage_node_without_initiative": (
        "Delar av programmet utan insatser",
        "Parts of the programme without initiatives",
    ),
    "coverage_initiative_unlinked": (
        "Insatser utan koppling till programmet",
        "Initiatives linked to nothing in the programme",
    ),
    "coverage_initiative_overdue": (
        "Insatser som passerat sitt slutdatum men står som pågående",
        "Initiatives past their end date still marked ongoing",
    ),
    "coverage_indicator_without_target": ("Indikatorer utan mål", "Indicators without a target"),
    "reach_verdict_most_need": ("Når dem med störst behov", "Reaches those with most need"),
    "reach_verdict_evenly": ("Når alla lika", "Reaches all evenly"),
    "reach_verdict_least_need": ("Når dem med minst behov", "Reaches those with least need"),
    # The council summary (jamlik.report.council)
    "council_title": (
        "Sammanfattning för kommunstyrelsen och kommunfullmäktige",
        "Summary for the municipal executive board and council",
    ),
    "council_intro": (
        "De viktigaste resultaten av uppföljningen {year} på några sidor: målet, hur "
        "skillnaderna har förändrats, vad aktörerna har bedömt och vad som behöver beslut. "
        "Den fullständiga rapporten med alla indikatorer, diagram, tabeller och metoder följer "
        "som bilaga.",
        "The main results of the {year} follow-up in a few pages: the goal, how the gaps have "
        "changed, what the actors judged and what needs decisions. The full report, with every "
        "indicator, chart, table and method, follows as the appendix.",
    ),
    "council_goal": ("Målet", "The goal"),
    "council_goal_status": (
        "Beräknad status för målet: {status}. Målområdena:",
        "Computed status of the goal: {status}. The target areas:",
    ),
    "council_gaps": ("Hur skillnaderna har förändrats", "How the gaps have changed"),
    "council_gaps_sentence": (
        "Uppföljningen följer {n} skillnader mellan grupper (en per indikator och "
        "indelning). {narrowing} har minskat, {widening} har ökat och för {unclear} går det "
        "inte att säga om de har ändrats{few}.",
        "The follow-up tracks {n} gaps between groups (one per indicator and breakdown). "
        "{narrowing} have narrowed, {widening} have widened and for {unclear} no clear change "
        "can be seen{few}.",
    ),
    "council_gaps_few": (
        "; {n} har för få mätpunkter för en bedömning",
        "; {n} have too few points to judge",
    ),
    "council_gaps_table": ("Skillnader efter utveckling", "Gaps by direction"),
    "council_gaps_direction": ("Utveckling", "Direction"),
    "council_gaps_count": ("Antal", "Number"),
    "council_widening": ("Skillnader som ökar", "Gaps that are widening"),
    "council_narrowing": ("Skillnader som minskar", "Gaps that are narrowing"),
    "council_gap_widening": (
        "skillnaden efter {dimension} har ökat {first}–{last}.",
        "the gap by {dimension} has widened {first}–{last}.",
    ),
    "council_gap_narrowing": (
        "skillnaden efter {dimension} har minskat {first}–{last}.",
        "the gap by {dimension} has narrowed {first}–{last}.",
    ),
    "council_gap_worse": (
        " Samtidigt har nivån blivit sämre.",
        " At the same time the level has worsened.",
    ),
    "and": (" och ", " and "),
    "council_more": ("… och {n} till (se bilagan).", "… and {n} more (see the appendix)."),
    "council_actors": ("Vad aktörerna har bedömt", "What the actors judged"),
    "council_actors_period": (
        "Godkända bedömningar och insatsrapporter för perioden ”{period}”.",
        "Approved assessments and initiative reports of the period “{period}”.",
    ),
    "council_actors_none": (
        "Det finns inga godkända bedömningar eller insatsrapporter för året. Statusen nedan är "
        "den som jamlik har räknat fram ur indikatorerna, inte en bedömning av en person.",
        "There are no approved assessments or initiative reports for the year. The status "
        "below is the one jamlik computed from the indicators, not a person's judgement.",
    ),
    "council_computed": ("beräknad", "computed"),
    "council_judged": ("bedömd", "judged"),
    "council_no_assessment": (
        "Ingen godkänd bedömning. Beräknad status: {status}.",
        "No approved assessment. Computed status: {status}.",
    ),
    "council_reports_counts": (
        "{n} godkända insatsrapporter: {counts}.",
        "{n} approved initiative reports: {counts}.",
    ),
    "council_troubled": (
        "Insatser med risk, försening eller som inte kan bedömas",
        "Initiatives at risk, delayed or not assessable",
    ),
    # The follow-up cycle in the chapters (jamlik.report.cycle_content)
    "cycle_heading": (
        "{period}: bedömningar och rapporter",
        "{period}: assessments and reports",
    ),
    "cycle_assessments": ("Bedömningar", "Assessments"),
    "cycle_reports": ("Insatsrapporter", "Initiative reports"),
    "cycle_status_line": (
        "Bedömd status: {judged}. Beräknat förslag enligt regeln: {computed}.",
        "Judged status: {judged}. Computed proposal by the rule: {computed}.",
    ),
    "cycle_report_status": ("Status: {status}.", "Status: {status}."),
    "cycle_none": ("ingen", "none"),
    "cycle_analysis": ("Analys", "Analysis"),
    "cycle_judgement": ("Bedömning", "Judgement"),
    "cycle_measures": ("Åtgärder", "Actions"),
    "cycle_judged_reason": ("Skäl för bedömningen", "Reason for the judgement"),
    "cycle_comment": ("Kommentar", "Comment"),
    "cycle_done": ("Det här har gjorts", "What was done"),
    "cycle_next": ("Nästa steg", "Next steps"),
    "cycle_money_label": ("Använda medel", "Money used"),
    "cycle_money_of": (
        "{used} kr av en budget på {budget} kr",
        "SEK {used} of a budget of SEK {budget}",
    ),
    "cycle_money": ("{used} kr", "SEK {used}"),
    "cycle_reached": (
        "{n} personer nådda i {areas} områden",
        "{n} people reached in {areas} areas",
    ),
    "council_decisions": ("Det här behöver beslut", "What needs decisions"),
    "council_decisions_none": (
        "Uppföljningen pekar inte ut något som behöver beslut.",
        "The follow-up points out nothing that needs a decision.",
    ),
    "council_widening_alone": (
        "Skillnader som ökar utan någon insats",
        "Widening gaps without any initiative",
    ),
    "council_widening_alone_text": (
        "skillnaden efter {dimension} ökar och ingen insats är kopplad till indikatorn.",
        "the gap by {dimension} is widening and no initiative is linked to the indicator.",
    ),
    "council_strategies_alone": ("Strategier utan insatser", "Strategies without initiatives"),
    "council_strategies_alone_text": (
        "{n} av {total} saknar insats: {titles}.",
        "{n} of {total} have no initiative: {titles}.",
    ),
    "council_actions_overdue": (
        "Åtgärder som är försenade",
        "Corrective actions that are overdue",
    ),
    "council_action_text": (
        "skulle vara klar {due}{owner}.",
        "was due {due}{owner}.",
    ),
    "council_action_owner": (", ansvarig: {owner}", ", owner: {owner}"),
    "council_initiatives_ended": (
        "Insatser som har passerat sitt slutdatum",
        "Initiatives past their end date",
    ),
    "reach_verdict_too_few_areas": ("För få stadsområden", "Too few districts"),
    "population_target_group": ("Målgrupp (personer)", "Target group (people)"),
    "reached": ("Nådda", "Reached"),
    "per_1000": ("Nådda per 1 000", "Reached per 1,000"),
    "need": ("Behov", "Need"),
    "gap_axis": ("{code}", "{code}"),
    "gap_axis_unit": ("{code}, {unit}", "{code}, {unit}"),
    "level_table": ("{indicator} efter {dimension}", "{indicator} by {dimension}"),
    "gap_table": (
        "{measure} för {indicator} efter {dimension}, med konfidensintervall",
        "{measure} for {indicator} by {dimension}, with confidence interval",
    ),
    "reach_table": (
        "Räckvidd och behov per stadsområde: {initiative}, {period}",
        "Reach and need by district: {initiative}, {period}",
    ),
    "shown_in": (
        "Indikatorn redovisas under {chapter}.",
        "The indicator is reported under {chapter}.",
    ),
    "other_indicators": ("Övergripande indikatorer", "Overall indicators"),
    "chart_level": ("{indicator}: nivå efter {dimension}", "{indicator}: level by {dimension}"),
    "chart_gap": (
        "{indicator}: {measure} efter {dimension}",
        "{indicator}: {measure} by {dimension}",
    ),
    "chart_reach": ("{initiative}: räckvidd och behov", "{initiative}: reach and need"),
    # The social-investment chapter
    "investments": ("Sociala investeringar", "Social investments"),
    "investments_intro_programme": (
        "Programmets sociala investeringar: vad de kostar och vem som betalar, vad kalkylen "
        "säger att de ger tillbaka och för vem, och vad uppföljningen av effekterna visar.",
        "The programme's social investments: what they cost and who pays, what the calculation "
        "says they give back and to whom, and what the follow-up of their effects shows.",
    ),
    "investments_intro_workspace": (
        "Alla sociala investeringar i arbetsytan, också de som hör till andra program: vad de "
        "kostar och vem som betalar, vad kalkylen säger att de ger tillbaka och för vem, och "
        "vad uppföljningen av effekterna visar.",
        "Every social investment in the workspace, also those of other programmes: what they "
        "cost and who pays, what the calculation says they give back and to whom, and what the "
        "follow-up of their effects shows.",
    ),
    "investments_elsewhere": (
        "Arbetsytan har {n} sociala investeringar till som hör till andra program; de redovisas "
        "i de programmens rapporter.",
        "The workspace holds {n} more social investments that belong to other programmes; they "
        "are reported in those programmes' reports.",
    ),
    "investments_elsewhere_one": (
        "Arbetsytan har en social investering till som hör till ett annat program; den "
        "redovisas i det programmets rapport.",
        "The workspace holds one more social investment that belongs to another programme; it "
        "is reported in that programme's report.",
    ),
    "investment_programme": (
        "Hör till programmet {programme}.",
        "Part of the programme {programme}.",
    ),
    "purpose": ("Syfte", "Purpose"),
    "funder": ("Finansiär", "Funder"),
    "owner": ("Ansvarig", "Responsible"),
    "time_period": ("Tidsperiod", "Period"),
    "target_group": ("Målgrupp", "Target group"),
    "payers": ("Betalare", "Payers"),
    "costs": ("Kostnader", "Costs"),
    "costs_table": (
        "Planerade kostnader per år och betalare, kronor i {year} års priser",
        "Planned costs by year and payer, SEK in {year} prices",
    ),
    "costs_mean": (
        "Osäkra belopp står som medelvärdet av sin fördelning.",
        "Uncertain amounts are shown as the mean of their distribution.",
    ),
    "optimism_bias": (
        "Kalkylen lägger dessutom på {pct} i genomsnitt på alla kostnader, för att kostnader "
        "brukar bli högre än planerat.",
        "The calculation also adds {pct} on average to every cost, because costs tend to turn "
        "out higher than planned.",
    ),
    "total": ("Totalt", "Total"),
    "year": ("År", "Year"),
    "economics": ("Kalkyl per perspektiv", "Calculation by perspective"),
    "perspectives_table": (
        "Nuvärden per perspektiv, miljoner kronor i {year} års priser, med {level} intervall "
        "för nettonuvärdet",
        "Present values by perspective, SEK million in {year} prices, with the {level} "
        "interval of the net present value",
    ),
    "perspectives_dash": (
        "Ett streck betyder att talet inte finns: perspektivet har inga kostnader, eller "
        "investeringen betalar sig inte för det inom kalkylens år.",
        "A dash means the figure does not exist: the perspective bears no costs, or the "
        "investment does not pay back for it within the calculation's years.",
    ),
    "perspective": ("Perspektiv", "Perspective"),
    "pv_costs": ("Kostnader", "Costs"),
    "pv_benefits": ("Nyttor", "Benefits"),
    "npv": ("Nettonuvärde", "Net present value"),
    "npv_lo": ("Intervall från", "Interval from"),
    "npv_hi": ("till", "to"),
    "bcr": ("Nytta per kostnad", "Benefit–cost ratio"),
    "payback_year": ("Betalar sig år", "Pays back in"),
    "chance": ("Chans att nyttan är större, %", "Chance benefits exceed costs, %"),
    "break_even": ("Brytpunkt", "Break-even"),
    "effect": ("Effekt", "Effect"),
    "no_effect_design": (
        "Ingen effektuppföljning är planerad för investeringen.",
        "No effect follow-up is planned for the investment.",
    ),
    "investment_followup": ("Uppföljning år för år", "Follow-up year by year"),
    "spent": ("{amount} kronor använda", "SEK {amount} spent"),
    "calculation": (
        "Kalkylen: {draws} dragningar (slumpfrö {seed}), diskontering {discount}, åren "
        "{first}–{last}, {price} års priser; beräknad {date}.",
        "The calculation: {draws} draws (seed {seed}), discounting {discount}, the years "
        "{first}–{last}, {price} prices; computed {date}.",
    ),
    "not_calculated": (
        "Investeringen är inte beräknad än. När den har beräknats (jamlik invest calc {id}) "
        "kommer kalkylen och effektuppföljningen med i rapporten.",
        "The investment has not been calculated yet. Once it has been (jamlik invest calc "
        "{id}), the calculation and the effect follow-up appear in the report.",
    ),
    "chart_cumulative": (
        "Ackumulerat nettonuvärde för samhället",
        "Cumulative net present value for society",
    ),
    "chart_tornado": ("Antagandena som betyder mest", "The assumptions that matter most"),
    "chart_effect": ("Effektuppföljning: {indicator}", "Effect follow-up: {indicator}"),
    "money_column": ("{column}, mnkr", "{column}, SEK m"),
    "flags_summary": ("Att uppmärksamma", "To note"),
    "no_flags": ("Inga varningar.", "No warnings."),
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The report's text `key` in `lang`, with `{placeholders}` filled from `values`."""
    sv, en = STRINGS[key]
    text = sv if lang == "sv" else en
    return text.format(**values) if values else text


def check_lang(lang: str) -> Lang:
    """`lang` if it is one the report speaks, else a ValueError that says which ones it speaks."""
    if lang not in LANGS:
        raise ValueError(f"Okänt språk / unknown language {lang!r}: välj / choose sv or en")
    return lang  # type: ignore[return-value]


def number(x: float | int | None, lang: Lang, decimals: int = 1, signed: bool = False) -> str:
    """A number as the report prints it: fixed decimals, Swedish or English conventions.

    None and non-finite values print as an en dash (missing); callers print suppressed cells as
    `t("suppressed", lang)` themselves, because missing and suppressed mean different things.
    """
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    text = f"{x:{'+' if signed else ''},.{decimals}f}"
    if lang == "sv":
        # Thousands first (comma → no-break space, as the charts and the follow-up write it),
        # then the decimal point → comma.
        text = text.replace(",", "\u00a0").replace(".", ",").replace("-", "\u2212")
    return text


def percent_level(conf_level: float, lang: Lang) -> str:
    """95 % (Swedish, with a no-break space) or 95% (English)."""
    pct = f"{conf_level * 100:.4g}"
    return f"{pct.replace('.', ',')}\u00a0%" if lang == "sv" else f"{pct}%"
