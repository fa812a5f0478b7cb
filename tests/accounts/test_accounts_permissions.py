"""The permission matrix: every role × action × kind × ownership × publication, against a
table written out by hand from issue 7's role descriptions:

- public (not signed in): what the programme publishes, to view and download; nothing else;
- reader: everything not public, read only; never accounts or the audit log;
- analyst: + data imports (and changing imported data) and source queries and refreshes;
- editor: + initiatives and reach of their own actor organisations (create/edit; reach also
  delete); deleting initiatives stays with administrators;
- process_leader (issue 18): a reader who runs the follow-up cycle: periods, and every actor's
  reports, assessments and corrective actions, which it also approves or returns; editors write
  those of their own actors but never approve;
- administrator: users, programme structure, actors, indicators (and definitions imports),
  everything the other roles do, and reading/exporting the audit log;
- nobody writes to the audit log through the application.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from jamlik.accounts import ACTIONS, KINDS, Resource, User, can, require
from jamlik.accounts.permissions import NotAllowed

# Columns: public seeing a published record, public seeing an unpublished one, reader,
# analyst, editor on a record owned by one of the editor's actors, editor on someone else's
# record, administrator.
COLUMNS = (
    "public_pub",
    "public_unpub",
    "reader",
    "analyst",
    "editor_own",
    "editor_other",
    "administrator",
    "process_leader",
)
MATRIX = """
programme   view      Y - Y Y Y Y Y Y
programme   export    Y - Y Y Y Y Y Y
programme   create    - - - - - - Y -
programme   edit      - - - - - - Y -
programme   delete    - - - - - - Y -
programme   import    - - - - - - Y -
programme   refresh   - - - - - - - -
programme   approve   - - - - - - - -
indicator   view      Y - Y Y Y Y Y Y
indicator   export    Y - Y Y Y Y Y Y
indicator   create    - - - - - - Y -
indicator   edit      - - - - - - Y -
indicator   delete    - - - - - - Y -
indicator   import    - - - - - - Y -
indicator   refresh   - - - - - - - -
indicator   approve   - - - - - - - -
actor       view      Y - Y Y Y Y Y Y
actor       export    Y - Y Y Y Y Y Y
actor       create    - - - - - - Y -
actor       edit      - - - - - - Y -
actor       delete    - - - - - - Y -
actor       import    - - - - - - - -
actor       refresh   - - - - - - - -
actor       approve   - - - - - - - -
initiative  view      Y - Y Y Y Y Y Y
initiative  export    Y - Y Y Y Y Y Y
initiative  create    - - - - Y - Y -
initiative  edit      - - - - Y - Y -
initiative  delete    - - - - - - Y -
initiative  import    - - - - - - - -
initiative  refresh   - - - - - - - -
initiative  approve   - - - - - - - -
reach       view      Y - Y Y Y Y Y Y
reach       export    Y - Y Y Y Y Y Y
reach       create    - - - - Y - Y -
reach       edit      - - - - Y - Y -
reach       delete    - - - - Y - Y -
reach       import    - - - - - - - -
reach       refresh   - - - - - - - -
reach       approve   - - - - - - - -
data        view      Y - Y Y Y Y Y Y
data        export    Y - Y Y Y Y Y Y
data        create    - - - Y - - Y -
data        edit      - - - Y - - Y -
data        delete    - - - Y - - Y -
data        import    - - - Y - - Y -
data        refresh   - - - - - - - -
data        approve   - - - - - - - -
source      view      Y - Y Y Y Y Y Y
source      export    Y - Y Y Y Y Y Y
source      create    - - - Y - - Y -
source      edit      - - - Y - - Y -
source      delete    - - - Y - - Y -
source      import    - - - - - - - -
source      refresh   - - - Y - - Y -
source      approve   - - - - - - - -
user        view      - - - - - - Y -
user        export    - - - - - - Y -
user        create    - - - - - - Y -
user        edit      - - - - - - Y -
user        delete    - - - - - - Y -
user        import    - - - - - - - -
user        refresh   - - - - - - - -
user        approve   - - - - - - - -
audit       view      - - - - - - Y -
audit       export    - - - - - - Y -
audit       create    - - - - - - - -
audit       edit      - - - - - - - -
audit       delete    - - - - - - - -
audit       import    - - - - - - - -
audit       refresh   - - - - - - - -
audit       approve   - - - - - - - -
period      view      Y - Y Y Y Y Y Y
period      export    Y - Y Y Y Y Y Y
period      create    - - - - - - Y Y
period      edit      - - - - - - Y Y
period      delete    - - - - - - Y Y
period      import    - - - - - - - -
period      refresh   - - - - - - - -
period      approve   - - - - - - - -
report      view      Y - Y Y Y Y Y Y
report      export    Y - Y Y Y Y Y Y
report      create    - - - - Y - Y Y
report      edit      - - - - Y - Y Y
report      delete    - - - - - - Y -
report      import    - - - - - - - -
report      refresh   - - - - - - - -
report      approve   - - - - - - Y Y
assessment  view      Y - Y Y Y Y Y Y
assessment  export    Y - Y Y Y Y Y Y
assessment  create    - - - - Y - Y Y
assessment  edit      - - - - Y - Y Y
assessment  delete    - - - - - - Y -
assessment  import    - - - - - - - -
assessment  refresh   - - - - - - - -
assessment  approve   - - - - - - Y Y
action      view      Y - Y Y Y Y Y Y
action      export    Y - Y Y Y Y Y Y
action      create    - - - - Y - Y Y
action      edit      - - - - Y - Y Y
action      delete    - - - - - - Y -
action      import    - - - - - - - -
action      refresh   - - - - - - - -
action      approve   - - - - - - Y Y
"""
EXPECTED = {
    (kind, action): dict(zip(COLUMNS, (mark == "Y" for mark in marks), strict=True))
    for kind, action, *marks in (line.split() for line in MATRIX.strip().splitlines())
}
OWN, OTHER = "gbg-sdf-nordost", "gbg-sdf-hisingen"


def _user(role: str) -> User | None:
    if role == "public":
        return None
    return User(
        id=1, name=role, role=role, actors=frozenset({OWN}) if role == "editor" else frozenset()
    )


def _column(role: str, owner: str | None, published: bool) -> str:
    if role == "public":
        return "public_pub" if published else "public_unpub"
    if role == "editor":
        return "editor_own" if owner == OWN else "editor_other"
    return role


def test_the_matrix_covers_every_kind_and_action_once():
    assert set(EXPECTED) == {(k, a) for k in KINDS for a in ACTIONS}
    assert len(MATRIX.strip().splitlines()) == len(KINDS) * len(ACTIONS)


@pytest.mark.parametrize(
    "role", ["public", "reader", "analyst", "editor", "administrator", "process_leader"]
)
def test_permission_matrix(role):
    wrong = []
    for kind in KINDS:
        for action in ACTIONS:
            for owner in (OWN, OTHER, None):
                for published in (True, False):
                    expected = EXPECTED[(kind, action)][_column(role, owner, published)]
                    resource = Resource(kind, owner=owner, published=published)
                    if can(_user(role), action, resource) is not expected:
                        wrong.append(
                            (action, resource, "expected " + ("allow" if expected else "deny"))
                        )
    assert wrong == []


def test_a_bare_kind_means_no_owner_and_not_published():
    editor = _user("editor")
    assert not can(None, "view", "initiative")
    assert can(_user("reader"), "view", "initiative")
    assert not can(editor, "edit", "initiative")  # whose? unknown, so refused
    assert can(editor, "edit", Resource("initiative", owner=OWN))


def test_a_disabled_account_counts_as_public():
    admin = User(id=1, name="a", role="administrator", active=False)
    assert not can(admin, "view", "user")
    assert can(admin, "view", Resource("programme", published=True))
    assert not can(admin, "view", Resource("programme", published=False))


def test_any_principal_with_role_and_actors_works_and_role_public_is_public():
    @dataclass(frozen=True)
    class Viewer:  # the shape of jamlik.web.context.Viewer
        role: str = "public"
        actors: tuple[str, ...] = ()

    assert not can(Viewer(), "view", "initiative")
    assert can(Viewer(role="editor", actors=(OWN,)), "edit", Resource("reach", owner=OWN))


def test_require_explains_and_tells_signed_out_visitors_to_sign_in():
    with pytest.raises(NotAllowed, match="sign in first") as signed_out:
        require(None, "edit", Resource("initiative", owner=OWN))
    assert not signed_out.value.signed_in
    with pytest.raises(NotAllowed) as reader:
        require(_user("reader"), "import", "data")
    assert reader.value.signed_in and "sign in" not in str(reader.value)
    require(_user("analyst"), "import", "data")  # allowed: no exception


def test_unknown_actions_and_kinds_are_programming_errors():
    with pytest.raises(ValueError, match="unknown action"):
        can(None, "publish", "initiative")
    with pytest.raises(ValueError, match="unknown resource kind"):
        can(None, "view", "budget")
