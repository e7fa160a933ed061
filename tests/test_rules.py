"""Dynamic device-group membership rules (spec §6): parse, evaluate, and point at mistakes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.enrollment.rules import (
    OPERATORS,
    PROPERTIES,
    DeviceFacts,
    RuleError,
    is_device_rule,
    parse,
    validate,
)

DEVICES = {
    "byod_iphone": DeviceFacts("BYOD Choice", "Personal", "iPhone", "13.1.2"),
    "corp_ipad": DeviceFacts("Corporate iPads", "Company", "iPad", "12.4"),
    "unprofiled": DeviceFacts("", "personal", "iPhone", "14.0"),  # callers may pass lower case
}
ALL = set(DEVICES)
IPAD = 'device.deviceModel -eq "iPad"'
IPHONE = 'device.deviceModel -eq "iPhone"'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('(device.enrollmentProfileName -eq "BYOD Choice")', {"byod_iphone"}),
        ('device.enrollmentProfileName -eq "byod choice"', {"byod_iphone"}),
        ('DEVICE.ENROLLMENTPROFILENAME -EQ "BYOD Choice"', {"byod_iphone"}),
        ('device.enrollmentProfileName -eq ""', {"unprofiled"}),
        ('device.enrollmentProfileName -ne "BYOD Choice"', {"corp_ipad", "unprofiled"}),
        ('device.enrollmentProfileName -Ne "byod CHOICE"', {"corp_ipad", "unprofiled"}),
        ('device.deviceOwnership -eq "Personal"', {"byod_iphone", "unprofiled"}),
        ('device.deviceOwnership -eq "company"', {"corp_ipad"}),
        ('device.deviceModel -startsWith "ip"', ALL),
        ('device.deviceModel -StartsWith "iPa"', {"corp_ipad"}),
        ('device.deviceOSVersion -startswith "13."', {"byod_iphone"}),
        ('device.enrollmentProfileName -contains "ipad"', {"corp_ipad"}),
        ('device.enrollmentProfileName -CONTAINS ""', ALL),
        ('device.deviceOSVersion -contains ".1."', {"byod_iphone"}),
        (f"-not ({IPAD})", {"byod_iphone", "unprofiled"}),
        (f"-not {IPAD}", {"byod_iphone", "unprofiled"}),
        (f"-NOT -not {IPAD}", {"corp_ipad"}),
        (f"-not({IPAD})", {"byod_iphone", "unprofiled"}),
        # -and binds tighter than -or, on either side
        (
            f'{IPAD} -or {IPHONE} -and device.deviceOSVersion -eq "14.0"',
            {"corp_ipad", "unprofiled"},
        ),
        (
            f'device.deviceOSVersion -eq "14.0" -and {IPHONE} -or {IPAD}',
            {"corp_ipad", "unprofiled"},
        ),
        (f'({IPAD} -or {IPHONE}) -and device.deviceOSVersion -eq "14.0"', {"unprofiled"}),
        (f'-not {IPAD} -and device.deviceOwnership -eq "personal"', {"byod_iphone", "unprofiled"}),
        (f'-not ({IPAD} -or device.deviceOSVersion -eq "14.0")', {"byod_iphone"}),
        (
            'device.deviceOwnership -eq "Personal" -AND -Not (device.enrollmentProfileName -eq "")',
            {"byod_iphone"},
        ),
        (
            f'{IPAD} -OR\n\tdevice.enrollmentProfileName -eq "BYOD Choice"',
            {"byod_iphone", "corp_ipad"},
        ),
        (f"(({IPAD}))", {"corp_ipad"}),
        (f"({IPAD})-or({IPHONE})", ALL),
        ('device.deviceModel -eq"iPad"', {"corp_ipad"}),
    ],
)
def test_good_rules_match_the_right_devices(text: str, expected: set[str]) -> None:
    rule = parse(text)
    assert rule.text == text
    assert {name for name, device in DEVICES.items() if rule.matches(device)} == expected
    validate(text)


@pytest.mark.parametrize(
    ("text", "profile_name"),
    [
        (r'device.enrollmentProfileName -eq "Say \"hi\""', 'Say "hi"'),
        (r'device.enrollmentProfileName -eq "A\\B"', "A\\B"),
        (r'device.enrollmentProfileName -eq "A\B"', "A\\B"),  # other backslashes stay as written
        (r'device.enrollmentProfileName -eq "ends with \\"', "ends with \\"),
        ('device.enrollmentProfileName -eq "(-and -or)"', "(-and -or)"),
    ],
)
def test_quoted_values_unescape_backslash_quote_and_backslash(text: str, profile_name: str) -> None:
    assert parse(text).matches(DeviceFacts(profile_name, "Personal", "iPhone", "17.0"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (IPAD, {"device.deviceModel"}),
        ('DEVICE.deviceownership -eq "Company"', {"device.deviceOwnership"}),
        (
            f'-not ({IPAD} -or device.enrollmentProfileName -eq "x") -and {IPHONE}',
            {"device.deviceModel", "device.enrollmentProfileName"},
        ),
    ],
)
def test_properties_are_named_in_their_canonical_spelling(text: str, expected: set[str]) -> None:
    assert parse(text).properties() == frozenset(expected)


@pytest.mark.parametrize(
    ("text", "fragment", "position"),
    [
        ("", "empty rule", 0),
        ("   ", "empty rule", 0),
        ('device.colour -eq "red"', "unknown property 'device.colour' (expected one of", 0),
        ('user.department -eq "Sales"', "unknown property 'user.department'", 0),
        ('(device.deviceModel -like "iPhone")', "unknown operator '-like' (expected one of", 20),
        (
            "device.deviceModel -eq iPhone",
            "expected a quoted value after -eq but found 'iPhone'",
            23,
        ),
        ("device.deviceModel -startswith", "expected a quoted value after -startsWith", 30),
        ('device.deviceModel -eq "iPhone', 'unterminated quoted value (missing closing ")', 23),
        (r'device.deviceModel -eq "say \"hi\"', "unterminated quoted value", 23),
        ('(device.deviceModel -eq "iPad"', "unbalanced parenthesis: '(' is never closed", 0),
        (f"(({IPAD})", "unbalanced parenthesis: '(' is never closed", 0),
        (f"{IPAD})", "unbalanced parenthesis: ')' has no matching '('", 29),
        (f'{IPAD} device.deviceOSVersion -eq "13"', "unexpected 'device.deviceOSVersion'", 30),
        (f"{IPAD} -and", "expected a condition after -and", 34),
        (f"{IPAD} -or -and {IPHONE}", "expected a condition after -or but found '-and'", 34),
        (f"{IPAD} -xor {IPHONE}", "unexpected '-xor' (expected -and or -or)", 30),
        ("device.deviceModel", "expected an operator after device.deviceModel", 18),
        (
            'device.deviceModel "iPad"',
            "expected an operator after device.deviceModel but found",
            19,
        ),
        ("-not", "expected a condition after -not", 4),
        ("()", "expected a condition after '(' but found ')'", 1),
        ('"iPad" -eq device.deviceModel', "expected a condition but found '\"iPad\"'", 0),
        ('-eq "iPad"', "expected a condition but found '-eq'", 0),
        (f'({IPAD} "x")', "unexpected '\"x\"' (expected -and, -or or ')')", 31),
        ("(" * 101 + IPAD + ")" * 101, "rule nested more than 100 levels deep", 100),
    ],
)
def test_bad_rules_say_what_and_where(text: str, fragment: str, position: int) -> None:
    with pytest.raises(RuleError) as caught:
        validate(text)
    error = caught.value
    assert fragment in error.message
    assert error.position == position
    assert text[position:].startswith(error.token)
    assert str(error) == f"{error.message} at position {position}"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('(device.enrollmentProfileName -eq "BYOD Choice")', True),
        ('Device.DeviceModel -eq "iPad"', True),
        ("device.colour -eq", True),  # broken, but plainly about devices
        ('(device.deviceModel -eq "unterminated', True),
        ('user.department -eq "Sales"', False),
        ('user.department -eq "device.deviceModel"', False),  # a value, not a property
        ('user.department -eq "unterminated device.deviceModel', False),
        ("", False),
    ],
)
def test_is_device_rule_scans_without_raising(text: str, expected: bool) -> None:
    assert is_device_rule(text) is expected


# Property tests: generated rules against a straightforward reference evaluation.

Oracle = Callable[[DeviceFacts], bool]
VALUES = st.text(alphabet='aAbBß.1 "\\', max_size=4)
DEVICE_FACTS = st.builds(DeviceFacts, VALUES, VALUES, VALUES, VALUES)
REFERENCE = {
    "-eq": lambda actual, expected: actual == expected,
    "-ne": lambda actual, expected: actual != expected,
    "-startsWith": lambda actual, expected: actual[: len(expected)] == expected,
    "-contains": lambda actual, expected: any(
        actual[i : i + len(expected)] == expected for i in range(len(actual) + 1)
    ),
}


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def any_case(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from([word, word.upper(), word.lower()])


@st.composite
def comparisons(draw: st.DrawFn) -> tuple[str, Oracle]:
    name = draw(st.sampled_from(sorted(PROPERTIES)))
    operator = draw(st.sampled_from(sorted(OPERATORS)))
    value = draw(VALUES)
    text = f"{draw(any_case(name))} {draw(any_case(operator))} {quote(value)}"

    def oracle(device: DeviceFacts) -> bool:
        actual = getattr(device, PROPERTIES[name]).casefold()
        return REFERENCE[operator](actual, value.casefold())

    return text, oracle


def negate(rule: tuple[str, Oracle], parenthesise: bool) -> tuple[str, Oracle]:
    text, oracle = rule
    return (f"-not ({text})" if parenthesise else f"-not {text}"), lambda d: not oracle(d)


@st.composite
def combined(draw: st.DrawFn, children: st.SearchStrategy[tuple[str, Oracle]]):
    """An -or of -ands written without redundant parentheses, so precedence decides."""
    unary = st.one_of(
        comparisons(),
        children.map(lambda child: (f"({child[0]})", child[1])),
        st.builds(negate, children, st.just(True)),  # a bare child could be an -or chain
        st.builds(negate, comparisons(), st.booleans()),
    )
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        factors = draw(st.lists(unary, min_size=1, max_size=3))
        terms.append(factors)
    text = f" {draw(any_case('-or'))} ".join(
        f" {draw(any_case('-and'))} ".join(text for text, _ in factors) for factors in terms
    )

    def oracle(device: DeviceFacts) -> bool:
        return any(all(check(device) for _, check in factors) for factors in terms)

    return text, oracle


RULES = st.recursive(comparisons(), combined, max_leaves=8)
TOKENS = ["(", ")", '"', '"x"', "-and", "-OR", "-not", "-eq", "-contains", "device.deviceModel"]
RULE_LIKE_TEXT = st.one_of(
    st.text(),
    st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join),
    RULES.map(lambda r: r[0]),
)


@given(RULES, DEVICE_FACTS)
def test_generated_rules_agree_with_the_reference(rule: tuple[str, Oracle], device) -> None:
    text, oracle = rule
    assert parse(text).matches(device) is oracle(device)


@given(RULES, DEVICE_FACTS)
def test_not_matches_exactly_when_the_rule_does_not(rule: tuple[str, Oracle], device) -> None:
    text, _ = rule
    assert parse(f"-not ({text})").matches(device) is not parse(text).matches(device)


@given(RULES)
def test_every_valid_rule_is_a_device_rule(rule: tuple[str, Oracle]) -> None:
    assert is_device_rule(rule[0])
    assert parse(rule[0]).properties() <= set(PROPERTIES)


@given(RULE_LIKE_TEXT)
def test_parse_raises_only_rule_errors_that_point_into_the_text(text: str) -> None:
    is_device_rule(text)  # never raises
    try:
        parse(text)
    except RuleError as error:
        assert 0 <= error.position <= len(text)
        assert text[error.position :].startswith(error.token)
        assert str(error).endswith(f" at position {error.position}")
