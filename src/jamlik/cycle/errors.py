"""The follow-up cycle's errors: every message Swedish first, English beside, and saying what
to do."""

from __future__ import annotations

from jamlik.audit import ConflictError
from jamlik.errors import JamlikError


class CycleError(JamlikError):
    """A request about the follow-up cycle that cannot be carried out (bad input, wrong state)."""


class NotFound(CycleError):
    """No such period, report, assessment or corrective action."""


class PeriodClosed(CycleError):
    """The period is closed: its reports and assessments are the official record."""

    def __init__(self, label: str) -> None:
        self.label = label
        super().__init__(
            f"Perioden ”{label}” är stängd och går inte att ändra; en processledare kan öppna "
            f"den igen med en motivering. / The period '{label}' is closed and cannot be "
            "changed; a process leader may reopen it, giving a reason."
        )


class WorkflowError(CycleError):
    """A step the workflow does not allow from the record's state (e.g. approving a draft)."""


class CycleConflict(ConflictError):
    """Someone else saved the report or assessment after this person opened it."""

    NOUNS = {"cycle_report": "rapporten", "cycle_assessment": "bedömningen",
             "cycle_action": "åtgärden"}  # fmt: skip

    def __init__(self, entity: str, entity_id: str, expected: int, current: int | None) -> None:
        super().__init__(entity, entity_id, expected, current)
        noun = self.NOUNS.get(entity, "posten")
        # ConflictError words it for its own entities; say which record this is.
        self.args = (
            f"Någon annan har sparat {noun} sedan du öppnade den (version {expected}, nu "
            f"{current}). Dina ändringar har inte sparats: ladda om, se vad som ändrats och gör "
            f"om dina ändringar. / Someone else saved this {entity} ({entity_id}) after you "
            f"opened it (version {expected}, now {current}); nothing was saved. Reload and make "
            "your changes again.",
        )

    def __str__(self) -> str:
        return str(self.args[0])
