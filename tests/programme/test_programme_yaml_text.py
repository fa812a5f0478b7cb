"""Any text survives dump → load unchanged, and the dump is stable (same programme, same bytes)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.programme import Node, Programme, dump_programme, load_programme

# Text as a user could type it: any characters except surrogates and NUL (refused, as
# PostgreSQL refuses it); the models strip surrounding whitespace, so such text is generated
# already stripped.
text = (
    st.text(
        st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
        min_size=1,
        max_size=300,
    )
    .map(str.strip)
    .filter(bool)
)

# Prose: words of YAML-significant characters with single, double and line-breaking separators,
# long enough to be folded.
word = st.text(alphabet="abcåäöXYZ019:#-'\"!>|*&%@`,.?[]{}", min_size=1, max_size=12)
separator = st.sampled_from([" ", " ", " ", " ", "  ", "\n", "\n\n", " \n"])
prose = (
    st.lists(st.tuples(word, separator), min_size=1, max_size=60)
    .map(lambda pairs: "".join(w + s for w, s in pairs).strip())
    .filter(bool)
)
# A title is at most 300 characters (jamlik.limits).
heading = prose.map(lambda s: s[:300].strip()).filter(bool)


@settings(max_examples=150, deadline=None)
@given(title=text | heading, description=prose | text, node_title=heading)
def test_text_round_trips(tmp_path_factory, title: str, description: str, node_title: str) -> None:
    p = Programme(
        id="p",
        title=title,
        description=description,
        node_kinds=["goal"],
        nodes=[Node(id="g", kind="goal", title=node_title, description=description)],
    )
    dumped = dump_programme(p)
    path = tmp_path_factory.mktemp("rt") / "p.yaml"
    path.write_text(dumped, encoding="utf-8")
    again = load_programme(path)
    assert again == p
    assert dump_programme(again) == dumped


def test_long_text_is_folded_without_trailing_spaces() -> None:
    words = " ".join(f"ord{i}" for i in range(120))
    # A title may be at most 300 characters (jamlik.limits): a description is long text.
    dumped = dump_programme(Programme(id="p", title="P", description=words))
    assert "description: >-" in dumped
    assert all(not line.endswith(" ") for line in dumped.splitlines())
    assert max(len(line) for line in dumped.splitlines()) <= 100
