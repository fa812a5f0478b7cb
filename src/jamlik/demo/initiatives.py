"""Exempelstad's actors and initiatives (fictitious), modelled on the initiatives in the seeds.

Each initiative names the programme nodes it serves by *key* (see `NODE_KEYS` in
`jamlik.demo.programme`), the indicators it should move, and its true reach model:
proportionate to need (familjecentraler, skolnärvaro, kulturskolan når fler, KAA, LE, Sedd och
saknad, föräldrastöd för utrikesfödda, demokratiambassadörer, Jobbsprånget, större lägenheter),
universal (Staden där vi läser, aktivitetspaket) or reaching the better-off districts more
(föräldrastöd för alla, mötesplatser för föräldrar).
"""

from __future__ import annotations

from dataclasses import dataclass

from jamlik.demo import indicators as ind
from jamlik.demo.model import ELECTION_YEARS
from jamlik.demo.reach import ReachModel

# (id, name, kind, parent)
ACTORS: tuple[tuple[str, str, str, str | None], ...] = (
    ("ex-kommunstyrelsen", "Kommunstyrelsen i Exempelstad", "municipal_committee", None),
    ("ex-stadsledningskontoret", "Stadsledningskontoret", "municipal_department",
     "ex-kommunstyrelsen"),
    ("ex-forskolenamnden", "Förskolenämnden", "municipal_committee", None),
    ("ex-utbildningsnamnden", "Utbildningsnämnden", "municipal_committee", None),
    ("ex-utbildningsforvaltningen", "Utbildningsförvaltningen", "municipal_department",
     "ex-utbildningsnamnden"),
    ("ex-socialnamnden", "Socialnämnden", "municipal_committee", None),
    ("ex-kulturnamnden", "Kulturnämnden", "municipal_committee", None),
    ("ex-arbetsmarknadsnamnden", "Arbetsmarknads- och vuxenutbildningsnämnden",
     "municipal_committee", None),
    ("ex-exempelstadshem", "Exempelstadshem AB", "municipal_company", None),
    ("ex-regionen", "Region Exempellän", "region", None),
    ("ex-narvarden", "Närvården Exempellän (vårdcentraler och barnhälsovård)", "health_care",
     "ex-regionen"),
    ("ex-upptackarhuset", "Upptäckarhuset science center", "municipal_company", None),
    ("ex-lasframjarna", "Föreningen Läsfrämjarna", "civil_society", None),
    ("ex-idrottsalliansen", "Idrottsalliansen i Exempelstad", "civil_society", None),
    ("ex-foraldranatverket", "Stenåsens föräldranätverk", "civil_society", None),
    ("ex-naringslivsradet", "Näringslivsrådet i Exempelstad", "business", None),
    ("ex-hogskolan", "Högskolan i Exempelstad", "academia", None),
)  # fmt: skip

ALL_DISTRICTS: None = None


@dataclass(frozen=True)
class InitiativeSpec:
    """What the demo programme says about one initiative, plus its true reach model."""

    id: str
    title: str
    title_en: str
    owner: str
    partners: tuple[str, ...]
    nodes: tuple[str, ...]  # node keys
    indicators: tuple[str, ...]
    purpose: str
    content: str
    target_group: str
    ages: tuple[int | None, int | None]
    start: str
    end: str | None
    status: str
    budget_sek: int
    funder: str | None  # actor id, or None when `funder_text` says who pays
    reach: ReachModel
    areas: tuple[str, ...] | None = ALL_DISTRICTS
    funder_text: str | None = None


POOR = ("ex-stenasen", "ex-norrmossen", "ex-lindhojden")

INITIATIVES: tuple[InitiativeSpec, ...] = (
    InitiativeSpec(
        "ex-familjecentraler", "Familjecentraler som nav", "Family centres as hubs",
        "ex-socialnamnden", ("ex-narvarden", "ex-forskolenamnden", "ex-foraldranatverket"),
        ("god-start", "fokus-god-start", "tidiga-insatser", "starka-vuxna"),
        ("ex-forskola-1-5", "ex-lag-ek-standard-barn"),
        "Att ge varje barn en god start i livet genom att stärka familjer utifrån deras "
        "livsvillkor, tidigt och där familjerna finns.",
        "Familjecentraler med barnmorskemottagning, barnavårdscentral, öppen förskola och "
        "socialtjänstens förebyggande arbete under samma tak, först i de områden där behoven "
        "är störst.",
        "Blivande föräldrar och familjer med barn 0–5 år", (0, 5),
        "2016-01-01", None, "ongoing", 14_000_000, "ex-kommunstyrelsen",
        ReachModel(ind.CHILDREN_1_5, 0.35, 0.7, "ex-lag-ek-standard-barn", per_member=1.2),
        areas=(*POOR, "ex-granliden", "ex-bjorkdalen", "ex-kvarnbacken"),
    ),
    InitiativeSpec(
        "ex-lasning", "Staden där vi läser för våra barn", "The city where we read to our children",
        "ex-kulturnamnden",
        ("ex-forskolenamnden", "ex-utbildningsnamnden", "ex-lasframjarna", "ex-regionen",
         "ex-naringslivsradet"),
        ("god-start", "sprakutveckling"),
        ("ex-behorighet-gymnasiet",),
        "Att främja läslust och läsning med och för barn, så att fler blir behöriga till "
        "gymnasiet, fler kan vidareutbilda sig och fler har lättare att få jobb.",
        "Bokgåvor via barnavårdscentralen, läsombud i förskolan, högläsning på bibliotek och "
        "i föreningslivet, och en årlig läsvecka i hela staden.",
        "Barn 0–12 år och vuxna i deras vardag", (0, 12),
        "2017-01-01", None, "ongoing", 3_500_000, "ex-kulturnamnden",
        ReachModel(ind.CHILDREN_0_17, 0.30, 0.0, "ex-behorighet-gymnasiet"),
    ),
    InitiativeSpec(
        "ex-foraldrastod", "Föräldrastöd för alla (ABC-grupper)", "Parenting support for all",
        "ex-socialnamnden", ("ex-narvarden", "ex-foraldranatverket", "ex-hogskolan"),
        ("hem", "foraldrastod", "starka-vuxna"),
        ("ex-problematisk-franvaro", "ex-behorighet-gymnasiet"),
        "Likvärdigt, tillgängligt och samordnat föräldrastöd för alla föräldrar.",
        "Föräldragrupper enligt ABC (Alla barn i centrum) fyra kvällar per termin, anmälan via "
        "webben. Utvärderas av Högskolan i Exempelstad.",
        "Föräldrar och vårdnadshavare till barn 3–12 år", (3, 12),
        "2019-01-01", "2025-12-31", "ongoing", 2_800_000, "ex-socialnamnden",
        ReachModel(ind.CHILDREN_0_17, 0.04, -0.6, "ex-problematisk-franvaro"),
    ),
    InitiativeSpec(
        "ex-motesplatser", "Fler mötesplatser för föräldrar", "More meeting places for parents",
        "ex-socialnamnden", ("ex-kulturnamnden", "ex-lasframjarna"),
        ("hem", "foraldrastod"),
        ("ex-lag-ek-standard-barn",),
        "Att öka antalet mötesplatser där föräldrar kan träffas och få stöd.",
        "Föräldracaféer på biblioteken, en kväll i veckan.",
        "Föräldrar till barn 0–17 år", (0, 17),
        "2020-01-01", None, "ongoing", 900_000, "ex-socialnamnden",
        ReachModel(ind.CHILDREN_0_17, 0.05, -0.4, "ex-lag-ek-standard-barn"),
    ),
    InitiativeSpec(
        "ex-skolnarvaro", "Ökad skolnärvaro – tidiga signaler", "Better school attendance",
        "ex-utbildningsnamnden", ("ex-socialnamnden", "ex-narvarden", "ex-hogskolan"),
        ("skola", "skolgang"),
        ("ex-problematisk-franvaro", "ex-behorighet-gymnasiet"),
        "Att främja närvaro och förhindra frånvaro, så att alla elever kan fullfölja sina studier.",
        "Närvarokoordinatorer som följer upp frånvaro samma dag, hembesök tillsammans med "
        "socialtjänsten och samverkan med elevhälsan och vårdcentralen.",
        "Elever i årskurs 7–9 med eller i risk för problematisk frånvaro", (13, 16),
        "2020-08-01", "2025-06-30", "completed", 7_200_000, "ex-utbildningsnamnden",
        ReachModel(ind.YEARS_7_9, 0.08, 0.9, "ex-problematisk-franvaro"),
    ),
    InitiativeSpec(
        "ex-kulturskolan", "Kulturskolan når fler", "The culture school reaches more children",
        "ex-kulturnamnden", ("ex-utbildningsnamnden", "ex-idrottsalliansen"),
        ("fritid", "kultur-fritid", "meningsfull-fritid"),
        ("ex-kulturskola",),
        "Att utveckla kulturskolans verksamhet så att den når fler barn.",
        "Avgiftsfria kurser i skolornas lokaler direkt efter skoldagen, med början i de "
        "områden där få barn deltar.",
        "Barn 6–15 år", (6, 15),
        "2019-01-01", None, "ongoing", 4_000_000, "ex-kulturnamnden",
        ReachModel(ind.CHILDREN_6_15, 0.10, 0.5, "ex-kulturskola"),
    ),
    InitiativeSpec(
        "ex-aktivitetspaket", "Aktivitetspaket över stadsdelsgränserna", "Activity packages",
        "ex-kulturnamnden", ("ex-idrottsalliansen", "ex-utbildningsnamnden"),
        ("fritid", "kultur-fritid"),
        ("ex-kulturskola",),
        "Att alla elever gör aktiviteter tillsammans med barn från andra stadsdelar.",
        "Varje årskurs 5 gör fyra aktivitetsdagar per år med en klass från ett annat område.",
        "Elever i årskurs 5", (10, 12),
        "2021-01-01", None, "ongoing", 1_500_000, "ex-kulturnamnden",
        # One school year: the year-9 cohort stands in for the size of year 5.
        ReachModel(ind.YEAR_9, 0.9, 0.0, "ex-kulturskola"),
    ),
    InitiativeSpec(
        "ex-kaa", "Stärkt kommunalt aktivitetsansvar (KAA)",
        "Strengthened municipal activity responsibility",
        "ex-arbetsmarknadsnamnden",
        ("ex-utbildningsnamnden", "ex-socialnamnden", "ex-naringslivsradet"),
        ("arbete", "forsta-steget"),
        ("ex-unga-utanfor-16-20",),
        "Att unga 16–20 år som varken studerar eller arbetar ska komma tillbaka till studier "
        "eller arbete.",
        "Uppsökande arbete, individuella planer, studie- och yrkesvägledning och praktik hos "
        "företag i Näringslivsrådet.",
        "Unga 16–20 år som varken studerar eller arbetar", (16, 20),
        "2021-01-01", None, "ongoing", 5_000_000, "ex-arbetsmarknadsnamnden",
        ReachModel(ind.YOUNG_16_20, 0.03, 0.8, "ex-unga-utanfor-16-20"),
    ),
    InitiativeSpec(
        "ex-le", "LE – Lärande och entreprenörskap", "Learning and entrepreneurship",
        "ex-utbildningsnamnden", ("ex-naringslivsradet", "ex-hogskolan"),
        ("skola", "skolgang", "skraddarsy"),
        ("ex-behorighet-gymnasiet",),
        "Att öka elevers motivation till studier genom förståelse för arbetsliv och "
        "entreprenörskap, så att alla unga når gymnasiebehörighet.",
        "Utökad studie- och yrkesvägledning, arbetslivsdagar och prao, sommarlovsskola och "
        "lovskola.",
        "Elever i årskurs 6–9", (12, 16),
        "2023-01-01", "2025-12-31", "ongoing", 6_000_000, "ex-regionen",
        ReachModel(ind.YEARS_7_9, 0.6, 0.3, "ex-behorighet-gymnasiet", per_member=4 / 3),
        areas=POOR,
        funder_text=None,
    ),
    InitiativeSpec(
        "ex-sedd-och-saknad", "Sedd och saknad – närvaro i förskolan", "Seen and missed",
        "ex-forskolenamnden", ("ex-socialnamnden", "ex-narvarden"),
        ("fokus-god-start", "tidiga-insatser"),
        ("ex-forskola-1-5",),
        "Att utveckla en närvarokultur i förskolan och öka andelen barn som deltar i förskolan.",
        "En insatskoordinator i förskolan som länkar förskolan, barnhälsan och familjecentralen.",
        "Familjer med barn 1–5 år i förskolan", (1, 5),
        "2022-12-01", "2025-11-30", "completed", 2_400_000, "ex-regionen",
        ReachModel(ind.CHILDREN_1_5, 0.15, 0.5, "ex-forskola-1-5"),
        areas=("ex-stenasen", "ex-norrmossen", "ex-kvarnbacken"),
    ),
    InitiativeSpec(
        "ex-foraldrastod-utrikesfodda", "Föräldrastöd för utrikesfödda vårdnadshavare",
        "Parenting support for parents born abroad",
        "ex-upptackarhuset", ("ex-forskolenamnden", "ex-socialnamnden"),
        ("hem", "foraldrastod"),
        ("ex-behorighet-gymnasiet",),
        "Att fler utrikesfödda vårdnadshavare med barn 6–12 år får föräldraskapsstöd.",
        "ABC-föräldragrupper medan barnen deltar i Upptäckarhusets aktiviteter.",
        "Utrikesfödda vårdnadshavare med barn 6–12 år och deras barn", (6, 12),
        "2023-01-01", "2025-12-31", "ongoing", 1_800_000, "ex-regionen",
        ReachModel(ind.CHILDREN_6_15, 0.03, 0.8, "ex-behorighet-gymnasiet"),
    ),
    InitiativeSpec(
        "ex-jobbspranget", "Jobbsprånget Exempelstad", "Job leap",
        "ex-arbetsmarknadsnamnden", ("ex-naringslivsradet", "ex-hogskolan"),
        ("arbete", "matcha"),
        ("ex-forvarvsarbete-20-64",),
        "Att matcha kompetens och underlätta inträdet på arbetsmarknaden.",
        "Branschvalidering, yrkessvenska och matchning mot företag som behöver anställa.",
        "Arbetssökande 20–64 år", (20, 64),
        "2018-01-01", None, "ongoing", 9_000_000, "ex-arbetsmarknadsnamnden",
        ReachModel(ind.ADULTS_20_64, 0.01, 0.6, "ex-forvarvsarbete-20-64"),
    ),
    InitiativeSpec(
        "ex-storre-lagenheter", "Större lägenheter och lägenhetsbyten", "Larger flats",
        "ex-exempelstadshem", ("ex-socialnamnden",),
        ("livsmiljoer", "bostader"),
        ("ex-trangboddhet",),
        "Att minska trångboddheten genom fler stora lägenheter och byten inom beståndet.",
        "Sammanslagning av lägenheter vid renovering och en förmedling för byten.",
        "Hushåll som bor trångt i Exempelstadshems bestånd", (None, None),
        "2019-01-01", None, "ongoing", 25_000_000, "ex-exempelstadshem",
        ReachModel(ind.ADULTS_20_64, 0.004, 0.7, "ex-trangboddhet"),
    ),
    InitiativeSpec(
        "ex-demokratiambassadorer", "Demokratiambassadörer – ökat valdeltagande",
        "Democracy ambassadors", "ex-kommunstyrelsen",
        ("ex-idrottsalliansen", "ex-foraldranatverket"),
        ("delaktighet", "valdeltagande"),
        ("ex-valdeltagande",),
        "Att öka valdeltagandet där det är lägst.",
        "Föreningar får stöd för att informera om valet på flera språk och följa med till "
        "förtidsröstningen.",
        "Röstberättigade 18 år och äldre", (18, None),
        "2018-01-01", None, "ongoing", 600_000, "ex-kommunstyrelsen",
        ReachModel(ind.VOTERS, 0.03, 1.0, "ex-valdeltagande", years=ELECTION_YEARS),
    ),
)  # fmt: skip
