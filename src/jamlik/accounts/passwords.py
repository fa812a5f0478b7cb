"""Password hashing with argon2id (argon2-cffi) and the rules a password must meet.

The rules follow NIST SP 800-63B (section 3.1.1.2): a minimum length, a generous maximum, no
composition rules, and a check against passwords that are common or guessable from the context
(the user's names, "jamlik", the organisation). The check is zxcvbn's estimate of how many
guesses a password takes, with the context words as its `user_inputs`.

argon2-cffi's defaults follow RFC 9106's recommended low-memory profile and produce
`$argon2id$…` encoded hashes that carry their own parameters, so raising the cost later only
means changing `HASHER`: older hashes still verify and are re-hashed at the next sign-in.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from jamlik.accounts.model import DEFAULT_POLICY, AccountError, AccountPolicy

# Words every password is checked against besides the account's own names.
CONTEXT_WORDS = ("jamlik", "jämlik")
# zxcvbn refuses longer input; longer passwords are judged by their first characters, which
# can only make the estimate lower than the whole password deserves.
_ZXCVBN_MAX = 72
# zxcvbn keeps the user inputs of a call in a module-level dictionary: calls must not overlap.
_ZXCVBN_LOCK = threading.Lock()

DEFAULT_HASHER = PasswordHasher()
HASHER = DEFAULT_HASHER
# Without an account to check against, sign-in still spends one verification, so the time a
# refusal takes does not tell whether the name exists.
_DUMMY_HASH: str | None = None
# Temporary passwords avoid letters that are easy to misread when read out over the phone.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def set_hashing_cost(*, time_cost: int, memory_cost: int, parallelism: int = 1) -> None:
    """Hash new passwords with argon2id at this cost from now on, in this process.

    Nothing in jamlik calls it: production always uses `DEFAULT_HASHER` (RFC 9106's profile).
    The test suite lowers the cost with it, so its thousands of hashes take milliseconds;
    hashes made at any cost still verify, and `needs_rehash` tells them apart.
    """
    global HASHER, _DUMMY_HASH
    HASHER = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    _DUMMY_HASH = None


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


def check_password_rules(
    password: str,
    name: str,
    policy: AccountPolicy = DEFAULT_POLICY,
    *,
    context: Iterable[str | None] = (),
) -> None:
    """Refuse a password that is too short or too long, blank at either end, contains the
    user name, or is easy to guess (common, a pattern, or built from `context`: the display
    name, the organisation, the site's name). Every problem is named, in Swedish and English.

    Composition rules (a digit, a capital) are not imposed: NIST SP 800-63B advises against
    them; length and not being guessable are what matter.
    """
    problems = []
    if len(password) < policy.min_password_length:
        problems.append(
            f"minst {policy.min_password_length} tecken / at least "
            f"{policy.min_password_length} characters"
        )
    if len(password) > policy.max_password_length:
        problems.append(
            f"högst {policy.max_password_length} tecken / at most "
            f"{policy.max_password_length} characters"
        )
    if password != password.strip():
        problems.append("inga blanksteg först eller sist / no spaces at either end")
    if name and name.casefold() in password.casefold():
        problems.append("får inte innehålla användarnamnet / must not contain the user name")
    if not problems:
        words = context_words(name, *context)
        rest = _without(password, words)
        if len(rest) < policy.min_password_length:
            problems.append(
                f"bygger för mycket på ditt namn, jamlik eller organisationens namn: utan dem "
                f"återstår {len(rest)} tecken, minst {policy.min_password_length} behövs / relies "
                f"too much on your name, jamlik or the organisation: without them {len(rest)} "
                f"characters remain, {policy.min_password_length} are needed"
            )
        else:
            weak = _guessable(password, words, policy.min_password_score)
            if weak is not None:
                problems.append(weak)
    if problems:
        raise AccountError("Lösenordet duger inte / password refused: " + "; ".join(problems))


def _without(password: str, words: list[str]) -> str:
    """`password` with every context word of three letters or more taken out (any case)."""
    rest = password.casefold()
    for word in sorted({w.casefold() for w in words if len(w) >= 3}, key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest


def context_words(*texts: str | None) -> list[str]:
    """The words a password must not be built from: each text whole and split into words."""
    words: list[str] = list(CONTEXT_WORDS)
    for text in texts:
        if not text:
            continue
        words.append(text)
        words.extend(w for w in text.replace("-", " ").replace(".", " ").split() if len(w) >= 3)
    return words


def _guessable(password: str, context: list[str], min_score: int) -> str | None:
    """A message when zxcvbn estimates `password` below `min_score` (0-4), else None."""
    from zxcvbn import zxcvbn

    with _ZXCVBN_LOCK:
        found = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=context)
    if found["score"] >= min_score:
        return None
    hint = found["feedback"].get("warning") or "too easy to guess"
    return (
        "för lätt att gissa: ett vanligt lösenord, en upprepning eller en följd, eller byggt "
        "på ditt namn, jamlik eller organisationen. Välj en längre fras av flera ovanliga ord "
        f"/ too easy to guess ({hint.rstrip('.')}); choose a longer phrase of uncommon words"
    )


def temporary_password(length: int = 16) -> str:
    """A random password for an administrator's reset (about 92 bits for 16 characters)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
