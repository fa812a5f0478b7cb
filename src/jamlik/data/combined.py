"""Definitions and the observations that need them, stored in one transaction.

A source (Kolada, PxWeb) brings the indicators, areas and subgroups its data uses along with
the data. Storing them as two imports could leave definitions behind without their data when
the second fails; here both commit together or not at all.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from jamlik.contention import retry_writing
from jamlik.data.models import Definitions
from jamlik.data.observations import InTransaction, frame_checksum, frame_rows, observations_into
from jamlik.data.store_definitions import definitions_checksum, definitions_into
from jamlik.data.summary import ImportSummary
from jamlik.data.yamlfile import Origin
from jamlik.workspace import Workspace


def import_with_definitions(
    workspace: Workspace,
    definitions: Definitions,
    frame: pd.DataFrame,
    *,
    source: str,
    checksum: str | None = None,
    attribution: str | None = None,
    url: str | None = None,
    query: str | None = None,
    in_transaction: InTransaction | None = None,
) -> tuple[ImportSummary | None, ImportSummary]:
    """Upsert `definitions`, then validate and upsert the observation `frame`, all or nothing.

    Returns (definitions summary, or None when `definitions` is empty; observations summary).
    The observations are validated against the definitions as they will be stored, so a frame
    may use ids that only `definitions` defines. Problems in either raise `ValidationError`
    and nothing is written. `in_transaction(session, summary)` is called inside the
    transaction for each of the two summaries (definitions first), before it commits.
    """
    raw = frame_rows(frame, source)
    workspace.init()
    validated: dict = {}  # the validation, kept between attempts (see observations_into)

    def work(session: Session) -> tuple[ImportSummary | None, ImportSummary]:
        defined = None
        if definitions.areas or definitions.dimensions or definitions.indicators:
            defined = definitions_into(
                session, definitions, Origin(source),
                source=source, checksum=definitions_checksum(definitions),
            )  # fmt: skip
        observed = observations_into(
            session, raw, source=source, fmt="frame", decimal="either",
            checksum=checksum or frame_checksum(frame), attribution=attribution, url=url,
            query=query, validated=validated,
        )  # fmt: skip
        if in_transaction is not None:
            for summary in (defined, observed):
                if summary is not None:
                    in_transaction(session, summary)
        return defined, observed

    return retry_writing(workspace, work)
