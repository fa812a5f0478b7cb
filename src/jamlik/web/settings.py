"""What a running site needs to know beyond the workspace's data.

Most of it has sensible defaults. An installation that publishes the site fills in who stands
behind it and how to reach them in `web.toml` in the workspace folder, for example::

    [site]
    organisation = "Göteborgs Stad"
    name = "Uppföljning av programmet för en jämlik stad"

    [accessibility]
    contact_email = "jamlik@example.se"
    contact_phone = "031-000 00 00"
    response_days = 5
    compliance = "partial"          # full | partial | none (helt, delvis, inte förenlig)
    assessed = 2025-11-20           # when the site was last assessed
    updated = 2025-11-20            # when the statement was last updated
    method = "self_assessment"      # self_assessment | external_audit

The accessibility statement (tillgänglighetsredogörelse) is built from these values. Sign-in
with the organisation's own account is configured under `[sign_in]` (docs/sso.md).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from jamlik.accounts.sso.config import SignInConfig
from jamlik.data.policy import SuppressionPolicy, read_policy
from jamlik.errors import Problem, ValidationError
from jamlik.workspace import Workspace

CONFIG_FILE = "web.toml"
REPORTS_FOLDER = "reports"  # built yearly reports, inside the workspace folder
# The date this version of the statement's text was written and the pages last checked with
# axe-core and by keyboard; an installation replaces it with its own assessment date.
STATEMENT_DATE = date(2025, 11, 23)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SiteInfo(_Strict):
    """Who publishes the site."""

    organisation: str | None = Field(default=None, min_length=1)
    name: str | None = Field(default=None, min_length=1)


class AccessibilityInfo(_Strict):
    """The facts an accessibility statement must give (DIGG's regulation MDFFS 2019:2)."""

    contact_email: str | None = Field(default=None, min_length=3)
    contact_phone: str | None = Field(default=None, min_length=3)
    response_days: int = Field(default=5, ge=1, le=60)
    compliance: Literal["full", "partial", "none"] = "partial"
    assessed: date = STATEMENT_DATE
    updated: date = STATEMENT_DATE
    method: Literal["self_assessment", "external_audit"] = "self_assessment"


class SiteConfig(_Strict):
    """The contents of `web.toml` (every part optional)."""

    site: SiteInfo = SiteInfo()
    accessibility: AccessibilityInfo = AccessibilityInfo()
    # Sign-in with the organisation's account (OIDC, SAML) and whether passwords stay:
    # jamlik.accounts.sso.config, docs/sso.md.
    sign_in: SignInConfig = SignInConfig()


@dataclass(frozen=True)
class WebSettings:
    """Everything `create_app` needs.

    `programme_id` picks the programme to show when a workspace holds several (default: the
    first by id). Everything shown or downloaded is suppressed with the workspace's policy
    (`policy`, set with `jamlik privacy policy`); `min_population` raises its size threshold
    for this site (never lowers it). Changes made outside the site show within
    `check_seconds` when they leave a trace in the import or audit log (data imports, edits),
    and within `reread_seconds` otherwise (a programme re-imported from the command line);
    changes made through the site show at once (`WebData.invalidate`).
    """

    workspace: Workspace
    programme_id: str | None = None
    min_population_override: int | None = None
    check_seconds: float = 2.0
    reread_seconds: float = 60.0
    config: SiteConfig = field(default_factory=SiteConfig)
    # The date initiatives' end dates are checked against (None: the server's date each day).
    today: date | None = None

    @property
    def policy(self) -> SuppressionPolicy:
        """The workspace's suppression policy (read each time: it is one row)."""
        return read_policy(self.workspace).at_least(self.min_population_override)

    @property
    def min_population(self) -> int:
        return self.policy.min_population

    @classmethod
    def for_workspace(cls, workspace: Workspace, **overrides: object) -> WebSettings:
        """Settings for a workspace, with `web.toml` read from its folder when there is one."""
        return cls(
            workspace=workspace, config=read_config(workspace.path / CONFIG_FILE), **overrides
        )  # type: ignore[arg-type]


def read_config(path: Path) -> SiteConfig:
    """`web.toml` validated; defaults when the file does not exist."""
    if not path.exists():
        return SiteConfig()
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError([Problem(str(path), f"not valid TOML: {exc}")]) from None
    try:
        return SiteConfig.model_validate(raw)
    except PydanticError as exc:
        problems = [
            Problem(str(path), err["msg"], field=".".join(str(p) for p in err["loc"]))
            for err in exc.errors()
        ]
        raise ValidationError(problems) from None
