"""The follow-up's methods in plain words, Swedish and English, for a report's appendix.

The measures themselves are described by `jamlik.measures.catalogue()`; these notes describe
what the follow-up does with them. They restate the module docstrings of this package; change
both together.
"""

from __future__ import annotations

from jamlik.data.policy import DEFAULT_POLICY, SuppressionPolicy
from jamlik.followup.model import MethodNote


def methods(
    policy: SuppressionPolicy = DEFAULT_POLICY, conf_level: float = 0.95
) -> list[MethodNote]:
    """Method notes for a follow-up built with this suppression policy and confidence level."""
    lvl = round(conf_level * 100)
    return [
        MethodNote(
            id="suppression",
            title_sv="Röjandekontroll",
            title_en="Suppression of small numbers",
            text_sv=policy.describe("sv") + " Inga mått beräknas ur dolda värden.",
            text_en=policy.describe("en") + " No measure is computed from hidden values.",
        ),
        MethodNote(
            id="gaps",
            title_sv="Skillnader mellan grupper",
            title_en="Gaps between groups",
            text_sv=(
                "För varje indikator beräknas skillnaden (D) och kvoten (R) mellan grupperna i "
                "varje dimension; för ordnade dimensioner som utbildning även lutningsindex "
                "(SII, RII); mellan stadsområden även varians mellan grupper (BGV), "
                "medelavvikelse från snittet (MDMW) och skillnadsindex (IDISW). Skillnaden D "
                "är huvudmåttet för grupper, medelavvikelsen MDMW för stadsområden."
            ),
            text_en=(
                "For each indicator the difference (D) and ratio (R) between the groups of "
                "each dimension are computed; for ordered dimensions such as education also "
                "the slope indices (SII, RII); between districts also the between-group "
                "variance (BGV), the mean difference from the mean (MDMW) and the index of "
                "disparity (IDISW). D is the headline measure for groups, MDMW for districts."
            ),
        ),
        MethodNote(
            id="trends",
            title_sv="Trender och bedömningar",
            title_en="Trends and verdicts",
            text_sv=(
                "En skillnads trend är en viktad rät linje genom alla år fram till "
                "uppföljningsåret. Skillnaden bedöms minska eller öka bara när hela "
                f"{lvl} %-konfidensintervallet för lutningen ligger på ena sidan om noll; annars "
                "sägs ingen säker förändring. Med färre än fyra mätpunkter, eller under tre år, "
                "görs ingen bedömning."
            ),
            text_en=(
                "A gap's trend is a weighted straight line through every year up to the "
                "follow-up year. A gap is said to narrow or widen only when the whole "
                f"{lvl}% confidence interval of the slope lies on one side of zero; otherwise "
                "there is no clear change. With fewer than four points, or under three years, "
                "no verdict is given."
            ),
        ),
        MethodNote(
            id="levels",
            title_sv="Nivå och förändring",
            title_en="Level and change",
            text_sv=(
                "Nivån är det senaste värdet för hela området. Förändringen räknas från "
                "programmets startår och bedöms som förbättring eller försämring, efter "
                "indikatorns riktning, när konfidensintervallet för förändringen inte "
                "omfattar noll."
            ),
            text_en=(
                "The level is the latest value for the whole area. Its change is counted from "
                "the programme's first year and judged an improvement or a worsening, by the "
                "indicator's direction, when the change's confidence interval excludes zero."
            ),
        ),
        MethodNote(
            id="targets",
            title_sv="Mål",
            title_en="Targets",
            text_sv=(
                "Ett mål är nått när det senaste värdet når målvärdet. Annars förlängs trenden "
                "till målåret: målet nås i nuvarande takt när den förlängda linjen når "
                "målvärdet och utvecklingen säkert går åt rätt håll; annars nås det inte i "
                "nuvarande takt."
            ),
            text_en=(
                "A target is met when the latest value reaches it. Otherwise the trend is "
                "extended to the target year: the target is on track when the extended line "
                "reaches it and the movement is clearly in the right direction; otherwise it "
                "is off track."
            ),
        ),
        MethodNote(
            id="status",
            title_sv="Status och skäl",
            title_en="Status and reasons",
            text_sv=(
                "En indikator förbättras när nivå, skillnader och mål bara visar säkra "
                "förbättringar, försämras när de bara visar säkra försämringar, och ger en "
                "blandad bild när de visar båda. En del av programmet får sin status från "
                "indikatorerna som hör till den och delarna under den; skälet räknar upp dem "
                "och insatserna."
            ),
            text_en=(
                "An indicator is improving when level, gaps and targets show only clear "
                "improvements, worsening when they show only clear worsening, and mixed when "
                "they show both. A part of the programme takes its status from the indicators "
                "linked to it and to the parts below it; the reason counts them and the "
                "initiatives."
            ),
        ),
        MethodNote(
            id="reach",
            title_sv="Räckvidd och behov",
            title_en="Reach and need",
            text_sv=(
                "För en insats med räckvidd per stadsområde jämförs andelen nådda i "
                "målgruppen med behovet, mätt med insatsens första indikator som har värden "
                "per stadsområde. Koncentrationsindex är positivt när insatsen främst når "
                "områden med störst behov och negativt när den främst når områden med minst "
                "behov; bedömningen görs bara när konfidensintervallet inte omfattar noll."
            ),
            text_en=(
                "For an initiative with reach by district, the share of its target group "
                "reached is compared with need, measured by the initiative's first indicator "
                "with values by district. The concentration index is positive when the "
                "initiative mainly reaches the districts with the most need and negative when "
                "it mainly reaches those with the least; a verdict is given only when its "
                "confidence interval excludes zero."
            ),
        ),
        MethodNote(
            id="benchmarks",
            title_sv="Jämförelser",
            title_en="Benchmarks",
            text_sv=(
                "Ett område jämförs med helheten det ingår i, med en vald jämförelsegrupp och "
                "med riket. Skillnaden bedöms som säker när dess konfidensintervall inte "
                "omfattar noll; att ett område ingår i helheten räknas med i osäkerheten."
            ),
            text_en=(
                "An area is compared with the whole it belongs to, with a chosen group and "
                "with the nation. A difference is called clear when its confidence interval "
                "excludes zero; that an area is part of the whole is allowed for in the "
                "uncertainty."
            ),
        ),
    ]
