"""The accessibility statement (tillgänglighetsredogörelse) required by the Swedish law on
accessibility to digital public services (lagen (2018:1937), "DOS-lagen"), in the structure of
DIGG's model statement: who stands behind the site, how accessible it is, what to do when
something is not accessible, how to report faults, supervision (with the link to DIGG's report
form), technical information on compliance, content that is not accessible, and how the site
was tested, with dates.

What differs between installations (organisation, contact, dates, compliance) comes from
`web.toml` (see `jamlik.web.settings`); the known shortcomings are those of this software and
are listed in the translations, so each language states the same ones.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from jamlik.web.context import PageContext, page_context
from jamlik.web.twin import Page

router = APIRouter(tags=["accessibility"])

DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"
LAW_URL = "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/lag-20181937-om-tillganglighet-till-digital_sfs-2018-1937/"
# Shortcomings of the software itself (keys under accessibility.issue.* in the translations).
KNOWN_ISSUES = ("charts_script", "pictures", "xlsx", "pdf")
# What an installation says when it has not configured a contact: the statement must not pretend.
DEMO_EMAIL = "tillganglighet@exempelstad.example"


@router.get("/accessibility", summary="Tillgänglighetsredogörelse / accessibility statement")
async def accessibility(ctx: PageContext = Depends(page_context)) -> Response:
    return await ctx.respond(lambda: _statement(ctx))


def _statement(ctx: PageContext) -> Page:
    t = ctx.t
    cfg = ctx.settings.config
    info = cfg.accessibility
    municipality = ctx.snap.municipality
    # An unpublished programme's title (and the municipality its data describe) stay hidden
    # from visitors; what web.toml states is meant for everyone.
    shown = None if ctx.programme_hidden else municipality
    organisation = cfg.site.organisation or (shown.name if shown else None)
    site = cfg.site.name or ctx.programme_title or t("site.name")
    email = info.contact_email or (DEMO_EMAIL if ctx.fictitious else None)
    facts = {
        "organisation": organisation,
        "site": site,
        "compliance": {
            "code": info.compliance,
            "label": t(f"accessibility.compliance.{info.compliance}"),
        },
        "standard": "WCAG 2.1 AA",
        "known_issues": [{"id": k, "text": t(f"accessibility.issue.{k}")} for k in KNOWN_ISSUES],
        "exempt": [],
        "contact": {
            "email": email,
            "phone": info.contact_phone,
            "response_days": info.response_days,
            "configured": info.contact_email is not None or info.contact_phone is not None,
        },
        "supervision": {"authority": t("accessibility.authority"), "url": DIGG_REPORT_URL},
        "law": {"name": t("accessibility.law_name"), "url": LAW_URL},
        "method": {"code": info.method, "label": t(f"accessibility.method.{info.method}")},
        "assessed": info.assessed.isoformat(),
        "updated": info.updated.isoformat(),
    }
    return Page("accessibility.html", t("accessibility.heading"), facts)
