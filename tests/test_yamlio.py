"""The shared YAML machinery: lines of keys and items, pydantic errors at the nearest line, the
options that differ between kinds of file, clear errors for files that cannot be read.

Every expected line number is counted by hand: each line of TEXT ends with `# <its number>`,
and `test_text_is_numbered_as_its_comments_say` checks that counting.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict

from jamlik.errors import ValidationError
from jamlik.yamlio import (
    Document,
    allowed_keys,
    dump_yaml,
    field_name,
    load_document,
    parse_document,
    validated,
)

TEXT = """\
name: Exempel              # 1
areas:                     # 2
  - id: norr               # 3
    title: Norr            # 4
    codes: [0180, 1480]    # 5
  - id: syd                # 6
    parent:                # 7
      id: norr             # 8
      kind: district       # 9
meta: {year: 2024}         # 10
"""


class Parent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    kind: Literal["municipality", "district"]


class Area(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str | None = None
    codes: list[int] = []
    parent: Parent | None = None


class File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    areas: list[Area]
    meta: dict[str, int] = {}


def test_text_is_numbered_as_its_comments_say() -> None:
    for number, line in enumerate(TEXT.splitlines(), start=1):
        assert line.rstrip().endswith(f"# {number}")


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("name",), 1),
        (("areas",), 2),
        (("areas", 0), 3),
        (("areas", 0, "id"), 3),
        (("areas", 0, "title"), 4),
        (("areas", 0, "codes"), 5),
        (("areas", 0, "codes", 1), 5),
        (("areas", 1), 6),
        (("areas", 1, "parent"), 7),
        (("areas", 1, "parent", "id"), 8),
        (("areas", 1, "parent", "kind"), 9),
        (("meta", "year"), 10),
        # Not in the file: the nearest enclosing key or item that is.
        (("areas", 1, "title"), 6),
        (("areas", 1, "parent", "code", "x"), 7),
        (("areas", 5, "id"), 2),
    ],
)
def test_line_of_nested_keys_and_items(loc: tuple, line: int) -> None:
    assert parse_document(TEXT, "t.yaml").line(loc) == line


def test_nothing_of_the_path_in_the_file_has_no_line() -> None:
    doc = parse_document(TEXT, "t.yaml")
    assert doc.line(("nope",)) is None and doc.line(()) is None


def test_problem_names_source_line_and_field() -> None:
    problem = parse_document(TEXT, "t.yaml").problem(("areas", 1, "parent", "id"), "fel")
    assert (problem.source, problem.line, problem.field, problem.message) == (
        "t.yaml",
        8,
        "areas[1].parent.id",
        "fel",
    )
    assert str(problem) == "t.yaml, line 8, 'areas[1].parent.id': fel"


def test_field_name() -> None:
    assert field_name(("areas", 2, "parent")) == "areas[2].parent"
    assert field_name(("codes", 0, 1)) == "codes[0][1]"
    assert field_name(()) == ""


def test_valid_document_gives_plain_values() -> None:
    doc = parse_document(TEXT, "t.yaml")
    parsed = doc.validate(File)
    # YAML 1.2 reads 0180 as the decimal integer 180 (no octal without 0o).
    assert parsed.areas[0].codes == [180, 1480]
    assert parsed.areas[1].parent == Parent(id="norr", kind="district")
    assert type(doc.data) is dict and type(doc.data["areas"][0]["codes"][0]) is int


def _problems(text: str, model: type[BaseModel] = File) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ValidationError) as raised:
        parse_document(text, "t.yaml").validate(model)
    return [(p.line, p.field, p.message) for p in raised.value.problems]


def test_pydantic_errors_point_at_the_nearest_line() -> None:
    text = (
        TEXT.replace("title: Norr ", "title: [Norr]")  # a list, not a text
        .replace("1480]", "x]")  # a code that is not a number
        .replace("      kind: district       # 9\n", "")  # missing: meta is now on line 9
        .replace("meta: {year: 2024}", "meta: {year: 2024}\ncolour: red")  # unknown, line 10
    )
    found = {(line, field): message for line, field, message in _problems(text)}
    assert set(found) == {
        (4, "areas[0].title"),
        (5, "areas[0].codes[1]"),
        (7, "areas[1].parent.kind"),  # missing: the record that lacks it
        (10, "colour"),
    }
    assert found[(7, "areas[1].parent.kind")] == (
        "obligatoriskt fält saknas / required field is missing"
    )
    assert found[(10, "colour")] == (
        "okänd nyckel / unknown key (tillåtna / allowed: name, areas, meta)"
    )
    assert found[(5, "areas[0].codes[1]")].startswith("ogiltigt värde / invalid value: ")


def test_unknown_key_in_a_nested_record_lists_that_records_keys() -> None:
    text = TEXT.replace("      kind: district", "      kind: district\n      size: 3")
    assert _problems(text) == [
        (10, "areas[1].parent.size", "okänd nyckel / unknown key (tillåtna / allowed: id, kind)")
    ]


class Either(BaseModel):
    value: int | list[int]


def test_union_branches_make_one_problem_at_the_key_itself() -> None:
    # pydantic reports value.int and value.list[int]; neither branch name is a key in the file.
    (problem,) = _problems("value: abc\n", Either)
    assert problem[:2] == (1, "value")


def test_validate_a_part_of_the_document() -> None:
    doc = parse_document(TEXT, "t.yaml")
    with pytest.raises(ValidationError) as raised:
        doc.validate(Parent, doc.data["areas"][0], at=("areas", 0))
    fields = {(p.line, p.field) for p in raised.value.problems}
    assert fields == {(3, "areas[0].kind"), (4, "areas[0].title"), (5, "areas[0].codes")}


def test_validated_plain_data_has_fields_but_no_lines() -> None:
    with pytest.raises(ValidationError) as raised:
        validated(Parent, {"id": "x", "kind": "city"}, "mapping")
    (problem,) = raised.value.problems
    assert (problem.source, problem.line, problem.field) == ("mapping", None, "kind")


def test_allowed_keys_follow_lists_and_optional_models() -> None:
    assert allowed_keys(File, ()) == ["name", "areas", "meta"]
    assert allowed_keys(File, ("areas", 3, "parent")) == ["id", "kind"]
    assert allowed_keys(File, ("meta",)) is None  # a free mapping, not a model


# -- options ---------------------------------------------------------------------------------


def test_text_scalars_keep_codes_as_written() -> None:
    text = "codes: [0180, 1480, 01]\nflag: true\nshare: 1.50\nnone: ~\nempty:\nquoted: '7'\n"
    data = parse_document(text, "t.yaml", text_scalars=True).data
    assert data == {
        "codes": ["0180", "1480", "01"],
        "flag": "true",
        "share": "1.50",
        "none": None,
        "empty": None,
        "quoted": "7",
    }
    default = parse_document(text, "t.yaml").data
    assert default["codes"] == [180, 1480, 1] and default["flag"] is True
    assert default["share"] == 1.5 and type(default["share"]) is float


def test_dates_as_text() -> None:
    text = "start: 2023-01-31\nend: 2023-02-30\n"
    assert parse_document(text, "t.yaml", dates_as_text=True).data == {
        "start": "2023-01-31",
        "end": "2023-02-30",  # no such day: the model, not the loader, says so
    }
    assert parse_document("start: 2023-01-31\n", "t.yaml").data == {
        "start": datetime.date(2023, 1, 31)
    }


def test_text_keys() -> None:
    text = "a: 1\n2: b\n"  # the key 2 is on line 2
    assert parse_document(text, "t.yaml").data == {"a": 1, "2": "b"}
    kept = parse_document(text, "t.yaml", text_keys=False)
    assert kept.data == {"a": 1, 2: "b"}
    assert kept.line((2,)) == 2


def test_merged_keys_do_not_break_the_index() -> None:
    text = "base: &b\n  kind: district\nsyd:\n  <<: *b\n  id: syd\n"
    doc = parse_document(text, "t.yaml")
    assert doc.data["syd"] == {"id": "syd", "kind": "district"}
    assert doc.line(("syd", "id")) == 5
    assert doc.line(("syd", "kind")) == 3  # merged in: the record that merges it


# -- errors reading the file -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb: [1, 2\nc: 3\n", 3, "flow sequence at line 2"),
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key"),
        ("a:\n  b: 1\n\tc: 2\n", 3, "'\\t'"),
        ("a: 1\n  b: 2\n", 2, "mapping values are not allowed"),
    ],
    ids=["unclosed bracket", "duplicate key", "tab", "bad indentation"],
)
def test_syntax_error_names_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_document(text, "t.yaml")
    (problem,) = raised.value.problems
    assert (problem.source, problem.line) == ("t.yaml", line)
    assert problem.message.startswith("inte giltig YAML / not valid YAML: ")
    assert words in problem.message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ValidationError) as raised:
        load_document(path)
    (problem,) = raised.value.problems
    assert (problem.source, problem.message) == (str(path), "filen finns inte / file not found")


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "ansi.yaml"
    path.write_bytes("name: Borås\n".encode("cp1252"))
    with pytest.raises(ValidationError) as raised:
        load_document(path, source="ansi.yaml")
    (problem,) = raised.value.problems
    assert problem.source == str(path)  # opening failed: the full path says which file
    assert "not UTF-8 text" in problem.message and "save it as UTF-8" in problem.message


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="kan inte läsas / cannot be read"):
        load_document(tmp_path)


def test_file_with_byte_order_mark_keeps_its_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeff".encode() + TEXT.encode())
    doc = load_document(path, source="bom.yaml")
    assert doc.source == "bom.yaml" and doc.data["name"] == "Exempel"
    assert doc.line(("areas", 1, "parent", "id")) == 8


# -- writing ---------------------------------------------------------------------------------


def test_dump_layout() -> None:
    data = {"b": [1, {"c": "Borås", "d": [2]}], "a": "x"}
    assert dump_yaml(data) == "b:\n  - 1\n  - c: Borås\n    d:\n      - 2\na: x\n"


def test_dump_then_load_gives_the_same_data() -> None:
    data = {"name": "q", "select": {"Region": ["0180", "1480"]}, "n": 3, "on": True, "x": None}
    text = dump_yaml(data)
    assert parse_document(text, "t.yaml").data == data
    assert dump_yaml(parse_document(text, "t.yaml").data) == text


def test_document_is_a_plain_record() -> None:
    doc = Document("x.yaml")
    assert (doc.data, doc.lines, doc.tree) == (None, {}, None)
