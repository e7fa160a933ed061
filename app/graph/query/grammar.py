"""OData `$filter` as Graph reads it, parsed by a lark grammar into app.graph.query.nodes.

Operators and functions are case-insensitive (`startsWith`, `EQ`), as Microsoft's OData parser
reads them. The text is bounded (app.graph.filter_bounds) before it gets here, so no tree is
deeper than the bounds allow; a parse error is a 400 that says what was expected where.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from functools import cache

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from app.graph.errors import bad_request
from app.graph.query.nodes import And, Call, Compare, In, Lambda, Lit, Node, Not, Or, Prop

# A date, optionally a time of day and an offset (OData's dateTimeOffset and date literals).
_DATETIME = (
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2}))?(?![\w:-])"
)
GRAMMAR_TEMPLATE = r"""
?start: or_expr
?or_expr: and_expr (_OR and_expr)*
?and_expr: unary (_AND unary)*
?unary: _NOT unary -> negation
      | atom
?atom: "(" or_expr ")"
     | comparison
     | membership
     | call
     | lambda_expr
comparison: path COMPOP literal
membership: path _IN "(" literal ("," literal)* ")"
call: FUNC "(" path "," literal ")"
lambda_expr: path LAMBDA "(" [NAME ":" or_expr] ")"
path: NAME ("/" NAME)*
?literal: STRING -> string
        | DATETIME -> datetime
        | GUID -> guid
        | NUMBER -> number
        | BOOLEAN -> boolean
        | NULL -> null
        | ENUM -> enum

_OR.2: /or\b/i
_AND.2: /and\b/i
_NOT.2: /not\b/i
_IN.2: /in\b/i
COMPOP.2: /(eq|ne|gt|ge|lt|le)\b/i
FUNC.3: /(startswith|endswith|contains)(?=\s*\()/i
LAMBDA.3: /\/\s*(any|all)(?=\s*\()/i
STRING: /'(?:[^']|'')*'/
GUID.5: /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/
DATETIME.4: /%s/
NUMBER.2: /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/
BOOLEAN.2: /(true|false)\b/i
NULL.2: /null\b/i
ENUM.2: /[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+'(?:[^']|'')*'/
NAME: /[A-Za-z_]\w*/

%import common.WS
%ignore WS
"""
GRAMMAR = GRAMMAR_TEMPLATE.replace("%s", _DATETIME, 1)


def _unquote(text: str) -> str:
    return text[1:-1].replace("''", "'")


@v_args(inline=True)
class _Tree(Transformer):
    """Lark's parse tree to the node dataclasses."""

    def or_expr(self, *operands: Node) -> Or:
        return Or(tuple(operands))

    def and_expr(self, *operands: Node) -> And:
        return And(tuple(operands))

    def negation(self, operand: Node) -> Node:
        # `not not x` is x, in SQL's three-valued logic too: a chain of them never reaches the
        # database, whose parser overflows on some 40 nested NOTs (a 500 the fuzz suite found).
        return operand.operand if isinstance(operand, Not) else Not(operand)

    def path(self, *names: Token) -> Prop:
        return Prop(tuple(str(n) for n in names))

    def comparison(self, prop: Prop, op: Token, value: Lit) -> Compare:
        return Compare(str(op).lower(), prop, value)

    def membership(self, prop: Prop, *values: Lit) -> In:
        return In(prop, tuple(values))

    def call(self, name: Token, prop: Prop, value: Lit) -> Call:
        return Call(str(name).lower(), prop, value)

    def lambda_expr(self, prop: Prop, kind: Token, var: Token | None, body: Node | None):
        return Lambda(str(kind).lstrip("/ \t").lower(), prop, str(var) if var else "", body)

    def string(self, token: Token) -> Lit:
        return Lit("string", _unquote(token), str(token))

    def number(self, token: Token) -> Lit:
        text = str(token)
        if any(c in text for c in ".eE"):
            return Lit("float", float(text), text)
        return Lit("int", int(text), text)

    def boolean(self, token: Token) -> Lit:
        return Lit("bool", str(token).lower() == "true", str(token))

    def null(self, token: Token) -> Lit:
        return Lit("null", None, str(token))

    def guid(self, token: Token) -> Lit:
        return Lit("guid", str(uuid.UUID(str(token))), str(token))

    def datetime(self, token: Token) -> Lit:
        text = str(token)
        try:
            if len(text) == 10:
                value = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
            else:
                value = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        except ValueError:
            raise bad_request(f"Invalid $filter: '{text}' is not a valid date and time.") from None
        return Lit("datetime", value.astimezone(UTC), text)

    def enum(self, token: Token) -> Lit:
        text = str(token)
        type_name, _, quoted = text.partition("'")
        return Lit("enum", _unquote("'" + quoted), text)


@cache
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", lexer="contextual", maybe_placeholders=True)


def parse(text: str) -> Node:
    """The tree of a `$filter`; a 400 saying what was expected where when it is not OData."""
    if not text.strip():
        raise bad_request("Invalid $filter: the expression is empty.")
    try:
        tree = _parser().parse(text)
        return _Tree().transform(tree)
    except VisitError as exc:  # a literal the transformer refused (an impossible date)
        raise exc.orig_exc from None
    except UnexpectedInput as exc:
        raise bad_request(f"Invalid $filter: {_explain(exc, text)}") from None


def _found(token: Token) -> str:
    return "the end" if token.type == "$END" else f"'{token}'"


def _explain(exc: UnexpectedInput, text: str) -> str:
    """Lark's error as a sentence about the filter, naming what was expected."""
    if isinstance(exc, UnexpectedCharacters):
        character = text[exc.pos_in_stream]
        if character == "'":
            return "a quoted string is never closed."
        return f"unexpected character '{character}' at position {exc.pos_in_stream + 1}."
    if not isinstance(exc, UnexpectedToken):
        return "the expression ends too early."
    token, expected = exc.token, set(exc.expected)
    found = _found(token)
    if token.type == "LPAR" and exc.state is not None:
        previous = text[: token.start_pos].rstrip().rsplit(None, 1)[-1:] or [""]
        name = previous[0].split("(")[-1].split("/")[-1]
        return (
            f"unknown function '{name}()'; the functions are startswith, endswith, contains "
            "and the lambdas any, all."
        )
    if expected & {"_AND", "_OR"}:
        if token.type == "$END" and "RPAR" in expected:
            return "expected ')' to close '(' but found the end."
        return f"unexpected {found} (expected and, or, ')' or the end)."
    if token.type == "RPAR" and "COMMA" in expected:
        return f"expected ',' between the arguments of a function but found {found}."
    if "COMPOP" in expected:
        return f"expected eq or ne, gt, ge, lt, le, in after a property but found {found}."
    if expected & {"STRING", "NUMBER", "BOOLEAN", "DATETIME"}:
        return (
            f"expected a value (e.g. 'text', 1, true, null, 2026-01-01T00:00:00Z) but found "
            f"{found}."
        )
    if "COMMA" in expected:
        return f"expected ',' between the arguments of a function but found {found}."
    if "RPAR" in expected:
        return f"expected ')' to close '(' but found {found}."
    if token.type == "$END":
        return "the expression ends too early: expected a condition."
    if "NAME" in expected or "FUNC" in expected:
        return f"expected a condition (a property, a function, not, '(') but found {found}."
    return f"unexpected {found} (expected and, or, or the end)."
