"""Password hashing with argon2id (argon2-cffi) and the few rules a password must meet.

argon2-cffi's defaults follow RFC 9106's recommended low-memory profile and produce
`$argon2id$…` encoded hashes that carry their own parameters, so raising the cost later only
means changing `HASHER`: older hashes still verify and are re-hashed at the next sign-in.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from jamlik.accounts.model import DEFAULT_POLICY, AccountError, AccountPolicy

DEFAULT_HASHER = PasswordHasher()
HASHER = DEFAULT_HASHER
# Without an account to check against, sign-in still spends one verification, so the time a
# refusal takes does not tell whether the name exists.
_DUMMY_HASH: str | None = None
# Temporary passwords avoid letters that are easy to misread when read out over the phone.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (random salt; starts with `$argon2id$`)."""
    return HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches `stored_hash`; False for a wrong password or no hash."""
    if stored_hash is None:
        _verify(_dummy_hash(), password)  # same cost as a real check; never matches
        return False
    return _verify(stored_hash, password)


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = HASHER.hash(secrets.token_hex(32))
    return _DUMMY_HASH


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when `stored_hash` was made with other parameters than `HASHER`'s."""
    return HASHER.check_needs_rehash(stored_hash)


def check_password_rules(password: str, name: str, policy: AccountPolicy = DEFAULT_POLICY) -> None:
    """Refuse passwords that are too short, blank at the ends, or contain the user name.

    Length is what matters most (NIST SP 800-63B); composition rules are not imposed.
    """
    problems = []
    if len(password) < policy.min_password_length:
        problems.append(
            f"minst {policy.min_password_length} tecken / at least "
            f"{policy.min_password_length} characters"
        )
    if password != password.strip():
        problems.append("inga blanksteg först eller sist / no spaces at either end")
    if name and name.casefold() in password.casefold():
        problems.append("får inte innehålla användarnamnet / must not contain the user name")
    if problems:
        raise AccountError("Lösenordet duger inte / password refused: " + "; ".join(problems))


def temporary_password(length: int = 16) -> str:
    """A random password for an administrator's reset (about 92 bits for 16 characters)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
