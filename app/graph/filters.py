"""OData `$filter` for the simulator: `eq`, `ne`, `startswith()`, `and`, `or`, `not`, parentheses.

A filter is parsed completely before anything is read and turned into a predicate over the Graph
JSON of an entity. Whatever the simulator does not evaluate (other operators, functions, lambdas,
properties a collection does not filter on) is refused with a 400 that says so: a filter is never
half-understood, so a result is never wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.graph.errors import bad_request

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)(?![\w.])"
    r"|(?P<name>[A-Za-z_@][\w./@]*)|(?P<punct>[(),])|(?P<bad>\S))"
)
_UNSUPPORTED_OPERATORS = {"gt", "ge", "lt", "le", "has", "in", "add", "sub", "mul", "div", "mod"}
_UNSUPPORTED_FUNCTIONS = {"endswith", "contains", "tolower", "toupper", "substring", "length"}
_TYPE_NAMES = {str: "Edm.String", bool: "Edm.Boolean", int: "Edm.Int32"}


@dataclass(frozen=True)
class _Token:
    kind: str  # string | number | name | punct | end
    text: str
    value: Any = None


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            break
        position = match.end()
        kind, raw = match.lastgroup, match.group(match.lastgroup)
        if kind == "bad":
            if raw == "'":
                raise bad_request("Invalid $filter: a quoted string is never closed.")
            raise bad_request(f"Invalid $filter: unexpected character '{raw}'.")
        if kind == "string":
            tokens.append(_Token("string", raw, raw[1:-1].replace("''", "'")))
        elif kind == "number":
            tokens.append(_Token("number", raw, float(raw) if "." in raw else int(raw)))
        else:
            tokens.append(_Token(kind, raw))
    tokens.append(_Token("end", ""))
    return tokens


class _Parser:
    def __init__(self, text: str, properties: dict[str, type]) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.properties = properties
        self.by_key = {name.casefold(): name for name in properties}

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token.kind == "name" and token.text == word:
            self.take()
            return True
        return False

    def expect(self, text: str, where: str) -> None:
        token = self.take()
        if token.text != text:
            found = f"'{token.text}'" if token.kind != "end" else "the end"
            raise bad_request(f"Invalid $filter: expected '{text}' {where} but found {found}.")

    def parse(self) -> Predicate:
        if self.peek().kind == "end":
            raise bad_request("Invalid $filter: the expression is empty.")
        predicate = self.or_expr()
        token = self.peek()
        if token.kind != "end":
            if token.text in _UNSUPPORTED_OPERATORS:
                raise self.unsupported_operator(token.text)
            raise bad_request(f"Invalid $filter: unexpected '{token.text}' (expected and, or).")
        return predicate

    def or_expr(self) -> Predicate:
        operands = [self.and_expr()]
        while self.keyword("or"):
            operands.append(self.and_expr())
        if len(operands) == 1:
            return operands[0]
        return lambda entity: any(p(entity) for p in operands)

    def and_expr(self) -> Predicate:
        operands = [self.unary()]
        while self.keyword("and"):
            operands.append(self.unary())
        if len(operands) == 1:
            return operands[0]
        return lambda entity: all(p(entity) for p in operands)

    def unary(self) -> Predicate:
        if self.keyword("not"):
            operand = self.unary()
            return lambda entity: not operand(entity)
        token = self.peek()
        if token.text == "(":
            self.take()
            inner = self.or_expr()
            self.expect(")", "to close '('")
            return inner
        if token.kind != "name":
            found = f"'{token.text}'" if token.kind != "end" else "the end"
            raise bad_request(f"Invalid $filter: expected a condition but found {found}.")
        self.take()
        if self.peek().text == "(":
            return self.function(token.text)
        return self.comparison(token.text)

    def property(self, name: str) -> str:
        canonical = self.by_key.get(name.casefold())
        if canonical is None:
            supported = ", ".join(sorted(self.properties)) or "none"
            raise bad_request(
                f"$filter on property '{name}' is not supported by the simulator on this "
                f"collection; supported properties: {supported}."
            )
        return canonical

    def literal(self, prop: str) -> Any:
        token = self.take()
        expected = self.properties[prop]
        if token.kind == "name" and token.text in ("true", "false", "null"):
            value = {"true": True, "false": False, "null": None}[token.text]
        elif token.kind in ("string", "number"):
            value = token.value
        else:
            found = f"'{token.text}'" if token.kind != "end" else "the end"
            raise bad_request(
                f"Invalid $filter: expected a value to compare '{prop}' with but found {found}; "
                "the simulator compares a property with a literal (e.g. 'text', 1, true)."
            )
        if value is not None and not (
            isinstance(value, expected) and (expected is not int or not isinstance(value, bool))
        ):
            raise bad_request(
                f"Invalid $filter: '{prop}' is {_TYPE_NAMES.get(expected, expected.__name__)} "
                f"and can't be compared with {token.text}."
            )
        return value

    def comparison(self, name: str) -> Predicate:
        prop = self.property(name)
        operator = self.take()
        if operator.text in _UNSUPPORTED_OPERATORS:
            raise self.unsupported_operator(operator.text)
        if operator.text not in ("eq", "ne"):
            found = f"'{operator.text}'" if operator.kind != "end" else "the end"
            raise bad_request(
                f"Invalid $filter: expected eq or ne after '{prop}' but found {found}."
            )
        value = self.literal(prop)
        wanted = _fold(value)
        if operator.text == "eq":
            return lambda entity: _fold(entity.get(prop)) == wanted
        return lambda entity: _fold(entity.get(prop)) != wanted

    def function(self, name: str) -> Predicate:
        if name != "startswith":
            what = "Lambda operators (any, all)" if name in ("any", "all") else f"'{name}()'"
            if name in _UNSUPPORTED_FUNCTIONS or name in ("any", "all"):
                raise bad_request(
                    f"{what} in $filter are not supported by the simulator; use eq, ne, "
                    "startswith(), and, or, not."
                )
            raise bad_request(f"Invalid $filter: unknown function '{name}()'.")
        self.expect("(", "after startswith")
        token = self.take()
        if token.kind != "name":
            raise bad_request("Invalid $filter: startswith() takes a property, then a string.")
        prop = self.property(token.text)
        if self.properties[prop] is not str:
            raise bad_request(
                f"Invalid $filter: startswith() needs a string property, not '{prop}'."
            )
        self.expect(",", "between the arguments of startswith()")
        value = self.literal(prop)
        self.expect(")", "to close startswith(")
        if value is None:
            raise bad_request("Invalid $filter: startswith() needs a string, not null.")
        prefix = value.casefold()
        return lambda entity: (
            isinstance(entity.get(prop), str) and entity[prop].casefold().startswith(prefix)
        )

    @staticmethod
    def unsupported_operator(operator: str):
        return bad_request(
            f"The operator '{operator}' in $filter is not supported by the simulator; "
            "use eq, ne, startswith(), and, or, not."
        )


def _fold(value: Any) -> Any:
    """Graph compares strings in filters without regard to case."""
    return value.casefold() if isinstance(value, str) else value


def parse_filter(text: str, properties: dict[str, type]) -> Predicate:
    """Parse `$filter` against the filterable properties (name -> str | bool | int)."""
    return _Parser(text, properties).parse()
