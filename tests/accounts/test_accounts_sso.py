"""Role rules, just-in-time accounts and the web.toml `[sign_in]` table (issue 17), without a
provider: the protocol tests against real providers are in tests/web/test_web_sso.py.

Expected roles come from the rules as written in each test (highest role wins, actors add up,
editing roles need the assurance level), not from running them."""

from __future__ import annotations

import pytest
from accounts_helpers import ACTORS, PASSWORD
from typer.testing import CliRunner

from jamlik.accounts import create_token, create_user, get_user, session_user, token_user
from jamlik.accounts.sso.config import OidcProvider, RoleRule, SignInConfig
from jamlik.accounts.sso.mapping import Identity, decide
from jamlik.accounts.sso.provision import SignInRefused, sign_in_external
from jamlik.audit import read_log
from jamlik.errors import ValidationError
from jamlik.web.settings import read_config

PROVIDER = OidcProvider(
    id="entra",
    label="Göteborgs Stad",
    issuer="https://login.example/tenant/v2.0",
    client_id="jamlik",
    roles=(
        RoleRule(value="all-staff", role="reader"),
        RoleRule(value="nordost-editors", role="editor", actors=(ACTORS[0],)),
        RoleRule(value="hisingen-editors", role="editor", actors=(ACTORS[1],)),
        RoleRule(value="process", role="process_leader"),
        RoleRule(claim="organisation", value="Statistikbyrån", role="analyst"),
        RoleRule(claim="employeeType", value="admin", role="administrator"),
    ),
    editing_assurance=("loa3",),
)


def person(*groups: str, assurance: str | None = "loa3", subject: str = "s-1", **more) -> Identity:
    return Identity(
        provider=PROVIDER.key, issuer=PROVIDER.issuer, subject=subject,
        name=more.pop("name", "eva.ek@example.se"), display_name="Eva Ek",
        organisation=more.pop("organisation", None), groups=groups, assurance=assurance,
        claims=more,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "role", "actors"),
    [
        (person("all-staff"), "reader", set()),
        (person("all-staff", "nordost-editors", "hisingen-editors"), "editor", set(ACTORS[:2])),
        (person("nordost-editors", "process"), "process_leader", set()),
        (person("all-staff", organisation="Statistikbyrån"), "analyst", set()),
        (person("all-staff", employeeType=["staff", "admin"]), "administrator", set()),
        (person("unrelated"), None, set()),
        # Editing roles need LoA 3; below it the person may only read.
        (person("nordost-editors", assurance="loa2"), "reader", set()),
        (person("nordost-editors", assurance=None), "reader", set()),
    ],
)
def test_rules_give_the_highest_role_and_the_actors(who, role, actors):
    decision = decide(PROVIDER, who)
    assert (decision.role, set(decision.actors)) == (role, actors)


def test_default_role_for_people_no_rule_names():
    lenient = PROVIDER.model_copy(update={"default_role": "reader"})
    assert decide(lenient, person("unrelated")).role == "reader"


def _sign_in(ws, who: Identity):
    """As the web does: a refusal still commits (losing the role deactivates the account)."""
    refused = None
    with ws.session() as s:
        try:
            return sign_in_external(s, who, decide(PROVIDER, who))
        except SignInRefused as exc:
            refused = exc
    raise refused


def test_first_sign_in_makes_the_account_and_later_ones_follow_the_groups(ws):
    user, token = _sign_in(ws, person("nordost-editors", "all-staff"))
    assert (user.name, user.role, user.actors) == ("eva.ek@example.se", "editor", {ACTORS[0]})
    assert (user.source, user.groups) == ("oidc:entra", ("all-staff", "nordost-editors"))
    with ws.session() as s:
        api = create_token(s, user.name, "robot", by="test")

    moved, _ = _sign_in(ws, person("hisingen-editors"))
    assert (moved.role, moved.actors) == ("editor", {ACTORS[1]})

    with pytest.raises(SignInRefused, match="ingen roll i jamlik"):
        _sign_in(ws, person("unrelated"))
    with ws.session() as s:
        assert get_user(s, user.name).active is False
        assert session_user(s, token) is None and token_user(s, api) is None
        actions = [(e.user, e.action) for e in read_log(s, entity="user", entity_id=user.name)]
    assert actions[:2] == [("oidc:entra", "create"), (user.name, "sign_in")]

    back, _ = _sign_in(ws, person("all-staff"))  # the provider let them in again
    assert (back.active, back.role) == (True, "reader")


def test_an_account_an_administrator_switched_off_stays_off(ws):
    user, _ = _sign_in(ws, person("all-staff"))
    with ws.session() as s:
        from jamlik.accounts import update_user

        update_user(s, user.name, active=False, by="cli:root")
    with pytest.raises(SignInRefused, match="avstängt av en administratör"):
        _sign_in(ws, person("all-staff"))


def test_a_provider_cannot_take_over_a_local_account_by_its_name(ws):
    with ws.session() as s:
        create_user(s, "admin", "administrator", password=PASSWORD, by="test")
    with pytest.raises(SignInRefused, match="already belongs to another jamlik account"):
        _sign_in(ws, person("all-staff", name="admin", subject="attacker"))
    with ws.session() as s:
        admin = get_user(s, "admin")
    assert (admin.source, admin.role) == (None, "administrator")


def test_an_unusable_name_claim_is_refused_with_the_reason(ws):
    with pytest.raises(SignInRefused, match="claims.name"):
        _sign_in(ws, person("all-staff", name="Eva Ek (Nordost)"))


def test_end_access_from_the_command_line(ws, run_cli):
    user, token = _sign_in(ws, person("all-staff"))
    with ws.session() as s:
        api = create_token(s, user.name, "robot", by="test")
    done = run_cli("user", "end-access", user.name)
    assert done.exit_code == 0 and "1 sessioner och 1 API-nycklar" in done.output
    with ws.session() as s:
        assert session_user(s, token) is None and token_user(s, api) is None


@pytest.fixture
def run_cli(ws, monkeypatch):
    import typer

    from jamlik.cli import accounts as accounts_cli

    monkeypatch.delenv("JAMLIK_DATABASE_URL", raising=False)
    app = typer.Typer()
    accounts_cli.register(app)
    return lambda *args: CliRunner().invoke(app, [*args, "--workspace", str(ws.path)])


def test_web_toml_sign_in_table_is_checked_with_the_field_named(tmp_path):
    path = tmp_path / "web.toml"
    path.write_text(
        '[sign_in]\nbase_url = "https://jamlik.example.se"\n'
        '[[sign_in.oidc]]\nid = "entra"\nlabel = "Stad"\nissuer = "https://idp"\nclient_id = "x"\n'
        '[[sign_in.oidc.roles]]\nvalue = "g"\nrole = "editor"\n',
        "utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read_config(path)
    assert "web.toml" in str(caught.value) and "names no actors" in str(caught.value)
    path.write_text(
        '[[sign_in.oidc]]\nid = "e"\nlabel = "S"\nissuer = "https://i"\nclient_id = "x"\n'
    )
    with pytest.raises(ValidationError, match="base_url"):
        read_config(path)


def test_passwords_off_leaves_only_the_break_glass_accounts():
    config = SignInConfig(local=False, break_glass=("Nodkonto",))
    assert config.password_allowed("nodkonto") and config.password_allowed(" NODKONTO ")
    assert not config.password_allowed("anna")
    assert SignInConfig().password_allowed("anna")


def test_client_secret_from_file_or_environment(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    assert PROVIDER.model_copy(update={"client_secret_file": secret}).client_secret() == "s3cret"
    env = PROVIDER.model_copy(update={"client_secret_env": "JAMLIK_TEST_SECRET"})
    monkeypatch.delenv("JAMLIK_TEST_SECRET", raising=False)
    with pytest.raises(Exception, match="JAMLIK_TEST_SECRET"):
        env.client_secret()
    monkeypatch.setenv("JAMLIK_TEST_SECRET", "fr0m-env")
    assert env.client_secret() == "fr0m-env"


def test_an_unreachable_provider_is_named_in_the_error():
    import socket

    from jamlik.accounts.sso.oidc import OidcClient, OidcError

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = PROVIDER.model_copy(update={"issuer": f"http://127.0.0.1:{port}"})
    with pytest.raises(OidcError, match="Identitetsleverantören entra svarar inte"):
        OidcClient(down, "https://jamlik.example").discovery()
