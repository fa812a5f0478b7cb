"""Accounts: names, roles and actor links are checked; every change leaves an audit entry
without secrets."""

from __future__ import annotations

import pytest
from accounts_helpers import ACTORS, PASSWORD

from jamlik.accounts import AccountError, create_user, get_user, list_users, update_user
from jamlik.audit import read_log


def test_editor_is_linked_to_existing_actors(ws):
    with ws.session() as s:
        user = create_user(
            s, "Eva", "editor", password=PASSWORD, actors=[ACTORS[0], ACTORS[1]], by="cli:root"
        )
    assert user.name == "eva" and user.role == "editor"
    assert user.actors == frozenset(ACTORS[:2])
    with ws.session() as s:
        assert get_user(s, "EVA") == user
        assert [u.name for u in list_users(s)] == ["eva"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "editor"}, "at least one actor"),
        ({"role": "editor", "actors": ["gbg-finns-inte"]}, "unknown actor ids: gbg-finns-inte"),
        ({"role": "superuser"}, "unknown role 'superuser'"),
        ({"role": "reader", "name": "a b"}, "invalid user name"),
    ],
)
def test_bad_accounts_are_refused_with_the_reason(ws, kwargs, message):
    name = kwargs.pop("name", "eva")
    with ws.session() as s, pytest.raises(AccountError, match=message):
        create_user(s, name, password=PASSWORD, by="test", **kwargs)
    with ws.session() as s:
        assert list_users(s) == []


def test_duplicate_names_are_refused_whatever_their_case(ws):
    with ws.session() as s:
        create_user(s, "eva", "reader", password=PASSWORD, by="test")
    with ws.session() as s, pytest.raises(AccountError, match="already exists"):
        create_user(s, "EVA", "reader", password=PASSWORD, by="test")


def test_account_changes_are_audited_before_and_after_without_password_hashes(ws):
    with ws.session() as s:
        create_user(s, "eva", "reader", password=PASSWORD, by="cli:root")
    with ws.session() as s:
        update_user(s, "eva", role="editor", actors=[ACTORS[2]], by="admin")
    with ws.session() as s:
        log = read_log(s, entity="user", entity_id="eva")
    assert [(e.user, e.action) for e in log] == [("cli:root", "create"), ("admin", "update")]
    assert log[1].before["role"] == "reader" and log[1].before["actors"] == []
    assert log[1].after["role"] == "editor" and log[1].after["actors"] == [ACTORS[2]]
    assert "argon2" not in repr(log)
