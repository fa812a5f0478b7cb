"""One router per area of the site."""

from jamlik.web.routes import (
    accessibility,
    account_tokens,
    actors,
    admin_audit,
    admin_indicators,
    admin_programme,
    admin_programme_import,
    admin_users,
    api,
    auth,
    cycle,
    data,
    edit,
    explorer,
    initiatives,
    investments,
    programme,
    reports,
    sso,
    start,
)

ROUTERS = [
    start.router,
    programme.router,
    explorer.router,
    edit.router,  # before initiatives: /initiatives/new must not be read as an initiative id
    initiatives.router,
    investments.router,
    actors.router,
    reports.router,
    cycle.router,
    accessibility.router,
    auth.router,
    sso.router,
    account_tokens.router,
    admin_users.router,
    admin_audit.router,
    admin_programme_import.router,  # before admin_programme: /import is no node
    admin_programme.router,
    admin_indicators.router,
    data.router,
    api.router,
]
