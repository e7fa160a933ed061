r"""Dynamic device-group membership rules (spec §6), in the Azure AD rule syntax.

Grammar (``-and`` binds tighter than ``-or``; ``-not`` tighter than both)::

    rule       := or_expr END
    or_expr    := and_expr ("-or" and_expr)*
    and_expr   := unary ("-and" unary)*
    unary      := "-not" unary | "(" or_expr ")" | comparison
    comparison := PROPERTY OPERATOR "quoted value"

Operator, keyword and property names are case-insensitive (``-EQ``, ``device.devicemodel``), and
so is every comparison. Quoting [simulator rule]: values are in double quotes; inside one, \" is a
quote and \\ a backslash; any other backslash stays as written ("A\B" is A\B).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

PROPERTIES: dict[str, str] = {  # rule property -> DeviceFacts attribute
    "device.deviceModel": "device_model",
    "device.deviceOSVersion": "device_os_version",
    "device.deviceOwnership": "device_ownership",
    "device.enrollmentProfileName": "enrollment_profile_name",
}
OPERATORS: dict[str, Callable[[str, str], bool]] = {  # operands are already casefolded
    "-eq": lambda actual, expected: actual == expected,
    "-ne": lambda actual, expected: actual != expected,
    "-startsWith": lambda actual, expected: actual.startswith(expected),
    "-contains": lambda actual, expected: expected in actual,
}
_PROPERTY_NAMES = {name.casefold(): name for name in PROPERTIES}
_OPERATOR_NAMES = {name.casefold(): name for name in OPERATORS}
_TOKEN = re.compile(
    r'(?P<paren>[()])|(?P<string>"(?:[^"\\]|\\.)*")|(?P<word>[^\s()"]+)|(?P<unterminated>")',
    re.DOTALL,
)
_ESCAPE = re.compile(r'\\([\\"])')
_MAX_DEPTH = 100  # nesting of parentheses and -not; deeper rules are refused, not a RecursionError


class RuleError(ValueError):
    """A rule that does not parse, with the place to point the admin at."""

    def __init__(self, message: str, position: int, token: str = "") -> None:
        super().__init__(message, position, token)
        self.message = message
        self.position = position
        self.token = token

    def __str__(self) -> str:
        return f"{self.message} at position {self.position}"


@dataclass(frozen=True)
class DeviceFacts:
    """What a rule can see of a device."""

    enrollment_profile_name: str
    device_ownership: str  # "Personal" | "Company", any case
    device_model: str
    device_os_version: str


@dataclass(frozen=True)
class Comparison:
    property: str  # canonical spelling, e.g. "device.deviceModel"
    operator: str  # canonical spelling, e.g. "-startsWith"
    value: str

    def matches(self, device: DeviceFacts) -> bool:
        actual = getattr(device, PROPERTIES[self.property]) or ""
        return OPERATORS[self.operator](actual.casefold(), self.value.casefold())


@dataclass(frozen=True)
class Not:
    operand: Expression

    def matches(self, device: DeviceFacts) -> bool:
        return not self.operand.matches(device)


@dataclass(frozen=True)
class And:
    operands: tuple[Expression, ...]

    def matches(self, device: DeviceFacts) -> bool:
        return all(operand.matches(device) for operand in self.operands)


@dataclass(frozen=True)
class Or:
    operands: tuple[Expression, ...]

    def matches(self, device: DeviceFacts) -> bool:
        return any(operand.matches(device) for operand in self.operands)


Expression = Comparison | Not | And | Or


@dataclass(frozen=True)
class Rule:
    """A parsed rule: the text the admin wrote and the expression it means."""

    text: str
    expression: Expression

    def matches(self, device: DeviceFacts) -> bool:
        return self.expression.matches(device)

    def properties(self) -> frozenset[str]:
        return _properties(self.expression)


def _properties(expression: Expression) -> frozenset[str]:
    match expression:
        case Comparison():
            return frozenset({expression.property})
        case Not():
            return _properties(expression.operand)
        case _:
            return frozenset().union(*map(_properties, expression.operands))


@dataclass(frozen=True)
class _Token:
    kind: str  # "word" | "string" | "(" | ")" | "end"
    text: str  # as written, quotes included
    position: int
    value: str = ""  # a string's unescaped content


def _tokens(text: str) -> Iterator[_Token]:
    """Split rule text; an unterminated quote raises RuleError after the tokens before it."""
    for match in _TOKEN.finditer(text):  # whitespace is the only text no alternative matches
        kind, written, start = match.lastgroup or "", match[0], match.start()
        if kind == "unterminated":
            raise RuleError('unterminated quoted value (missing closing ")', start, text[start:])
        if kind == "string":
            yield _Token(kind, written, start, _ESCAPE.sub(r"\1", written[1:-1]))
        else:
            yield _Token(written if kind == "paren" else kind, written, start)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = [*_tokens(text), _Token("end", "", len(text))]
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        self.index += 1  # never past "end": only words, strings and "(" are taken
        return self.tokens[self.index - 1]

    def at_keyword(self, keyword: str) -> bool:
        token = self.peek()
        return token.kind == "word" and token.text.casefold() == keyword

    def fail(self, message: str, token: _Token) -> RuleError:
        return RuleError(message, token.position, token.text)

    def expected(self, what: str, after: str = "") -> RuleError:
        token = self.peek()
        message = f"expected {what}" + (f" after {after}" if after else "")
        if token.kind != "end":
            message += f" but found '{token.text}'"
        return self.fail(message, token)

    def rule(self) -> Expression:
        if self.peek().kind == "end":
            raise RuleError("empty rule", 0, "")
        expression = self.or_expr()
        token = self.peek()
        if token.kind == ")":
            raise self.fail("unbalanced parenthesis: ')' has no matching '('", token)
        if token.kind != "end":
            raise self.fail(f"unexpected '{token.text}' (expected -and or -or)", token)
        return expression

    def or_expr(self, after: str = "") -> Expression:
        operands = [self.and_expr(after)]
        while self.at_keyword("-or"):
            operands.append(self.and_expr(after=self.take().text))
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def and_expr(self, after: str = "") -> Expression:
        operands = [self.unary(after)]
        while self.at_keyword("-and"):
            operands.append(self.unary(after=self.take().text))
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def unary(self, after: str = "") -> Expression:
        token = self.peek()
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.fail(f"rule nested more than {_MAX_DEPTH} levels deep", token)
        try:
            if self.at_keyword("-not"):
                return Not(self.unary(after=self.take().text))
            if token.kind == "(":
                return self.parenthesised()
            if token.kind == "word" and not token.text.startswith("-"):
                return self.comparison()
            raise self.expected("a condition", after)
        finally:
            self.depth -= 1

    def parenthesised(self) -> Expression:
        opening = self.take()
        expression = self.or_expr(after="'('")
        token = self.peek()
        if token.kind == "end":
            raise self.fail("unbalanced parenthesis: '(' is never closed", opening)
        if token.kind != ")":
            raise self.fail(f"unexpected '{token.text}' (expected -and, -or or ')')", token)
        self.take()
        return expression

    def comparison(self) -> Comparison:
        token = self.take()
        name = _PROPERTY_NAMES.get(token.text.casefold())
        if name is None:
            expected = ", ".join(sorted(PROPERTIES))
            raise self.fail(f"unknown property '{token.text}' (expected one of {expected})", token)
        token = self.peek()
        if token.kind != "word":
            raise self.expected("an operator", after=name)
        operator = _OPERATOR_NAMES.get(token.text.casefold())
        if operator is None:
            expected = ", ".join(OPERATORS)
            raise self.fail(f"unknown operator '{token.text}' (expected one of {expected})", token)
        self.take()
        token = self.peek()
        if token.kind != "string":
            error = self.expected("a quoted value", after=operator)
            if token.kind == "word":
                error.message += ' (put values in double quotes, e.g. "iPhone")'
            raise error
        return Comparison(name, operator, self.take().value)


def parse(text: str) -> Rule:
    """Parse a membership rule; RuleError says what is wrong and where."""
    return Rule(text, _Parser(text).rule())


def validate(text: str) -> None:
    """Raise RuleError when the rule does not parse."""
    parse(text)


def is_device_rule(text: str) -> bool:
    """Whether the rule names device.* properties (a device group's rule), even if it is broken."""
    try:
        for token in _tokens(text):
            if token.kind == "word" and token.text.casefold().startswith("device."):
                return True
    except RuleError:
        pass
    return False
