"""YAML that people edit: read so that every problem names file, line and field; written stably.

Definitions, programmes, source queries and (later) investment files all go through here.
ruamel.yaml's round-trip loader keeps the line of every key and list item; the values are handed
to pydantic as plain Python; each pydantic error becomes a `jamlik.errors.Problem` at the
nearest line that is in the file (a missing key points at the record that lacks it).

What differs between kinds of file is an explicit option of `parse_document`/`load_document`:
`text_scalars` (codes such as 0180 stay text), `dates_as_text` (an impossible date becomes a
located problem, not a crash) and `text_keys` (every mapping key becomes text).

Tagged values (a mapping whose kind one key names, such as an investment's distributions
`{dist: triangular, low: 1, mode: 2, high: 4}`, pydantic's discriminated unions) are described to
`Document.validate` by a `Tagged`: an unknown kind is then reported at the tag key in words that
name the kinds, and an unknown key lists the keys of the kind the tag names.

Every YAML text jamlik reads passes `guard` first: a file is written by people, and may be
written by an attacker, so aliases may not expand past `ALIAS_BUDGET` values (a "billion laughs"
file of a few hundred bytes would otherwise grow to gigabytes), nesting may not go deeper than
`MAX_DEPTH` (deeper structures overflow Python's stack) and only YAML's standard tags are allowed
(a `!!python/...` tag is no data jamlik knows). Each refusal is a located problem.
"""

from __future__ import annotations

import io
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarbool import ScalarBoolean

from jamlik.errors import Problem, ValidationError

Loc = tuple[str | int, ...]
"""A path into a document: mapping keys and 0-based list positions, e.g. `("areas", 2, "parent")`."""

M = TypeVar("M", bound=BaseModel)

Describe = Callable[[Mapping[str, Any], list[str] | None], str]
"""Words for one pydantic error; gets the error and, for an unknown key, the keys allowed there."""


def field_name(loc: Loc) -> str:
    """`("areas", 2, "parent")` → `areas[2].parent` (indices 0-based, as in JSONPath)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class Tagged:
    """Mappings whose kind the value of `key` names (a pydantic union with `discriminator=key`).

    `name_sv`/`name_en` name what the kinds are ("fördelning"/"distribution"), `kinds` lists them
    in the order messages show them.
    """

    key: str
    name_sv: str
    name_en: str
    kinds: tuple[str, ...]

    def describe(self, err: Mapping[str, Any]) -> str | None:
        """Words for an error about the tag itself; None for any other error."""
        if err["type"] == "union_tag_invalid":
            kinds = ", ".join(self.kinds)
            return (
                f"okänd {self.name_sv} / unknown {self.name_en}: '{self.key}' ska vara en av / "
                f"should be one of {kinds}"
            )
        if err["type"] == "union_tag_not_found":
            return (
                f"en {self.name_sv} behöver nyckeln '{self.key}' / a {self.name_en} needs the "
                f"key '{self.key}'"
            )
        return None

    def pick(self, models: list[type[BaseModel]], node: Any) -> list[type[BaseModel]]:
        """Of the union's `models`, those whose tag is the one `node` (the mapping) names."""
        tag = node.get(self.key) if isinstance(node, dict) else None
        if tag is None:
            return models
        named = [m for m in models if _tag_of(m, self.key) == tag]
        return named or models


def _tag_of(model: type[BaseModel], key: str) -> Any:
    info = model.model_fields.get(key)
    args = typing.get_args(info.annotation) if info is not None else ()
    return args[0] if args else None


def describe_error(err: Mapping[str, Any], allowed: list[str] | None = None) -> str:
    """A pydantic error in words, Swedish first; `allowed` lists the keys an unknown key may be."""
    kind = err["type"]
    if kind == "missing":
        return "obligatoriskt fält saknas / required field is missing"
    if kind == "extra_forbidden":
        hint = f" (tillåtna / allowed: {', '.join(allowed)})" if allowed else ""
        return f"okänd nyckel / unknown key{hint}"
    msg = err["msg"].removeprefix("Value error, ")
    return f"ogiltigt värde / invalid value: {msg}"


@dataclass
class Document:
    """A loaded YAML document: plain values, the line of every key and item, the source name.

    `tree` is ruamel's round-trip tree (None for data that did not come from text). `outside`
    is the line a place that is in no part of the file points at (None: no line; 1: the top).
    """

    source: str
    data: Any = None
    lines: dict[Loc, int] = field(default_factory=dict)
    tree: Any = None
    outside: int | None = None

    def line(self, loc: Loc) -> int | None:
        """1-based line of the deepest part of `loc` that is in the file (`outside` when none is)."""
        for cut in range(len(loc), 0, -1):
            if (found := self.lines.get(tuple(loc[:cut]))) is not None:
                return found
        return self.outside

    def problem(self, loc: Loc, message: str) -> Problem:
        """A Problem at `loc`: this document's source, the nearest line and the field name."""
        return Problem(self.source, message, line=self.line(loc), field=field_name(loc) or None)

    def pydantic_problems(
        self,
        exc: PydanticError,
        model: type[BaseModel],
        *,
        data: Any = None,
        at: Loc = (),
        describe: Describe = describe_error,
        tagged: Tagged | None = None,
    ) -> list[Problem]:
        """`exc` (from validating `data`, by default the document, as `model`) as Problems.

        `at` is where `data` sits in the document. One problem per place: the branches of a
        union all fail at the same key, and the first one's words suffice. `tagged` describes
        the document's tagged values, if it has any.
        """
        value = self.data if data is None else data
        found: dict[Loc, Problem] = {}
        for err in exc.errors():
            inner = document_path(err, value)
            words = tagged.describe(err) if tagged is not None else None
            if tagged is not None and err["type"] == "union_tag_invalid":
                inner = (*inner, tagged.key)  # point at the unknown kind
            if words is None:
                allowed = (
                    allowed_keys(model, inner[:-1], value, tagged)
                    if err["type"] == "extra_forbidden"
                    else None
                )
                words = describe(err, allowed)
            loc = (*at, *inner)
            found.setdefault(loc, self.problem(loc, words))
        return list(found.values())

    def validate(
        self,
        model: type[M],
        data: Any = None,
        at: Loc = (),
        *,
        describe: Describe = describe_error,
        tagged: Tagged | None = None,
    ) -> M:
        """`model` from the document (or from `data`, the part of it at `at`).

        Raises ValidationError listing every pydantic error with its line and field.
        """
        value = self.data if data is None else data
        try:
            return model.model_validate(value)
        except PydanticError as exc:
            problems = self.pydantic_problems(
                exc, model, data=value, at=at, describe=describe, tagged=tagged
            )
            raise ValidationError(problems) from None


def validated(model: type[M], data: Any, source: str) -> M:
    """`model` from plain data (not from a file); errors name `source` and the field."""
    return Document(source, data).validate(model)


# -- reading -------------------------------------------------------------------------------


def read_text(path: str | Path) -> str:
    """The text of a UTF-8 file (a byte order mark is dropped).

    Raises ValidationError naming the file when it is missing, unreadable or not UTF-8.
    """
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        message = "filen finns inte / file not found"
    except UnicodeDecodeError as exc:
        message = (
            f"inte UTF-8-text / not UTF-8 text ({exc.reason}); "
            "spara filen som UTF-8 / save it as UTF-8"
        )
    except OSError as exc:
        message = f"kan inte läsas / cannot be read: {exc.strerror or exc}"
    raise ValidationError([Problem(str(p), message)])


def load_document(
    path: str | Path,
    *,
    source: str | None = None,
    text_scalars: bool = False,
    dates_as_text: bool = False,
    text_keys: bool = True,
    outside: int | None = None,
) -> Document:
    """Read a YAML file into a Document named `source` (default: the path as given).

    Problems opening the file name the full path. See `parse_document` for the options.
    """
    text = read_text(path)
    return parse_document(
        text,
        str(path) if source is None else source,
        text_scalars=text_scalars,
        dates_as_text=dates_as_text,
        text_keys=text_keys,
        outside=outside,
    )


def parse_document(
    text: str,
    source: str,
    *,
    text_scalars: bool = False,
    dates_as_text: bool = False,
    text_keys: bool = True,
    outside: int | None = None,
) -> Document:
    """Parse YAML text into a Document; a syntax error raises ValidationError with its line.

    - `text_scalars`: every unquoted scalar is text except null (`0180` stays "0180", `true`
      stays "true"); pydantic turns text into numbers or booleans where a field asks for them.
    - `dates_as_text`: `2023-02-30` is the text "2023-02-30", not a date (or a crash).
    - `text_keys`: mapping keys become text (`1: x` has the key "1"); without it, a key that is
      not text stays as it is, so a model can say keys must be text.
    - `outside`: the line a problem at no place in the file points at, when the file holds
      any keys or items (1: the top of the file; None: no line).
    """
    guard(text, source)
    yaml = YAML(typ="rt")
    if text_scalars:
        yaml.Resolver = _TextResolver
    if dates_as_text:
        yaml.Constructor = _DatesAsText
    try:
        tree = yaml.load(text)
    except YAMLError as exc:
        raise ValidationError([_syntax_problem(exc, source)]) from exc
    lines: dict[Loc, int] = {}
    _index(tree, (), lines, text_keys)
    return Document(
        source, plain(tree, text_keys=text_keys), lines, tree, outside if lines else None
    )


ALIAS_BUDGET = 10_000
"""The most values a document may reach through aliases (`*name`), counted as if expanded."""

MAX_DEPTH = 64
"""The deepest nesting of lists and mappings a document may have."""

_STANDARD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    None,
    "!",  # the non-specific tag: `! 12` is the text "12"
    *(_STANDARD + name for name in ("str", "int", "float", "bool", "null", "seq", "map")),
    *(_STANDARD + name for name in ("timestamp", "merge")),
}


def guard(text: str, source: str) -> None:
    """Refuse YAML whose aliases expand too far, whose nesting is too deep or that uses a tag
    other than YAML's standard ones, before anything is built from it.

    Works on the parser's events, which come in linear time without recursion, and stops at the
    first refusal, so a hostile file costs little. Raises ValidationError with the line.
    """
    sizes: dict[str, int] = {}  # anchor → values it holds with its aliases expanded
    open_: list[list[Any]] = []  # per open list or mapping: [anchor, values so far]
    through_aliases = 0
    try:
        for event in YAML(typ="rt").parse(text):
            if not isinstance(event, NodeEvent | CollectionEndEvent):
                continue
            line = event.start_mark.line + 1
            size = 1
            if isinstance(event, AliasEvent):
                if any(anchor == event.anchor for anchor, _ in open_):
                    _refuse(source, line, _SELF_ALIAS.format(name=event.anchor))
                size = sizes.get(event.anchor, 0)  # an unknown alias: the loader says so
                through_aliases += size
                if through_aliases > ALIAS_BUDGET:
                    _refuse(source, line, _ALIASES)
            elif isinstance(event, CollectionEndEvent):
                anchor, size = open_.pop()
                if anchor is not None:
                    sizes[anchor] = size
            else:
                tag = getattr(event, "tag", None)  # scalar and collection events carry one
                if tag not in _ALLOWED_TAGS:
                    _refuse(source, line, _TAG.format(tag=_shown_tag(tag)))
                if isinstance(event, CollectionStartEvent):
                    open_.append([event.anchor, 1])
                    if len(open_) > MAX_DEPTH:
                        _refuse(source, line, _DEPTH)
                    continue
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            if open_:
                open_[-1][1] += size
    except YAMLError as exc:
        raise ValidationError([_syntax_problem(exc, source)]) from exc


_ALIASES = (
    f"alias (*namn) som ger fler än {ALIAS_BUDGET:,} värden / aliases (*name) that expand to "
    f"more than {ALIAS_BUDGET:,} values; skriv ut värdena i stället / write the values out instead"
)
_SELF_ALIAS = (
    "aliaset *{name} pekar på sig självt / the alias *{name} refers to itself; "
    "ta bort det / remove it"
)
_DEPTH = (
    f"för djup nästling: fler än {MAX_DEPTH} nivåer av listor och mappningar / nested too "
    f"deeply: more than {MAX_DEPTH} levels of lists and mappings; "
    "gör strukturen plattare / make the structure flatter"
)
_TAG = (
    "okänd tagg / unknown tag {tag}: jamlik läser vanlig YAML utan taggar / jamlik reads "
    "plain YAML without tags; ta bort taggen / remove the tag"
)


def _shown_tag(tag: str | None) -> str:
    tag = str(tag)
    return "!!" + tag.removeprefix(_STANDARD) if tag.startswith(_STANDARD) else tag


def _refuse(source: str, line: int, message: str) -> typing.NoReturn:
    problem = Problem(source, f"inte tillåten YAML / YAML not allowed: {message}", line=line)
    raise ValidationError([problem])


_NULLS = {"", "~", "null", "Null", "NULL"}


class _TextResolver(VersionedResolver):
    """Resolves every untagged plain scalar but null as a string (quoted ones already are)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and value not in _NULLS:
            return super().resolve(kind, value, (False, False))
        return super().resolve(kind, value, implicit)


class _DatesAsText(RoundTripConstructor):
    """Keeps timestamps as the text written, so that the model decides what a date is."""


_DatesAsText.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node)
)


def _syntax_problem(exc: YAMLError, source: str) -> Problem:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    line = mark.line + 1 if mark is not None else None
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if context_mark is not None and context_mark.line + 1 != line:
        # The parser notices a missing bracket or quote where it stumbles, not where it began.
        what += f" ({getattr(exc, 'context', None) or 'opened'} at line {context_mark.line + 1})"
    return Problem(source, f"inte giltig YAML / not valid YAML: {what}", line=line)


def _index(node: Any, loc: Loc, lines: dict[Loc, int], text_keys: bool) -> None:
    if isinstance(node, CommentedMap):
        for key in node:
            place = node.lc.data.get(key)
            if place is None:
                # Merged in by `<<: *anchor`: its lines are where the anchor is.
                continue
            sub = (*loc, _key(key, text_keys))
            lines[sub] = place[0] + 1
            _index(node[key], sub, lines, text_keys)
    elif isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            sub = (*loc, i)
            lines[sub] = node.lc.item(i)[0] + 1
            _index(item, sub, lines, text_keys)


def _key(key: Any, text_keys: bool) -> Any:
    return str(key) if text_keys or isinstance(key, str) else key


def plain(node: Any, *, text_keys: bool = True) -> Any:
    """ruamel's round-trip values as plain Python: dict, list, str, int, float, bool …

    ruamel's own types (CommentedMap, ScalarFloat, LiteralScalarString, ScalarBoolean …)
    remember how they were written; the models want the values only.
    """
    if isinstance(node, dict):
        return {_key(k, text_keys): plain(v, text_keys=text_keys) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v, text_keys=text_keys) for v in node]
    if isinstance(node, ScalarBoolean):  # an int subclass, not a bool
        return bool(node)
    if isinstance(node, TaggedScalar):  # `!!str 0180`: the guard lets only standard tags by
        return str(node.value)
    for base in (bool, str, int, float):
        if isinstance(node, base):
            return base(node)
    return node


# -- pydantic errors → places in the document ----------------------------------------------


def document_path(err: Mapping[str, Any], data: Any) -> Loc:
    """The parts of a pydantic error's location that are keys and items of `data`.

    Other parts name pydantic's own union branches ("list[...]", "literal['a']", a class
    name) and are left out. A key that is not in `data` is kept only as the last part of a
    'missing' error (or of 'invalid_key', which names a key such as null as text): it is the key
    the error is about.
    """
    loc = err["loc"]
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        absent_ok = i == len(loc) - 1 and err["type"] in ("missing", "invalid_key")
        if isinstance(node, dict) and (part in node or absent_ok):
            out.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
    return tuple(out)


def allowed_keys(
    model: type[BaseModel], loc: Loc, data: Any = None, tagged: Tagged | None = None
) -> list[str] | None:
    """The keys the mapping at `loc` of a `model` document may have (for 'unknown key').

    None when the place does not hold exactly one model (a union of models, a free mapping).
    With `tagged` and the document's `data`, a union of tagged models is narrowed to the one
    the mapping's tag names.
    """
    current: type[BaseModel] | None = model
    node = data
    for part in loc:
        if isinstance(node, dict | list):
            node = _child(node, part)
        if isinstance(part, int):
            continue
        info = _field(current, part) if current is not None else None
        if info is None:
            return None
        found = _models_in(info.annotation)
        if tagged is not None and len(found) > 1:
            found = tagged.pick(found, node)
        current = found[0] if len(found) == 1 else None
    if current is None:
        return None
    return [f.alias or name for name, f in current.model_fields.items()]


def _child(node: dict | list, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    return node[part] if isinstance(part, int) and 0 <= part < len(node) else None


def _field(model: type[BaseModel], key: Any) -> Any:
    fields = model.model_fields
    return fields.get(key) or next((f for f in fields.values() if f.alias == key), None)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The model classes a field holds, through Optional, unions, lists and Annotated."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Annotated, typing.Union, types.UnionType, list, tuple, Sequence):
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            args = args[:1]  # the rest is metadata
        return [m for arg in args for m in _models_in(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


# -- writing -------------------------------------------------------------------------------


def dump_yaml(data: Any) -> str:
    """Plain data as YAML text in one stable layout: block style, 2-space mappings, list items
    indented under their key, lines folded at 100 characters, non-ASCII written as is."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.allow_unicode = True
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()
