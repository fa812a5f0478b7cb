"""jamlik.invest loads its names lazily (`_EXPORTS`); type checkers and editors read the
`if TYPE_CHECKING:` imports and `__all__` instead. The three must name the same things."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import jamlik.invest as invest


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse(Path(invest.__file__).read_text(encoding="utf-8"))
    (block,) = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    found = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names:
            found[alias.asname or alias.name] = node.module.removeprefix("jamlik.invest.")
    return found


def test_type_checkers_see_every_lazy_name_from_its_module():
    assert _type_checking_imports() == invest._EXPORTS
    assert invest.__all__ == sorted(invest._EXPORTS)


def test_every_name_resolves_to_the_object_in_its_module():
    for name, module in invest._EXPORTS.items():
        expected = getattr(importlib.import_module(f"jamlik.invest.{module}"), name)
        assert getattr(invest, name) is expected, name
