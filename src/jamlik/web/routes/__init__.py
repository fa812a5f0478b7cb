"""One router per area of the site. Issue 7 adds its own (accounts, editing, data) here."""

from jamlik.web.routes import (
    accessibility,
    actors,
    auth,
    edit,
    explorer,
    initiatives,
    investments,
    programme,
    reports,
    start,
)

ROUTERS = [
    start.router,
    programme.router,
    explorer.router,
    initiatives.router,
    investments.router,
    actors.router,
    reports.router,
    accessibility.router,
    auth.router,
    edit.router,
]
