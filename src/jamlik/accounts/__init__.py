"""Accounts, roles, sessions, API tokens and sign-in throttling (issue 7).

Passwords are argon2id hashes; session and API tokens are stored as SHA-256 digests; every
account change is written to the audit log in the same transaction. `can(user, action,
resource)` holds the role rules. The FastAPI dependencies built on these live in
`jamlik.accounts.guard` (imported separately, so this package does not need FastAPI).
"""

from jamlik.accounts.csrf import (
    BINDING_COOKIE,
    FORM_FIELD,
    HEADER,
    SESSION_COOKIE,
    check_csrf,
    cookie_options,
    csrf_token,
    new_binding,
    site_secret,
)
from jamlik.accounts.logins import authenticate, throttled_until
from jamlik.accounts.model import (
    DEFAULT_POLICY,
    PUBLIC,
    ROLES,
    AccountError,
    AccountPolicy,
    LoginRefused,
    LoginThrottled,
    Role,
    User,
)
from jamlik.accounts.passwords import hash_password, temporary_password, verify_password
from jamlik.accounts.permissions import (
    ACTIONS,
    KINDS,
    Action,
    Kind,
    NotAllowed,
    Resource,
    can,
    require,
)
from jamlik.accounts.sessions import end_all_sessions, end_session, session_user, start_session
from jamlik.accounts.tokens import TokenInfo, create_token, list_tokens, revoke_token, token_user
from jamlik.accounts.users import (
    create_user,
    get_user,
    list_users,
    reset_password,
    set_password,
    snapshot,
    update_user,
)

__all__ = [
    "ACTIONS",
    "BINDING_COOKIE",
    "DEFAULT_POLICY",
    "FORM_FIELD",
    "HEADER",
    "KINDS",
    "PUBLIC",
    "ROLES",
    "SESSION_COOKIE",
    "AccountError",
    "AccountPolicy",
    "Action",
    "Kind",
    "LoginRefused",
    "LoginThrottled",
    "NotAllowed",
    "Resource",
    "Role",
    "TokenInfo",
    "User",
    "authenticate",
    "can",
    "check_csrf",
    "cookie_options",
    "create_token",
    "create_user",
    "csrf_token",
    "end_all_sessions",
    "end_session",
    "get_user",
    "hash_password",
    "list_tokens",
    "list_users",
    "new_binding",
    "require",
    "reset_password",
    "revoke_token",
    "session_user",
    "set_password",
    "site_secret",
    "snapshot",
    "start_session",
    "temporary_password",
    "throttled_until",
    "token_user",
    "update_user",
    "verify_password",
]
