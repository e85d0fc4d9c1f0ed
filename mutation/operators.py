"""Three mutation operators the rule tables need, added to Cosmic Ray's core set.

Cosmic Ray's own operators change comparisons, numbers, booleans and arithmetic. Silta's
rules are also tables: which states a transition leaves from, which states are open, which
permissions a role holds, which side may act. These operators change a table cell:

- ``DropElement``: drop one element of a tuple, list or set literal (an open state, a
  permission, a source state);
- ``SwapSide``: the sending side for the receiving side and back;
- ``ReturnNone``: a function returns ``None`` instead of its value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import parso
from cosmic_ray.operators.operator import Example, Operator

Position = tuple[tuple[int, int], tuple[int, int]]

SIDES = {"SENDER": "RECEIVER", "RECEIVER": "SENDER"}


def _is_comma(node: Any) -> bool:
    return node.type == "operator" and node.value == ","


def _literal_elements(node: Any) -> list[Any]:
    """The elements of a tuple/list/set literal node, or [] if it is not one."""
    if node.type not in ("testlist_comp", "dictorsetmaker") or node.parent.type != "atom":
        return []
    children = node.children
    if any(c.type in ("sync_comp_for", "comp_for") for c in children):
        return []  # a comprehension, not a literal
    if node.type == "dictorsetmaker" and any(
        c.type == "operator" and c.value in (":", "**") for c in children
    ):
        return []  # a dict
    return [c for c in children if not _is_comma(c)]


class DropElement(Operator):
    """Drop one element of a tuple, list or set literal."""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        for element in _literal_elements(node):
            yield (element.start_pos, element.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        element = _literal_elements(node)[index]
        children = list(node.children)
        at = children.index(element)
        # Remove the element and its comma (the one after it, or before it if last).
        if at + 1 < len(children) and _is_comma(children[at + 1]):
            del children[at : at + 2]
        elif at > 0 and _is_comma(children[at - 1]):
            del children[at - 1 : at + 1]
        else:
            del children[at]
        if not children:
            return None  # ``(a,)`` becomes ``()``
        first = children[0].get_first_leaf()
        if first.prefix.startswith(" "):
            first.prefix = ""
        node.children = children
        return node

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("x = (a, b, c)", "x = (b, c)"),
            Example("x = (a, b, c)", "x = (a, c)", occurrence=1),
            Example("x = (a,)", "x = ()"),
            Example("x = frozenset({a, b})", "x = frozenset({a})", occurrence=1),
        )


class SwapSide(Operator):
    """The sending side for the receiving side, and back."""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        if node.type == "name" and node.value in SIDES and not _in_import(node):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        return parso.python.tree.Name(SIDES[node.value], node.start_pos, node.prefix)

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("side = SENDER", "side = RECEIVER"),)


def _in_import(node: Any) -> bool:
    while node is not None:
        if node.type in ("import_from", "import_name"):
            return True
        node = node.parent
    return False


class ReturnNone(Operator):
    """``return <value>`` becomes ``return None``."""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        if node.type == "return_stmt" and len(node.children) == 2:
            value = node.children[1]
            if not (value.type == "keyword" and value.value == "None"):
                yield (value.start_pos, value.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        value = node.children[1]
        node.children[1] = parso.python.tree.Keyword("None", value.start_pos, " ")
        return node

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("def f():\n    return x\n", "def f():\n    return None\n"),)


OPERATORS: dict[str, type[Operator]] = {
    "DropElement": DropElement,
    "SwapSide": SwapSide,
    "ReturnNone": ReturnNone,
}
