"""The ten demo indicators, one or more per target area, with the true parameters behind them.

Signs follow the outcome: for an indicator where higher is better, a better-off district
(`district` > 0) and more education (`education` < 0 per step of disadvantage) raise it; for one
where higher is worse they lower it. Intercepts are the reference cell: a man born in Sweden with
eftergymnasial education, in a district with z = 0, in 2012. `GAPS` lists every gap built to move.
"""

from __future__ import annotations

from jamlik.demo.model import (
    ELECTION_YEARS,
    Effect,
    Gap,
    IndicatorModel,
    PopulationGroup,
    Suppression,
    Target,
)

# Shares of a district's population; children are more common in poorer districts (tilt > 0).
CHILDREN_1_5 = PopulationGroup("1-5", "barn 1–5 år", 0.058, 0.15, 0.15, 0.4)
CHILDREN_0_17 = PopulationGroup("0-17", "barn 0–17 år", 0.21, 0.12, 0.35, 0.4)
CHILDREN_6_15 = PopulationGroup("6-15", "barn 6–15 år", 0.115, 0.12, 0.40, 0.4)
YEAR_9 = PopulationGroup("ak9", "elever i årskurs 9", 0.0115, 0.10, 0.45, 0.4)
YEARS_7_9 = PopulationGroup("ak7-9", "elever i årskurs 7–9", 0.034, 0.10, 0.45, 0.4)
YOUNG_16_20 = PopulationGroup("16-20", "unga 16–20 år", 0.056, 0.08, 0.55, 0.4)
ADULTS_20_64 = PopulationGroup("20-64", "invånare 20–64 år", 0.585)
VOTERS = PopulationGroup("18+", "röstberättigade 18 år och äldre", 0.78, -0.03, 0.95)
ADULTS_30 = PopulationGroup("30+", "invånare 30 år och äldre", 0.56, -0.05, 1.05)

PERCENT = "procent"

INDICATORS: tuple[IndicatorModel, ...] = (
    IndicatorModel(
        id="ex-forskola-1-5",
        title_sv="Inskrivna barn i förskola, 1–5 år",
        title_en="Children enrolled in preschool, aged 1–5",
        description="Andel barn 1–5 år som är inskrivna i förskola. Fiktiva exempeldata.",
        unit=PERCENT,
        scale=100,
        polarity="higher_is_better",
        link="logit",
        population=CHILDREN_1_5,
        education_dimension="parental_education",
        target_area="god-start",
        intercept=2.59,
        trend=0.3,
        district=Effect(0.30),
        female=Effect(0.0),
        foreign=Effect(-1.3, -0.5),
        education=Effect(-0.35),
        targets=(Target(2026, 95.0),),
    ),
    IndicatorModel(
        id="ex-lag-ek-standard-barn",
        title_sv="Barn 0–17 år i hushåll med låg ekonomisk standard",
        title_en="Children aged 0–17 in households with low economic standard",
        description="Andel barn 0–17 år i hushåll med disponibel inkomst per konsumtionsenhet "
        "under 60 % av medianen. Fiktiva exempeldata.",
        unit=PERCENT,
        scale=100,
        polarity="higher_is_worse",
        link="logit",
        population=CHILDREN_0_17,
        education_dimension="parental_education",
        target_area="god-start",
        intercept=-3.18,
        trend=-0.1,
        district=Effect(-0.5),
        female=Effect(0.0),
        foreign=Effect(1.4),
        education=Effect(0.45, 0.75),
    ),
    IndicatorModel(
        id="ex-behorighet-gymnasiet",
        title_sv="Elever i åk 9 som är behöriga till yrkesprogram",
        title_en="Pupils in year 9 eligible for upper secondary vocational programmes",
        description="Andel elever i årskurs 9 som är behöriga till ett yrkesprogram i "
        "gymnasieskolan. Fiktiva exempeldata.",
        unit=PERCENT,
        scale=100,
        polarity="higher_is_better",
        link="logit",
        population=YEAR_9,
        education_dimension="parental_education",
        target_area="god-start",
        intercept=3.18,
        trend=-0.25,
        district=Effect(0.35),
        female=Effect(0.3),
        foreign=Effect(-1.3),
        education=Effect(-0.45, -0.8),
        targets=(
            Target(2026, 90.0),
            Target(2026, 10.0, measure="D", dimension="parental_education"),
        ),
    ),
    IndicatorModel(
        id="ex-problematisk-franvaro",
        title_sv="Elever i åk 7–9 med problematisk skolfrånvaro",
        title_en="Pupils in years 7–9 with problematic school absence",
        description="Andel elever i årskurs 7–9 med minst 15 % frånvaro under läsåret. "
        "Fiktiva exempeldata.",
        unit=PERCENT,
        scale=100,
        polarity="higher_is_worse",
        link="logit",
        population=YEARS_7_9,
        education_dimension="parental_education",
        target_area="god-start",
        intercept=-2.94,
        trend=0.6,
        district=Effect(-0.2, -0.55),
        female=Effect(0.15),
        foreign=Effect(0.3),
        education=Effect(0.3),
    ),
    IndicatorModel(
        id="ex-kulturskola",
        title_sv="Barn 6–15 år som deltar i kulturskolan",
        title_en="Children aged 6–15 taking part in the culture school",
        description="Andel barn 6–15 år som deltar i kulturskolans kurser eller "
        "öppna verksamhet under året. Fiktiva exempeldata.",
        unit=PERCENT,
        scale=100,
        polarity="higher_is_better",
        link="logit",
        population=CHILDREN_6_15,
        education_dimension="parental_education",
        target_area="god-start",
        intercept=-0.85,
        trend=0.15,
        district=Effect(0.45),
        female=Effect(0.5),
        foreign=Effect(-0.9, -0.35),
        education=Effect(-0.45, -0.2),
    ),
    IndicatorModel(
        id="ex-forvarvsarbete-20-64",
        title_sv="Förvärvsarbetande invånare 20–64 år",
        title_en="Gainfully employed residents aged 20–64",
        description="Andel invånare 20–64 år som förvärvsarbetar. Fiktiva exempeldata.",
        unit=PERCENT,
        scale=100,
        polarity="higher_is_better",
        link="logit",
        population=ADULTS_20_64,
        education_dimension="education",
        target_area="arbete",
        intercept=2.2,
        trend=0.2,
        district=Effect(0.3),
        female=Effect(-0.25),
        foreign=Effect(-1.2, -0.7),
        education=Effect(-0.55),
        targets=(Target(2026, 82.0),),
    ),
    IndicatorModel(
        id="ex-unga-utanfor-16-20",
        title_sv="Unga 16–20 år som varken arbetar eller studerar",
        title_en="Young people aged 16–20 neither working nor studying",
        description="Andel unga 16–20 år som varken studerar eller förvärvsarbetar "
        "(målgruppen för det kommunala aktivitetsansvaret). Fiktiva exempeldata.",
        unit=PERCENT,
        scale=100,
        polarity="higher_is_worse",
        link="logit",
        population=YOUNG_16_20,
        education_dimension="parental_education",
        target_area="arbete",
        intercept=-3.66,
        trend=-0.15,
        district=Effect(-0.3),
        female=Effect(-0.15),
        foreign=Effect(0.7, 1.1),
        education=Effect(0.4),
    ),
    IndicatorModel(
        id="ex-trangboddhet",
        title_sv="Invånare 20–64 år som bor trångt (norm 2)",
        title_en="Residents aged 20–64 in overcrowded housing (norm 2)",
        description="Andel invånare 20–64 år i hushåll med fler än två boende per sovrum "
        "(trångboddhetsnorm 2). Fiktiva exempeldata.",
        unit=PERCENT,
        scale=100,
        polarity="higher_is_worse",
        link="logit",
        population=ADULTS_20_64,
        education_dimension="education",
        target_area="livsmiljoer",
        intercept=-2.59,
        trend=0.1,
        district=Effect(-0.45, -0.8),
        female=Effect(0.0),
        foreign=Effect(1.6),
        education=Effect(0.3),
    ),
    IndicatorModel(
        id="ex-valdeltagande",
        title_sv="Valdeltagande i val till kommunfullmäktige",
        title_en="Turnout in municipal council elections",
        description="Andel röstberättigade som röstade i valet till kommunfullmäktige "
        "(valår 2014, 2018, 2022). Fiktiva exempeldata.",
        unit=PERCENT,
        scale=100,
        polarity="higher_is_better",
        link="logit",
        population=VOTERS,
        education_dimension="education",
        target_area="delaktighet",
        intercept=2.44,
        trend=0.1,
        district=Effect(0.5),
        female=Effect(0.1),
        foreign=Effect(-1.2, -0.8),
        education=Effect(-0.45),
        years=ELECTION_YEARS,
    ),
    IndicatorModel(
        id="ex-medellivslangd-30",
        title_sv="Återstående medellivslängd vid 30 års ålder",
        title_en="Remaining life expectancy at age 30",
        description="Förväntat antal återstående levnadsår vid 30 års ålder. "
        "Redovisas inte för grupper under 1 000 invånare. Fiktiva exempeldata.",
        unit="år",
        scale=1,
        polarity="higher_is_better",
        link="identity",
        population=ADULTS_30,
        education_dimension="education",
        target_area="mal",
        intercept=50.5,
        trend=2.0,
        district=Effect(0.9),
        female=Effect(3.6, 2.8),
        foreign=Effect(0.4),
        education=Effect(-1.6, -2.5),
        se_coefficient=40.0,
        suppression=Suppression(min_denominator=1000, min_numerator=0),
    ),
)

GAPS: tuple[Gap, ...] = (
    Gap("ex-forskola-1-5", "country_of_birth", "narrows", "outreach to newly arrived families"),
    Gap("ex-kulturskola", "country_of_birth", "narrows", "kulturskolan når fler"),
    Gap("ex-kulturskola", "education", "narrows", "free courses in the schools' own premises"),
    Gap("ex-forvarvsarbete-20-64", "country_of_birth", "narrows", "labour market matching"),
    Gap("ex-valdeltagande", "country_of_birth", "narrows", "turnout campaigns"),
    Gap("ex-medellivslangd-30", "sex", "narrows", "men's life expectancy catches up"),
    Gap("ex-lag-ek-standard-barn", "education", "widens", "incomes diverge"),
    Gap("ex-behorighet-gymnasiet", "education", "widens", "school segregation"),
    Gap("ex-problematisk-franvaro", "district", "widens", "absence rises most in poor areas"),
    Gap("ex-unga-utanfor-16-20", "country_of_birth", "widens", "late arrivals miss school"),
    Gap("ex-trangboddhet", "district", "widens", "housing segregation"),
    Gap("ex-medellivslangd-30", "education", "widens", "as in Sweden since the 1990s"),
)


def indicator(indicator_id: str) -> IndicatorModel:
    """The indicator model with this id (KeyError names the id when there is none)."""
    for ind in INDICATORS:
        if ind.id == indicator_id:
            return ind
    raise KeyError(indicator_id)
