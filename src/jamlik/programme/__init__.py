"""The programme model: goal, target areas, strategies, focus areas, priority areas and aims as
a tree of typed nodes, plus initiatives, actors and target groups; YAML exchange with checks
that name file, line and field; storage in a workspace.

Typical use::

    from jamlik.programme import examples, load_programme, import_programme
    programme = load_programme(examples()["goteborg-jamlik-stad"])
    import_programme(workspace, programme)
"""

from jamlik.programme.edit import (
    add_items,
    remove_items,
    rename_ids,
    replace_items,
    replace_prefix,
)
from jamlik.programme.examples import examples, load_example
from jamlik.programme.model import (
    ACTOR_KINDS,
    NODE_KINDS,
    STATUSES,
    Actor,
    Budget,
    Initiative,
    Node,
    Period,
    Programme,
    Reach,
    Section,
    SectionItem,
    TargetGroup,
)
from jamlik.programme.rows import read_programme
from jamlik.programme.rules import programme_issues, validate_programme
from jamlik.programme.store import (
    ProgrammeImportSummary,
    ProgrammeInfo,
    check_programme,
    export_programme,
    import_programme,
    list_programmes,
)
from jamlik.programme.yamlio import dump_programme, load_programme, parse_programme

__all__ = [
    "ACTOR_KINDS",
    "NODE_KINDS",
    "STATUSES",
    "Actor",
    "Budget",
    "Initiative",
    "Node",
    "Period",
    "Programme",
    "ProgrammeImportSummary",
    "ProgrammeInfo",
    "Reach",
    "Section",
    "SectionItem",
    "TargetGroup",
    "add_items",
    "check_programme",
    "dump_programme",
    "examples",
    "export_programme",
    "import_programme",
    "list_programmes",
    "load_example",
    "load_programme",
    "parse_programme",
    "programme_issues",
    "read_programme",
    "remove_items",
    "rename_ids",
    "replace_items",
    "replace_prefix",
    "validate_programme",
]
