"""Observations as they may be published: the workspace's policy and area hierarchy applied.

Every output that shows or writes observations starts here (or hands the same policy and
parents to `suppress`), and suppresses whole indicator × period tables before selecting rows,
so that every output hides the same cells.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from jamlik.data.disclosure import AuditResult, audit
from jamlik.data.models import Definitions
from jamlik.data.policy import SuppressionPolicy, read_policy
from jamlik.data.query import observations_frame
from jamlik.data.store_definitions import read_definitions
from jamlik.data.suppression import suppress
from jamlik.workspace import Workspace


def area_parents(definitions: Definitions) -> dict[str, str | None]:
    """Area id → parent area id, as defined."""
    return {a.id: a.parent for a in definitions.areas}


def published_observations(
    workspace: Workspace,
    indicators: str | Iterable[str] | None = None,
    *,
    policy: SuppressionPolicy | None = None,
    definitions: Definitions | None = None,
) -> pd.DataFrame:
    """`observations_frame` of the indicators (all areas, all dimensions), suppressed with the
    workspace's policy (or `policy`) across the area hierarchy."""
    policy = policy or read_policy(workspace)
    definitions = definitions or read_definitions(workspace)
    frame = observations_frame(workspace, indicators=indicators)
    return suppress(frame, policy, parents=area_parents(definitions))


def check_workspace(
    workspace: Workspace,
    indicators: str | Iterable[str] | None = None,
    *,
    policy: SuppressionPolicy | None = None,
) -> AuditResult:
    """`jamlik privacy check`: the differencing attack on what the workspace publishes."""
    policy = policy or read_policy(workspace)
    definitions = read_definitions(workspace)
    frame = published_observations(workspace, indicators, policy=policy, definitions=definitions)
    return audit(frame, area_parents(definitions), policy)
