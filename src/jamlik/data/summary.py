"""What an import did, for the caller and for the CLI summary."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportSummary:
    """The outcome of one import (definitions or observations).

    `inserted + updated + unchanged + kept == rows` for observations; `kept` counts suppressed
    cells without an estimate that met a different stored row and left it as it was (as when an
    export with small cells blanked is imported again). `import_id` is the provenance record
    written for this import, or None when nothing changed (then no record is written).
    `already_imported` is True when an earlier import had the same checksum.
    `created` counts definitions made from a self-describing file, e.g. {"indicator": 2}.
    """

    kind: str  # "observations" | "definitions"
    source: str
    checksum: str
    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    import_id: int | None = None
    already_imported: bool = False
    created: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> int:
        """Rows (or definitions) inserted or updated."""
        return self.inserted + self.updated

    def __str__(self) -> str:
        sv, en = (
            ("rader", "rows") if self.kind == "observations" else ("definitioner", "definitions")
        )
        what = f"{sv} / {en}"
        lines = []
        if self.already_imported and self.changed == 0:
            lines.append(
                f"{self.source}: redan importerad, 0 {sv} ändrade / already imported, "
                f"0 {en} changed"
            )
        else:
            lines.append(
                f"{self.source}: {self.rows} {what} lästa / read; "
                f"{self.inserted} nya / new, {self.updated} ändrade / updated, "
                f"{self.unchanged} oförändrade / unchanged"
            )
        if self.kept:
            lines.append(
                f"  {self.kept} sparade rader behölls, röjandeskyddade utan värde i importen / "
                f"{self.kept} stored rows kept: suppressed without an estimate in this import"
            )
        if self.created:
            made = ", ".join(f"{n} {kind}" for kind, n in sorted(self.created.items()))
            lines.append(f"  skapade / created: {made}")
        if self.import_id is not None:
            lines.append(f"  import #{self.import_id}, sha256 {self.checksum[:12]}…")
        lines.extend(f"  {note}" for note in self.notes)
        return "\n".join(lines)
