"""The axis-string parser: ``"B D T"``, ``"batch pos d_model"``, ``"*b n d+1"``.

Tokens are separated by whitespace, one per axis (see DESIGN.md for the table).
Size expressions (``d+1``, ``2*d``, ``d//h``) are parsed by a small grammar of
their own; nothing is ever evaluated as Python.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NoReturn

from .axes import AxisType, BinOp, Num, SizeExpr, Var
from .kinds import KIND_LABELS, kind_from_label

__all__ = ["AxisSpecError", "parse_axes", "parse_axis_token", "render_axes"]

_MAX_DEPTH = 32
_MAX_ITEMS = 200


def _is_ident(text: str) -> bool:
    """``[A-Za-z_][A-Za-z0-9_]*``: an ASCII identifier. (String methods, not a regular
    expression: compiling one costs every importer, the mypy plugin included.)"""
    return text.isascii() and text.isidentifier()


#: one token of a size expression (compiled by ``re`` the first time one is parsed,
#: then found in ``re``'s own cache)
_EXPR_TOKEN = r"\s*(?:(\d+)|([A-Za-z_][A-Za-z0-9_]*)|(//|[-+*()]))"


class AxisSpecError(ValueError):
    """A malformed axis string. ``str(err)`` quotes the string and names the bad token."""

    def __init__(self, text: str, reason: str, token: str | None = None) -> None:
        self.text = text
        self.reason = reason
        self.token = token
        super().__init__(f"{_quote(text)}: {reason}")


def _quote(text: str) -> str:
    shown = text if len(text) <= 80 else f"{text[:60]}... ({len(text)} characters)"
    return f'"{_printable(shown)}"'


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


def _t(token: str) -> str:
    """A token quoted for a message, shortened when long."""
    shown = token if len(token) <= 40 else f"{token[:30]}..."
    return f'"{_printable(shown)}"'


def _show_char(ch: str) -> str:
    if ord(ch) > 127:
        return f'"{ch}" (U+{ord(ch):04X})' if ch.isprintable() else f"U+{ord(ch):04X}"
    return f'"{_printable(ch)}"'


def render_axes(axes: tuple[AxisType, ...]) -> str:
    """The axis string for ``axes`` (``"B D T"``); parsing it gives ``axes`` back."""
    return " ".join(axis.token for axis in axes)


def parse_axes(text: str, *, jaxtyping: bool = False) -> tuple[AxisType, ...]:
    """Parse an axis string into axes.

    With ``jaxtyping=True`` every identifier is a plain named axis, as in jaxtyping;
    otherwise NeMo's kind letters and words (``B``, ``T``, ``D``, ``batch``, ``T_enc``)
    name axis kinds. An empty string is a scalar (no axes).

    Raises:
        AxisSpecError: the string is malformed; the message quotes it and names the
            offending token.
    """
    if not isinstance(text, str):
        raise AxisSpecError(repr(text), f"an axis string must be a str, got {type(text).__name__}")
    return _parse_cached(text, jaxtyping)


@lru_cache(maxsize=4096)
def _parse_cached(text: str, jaxtyping: bool) -> tuple[AxisType, ...]:
    axes: list[AxisType] = []
    variadic_seen: str | None = None
    for token in text.split():
        axis = _parse_token(text, token, jaxtyping)
        if axis.variadic:
            if variadic_seen is not None:
                raise AxisSpecError(
                    text,
                    f'only one variadic axis ("*name" or "...") is allowed; found {_t(token)} '
                    f"after {_t(variadic_seen)}",
                    token,
                )
            variadic_seen = token
        axes.append(axis)
    return tuple(axes)


def parse_axis_token(token: str, *, jaxtyping: bool = False) -> AxisType:
    """Parse one token (as NeMo's tuple form ``("B", "T_enc", "D=80")`` gives them)."""
    if not isinstance(token, str):
        raise AxisSpecError(repr(token), f"an axis must be a str, got {type(token).__name__}")
    stripped = token.strip()
    if not stripped or re.search(r"\s", stripped):
        raise AxisSpecError(token, "expected exactly one axis token")
    return _parse_token(token, stripped, jaxtyping)


def _parse_token(text: str, token: str, jaxtyping: bool) -> AxisType:
    if jaxtyping:
        return _jaxtyping_token(text, token)
    for ch in token:
        if ord(ch) > 127:
            raise AxisSpecError(
                text, f"non-ASCII character {_show_char(ch)} in {_t(token)}", token
            )
        if not ch.isprintable():
            raise AxisSpecError(
                text, f"unexpected character {_show_char(ch)} in {_t(token)}", token
            )
    ellipsis = _ellipsis_or_none(text, token)
    if ellipsis is not None:
        return ellipsis
    broadcast = variadic = anonymous = False
    body = token
    while body:
        first = body[0]
        if first == "#":
            if broadcast:
                raise AxisSpecError(text, f'"#" given twice in {_t(token)}', token)
            broadcast = True
        elif first == "*":
            if variadic:
                raise AxisSpecError(
                    text,
                    f"variadic name must be an identifier, got {_t(body)} in {_t(token)}",
                    token,
                )
            variadic = True
        elif first == "_":
            if anonymous:
                raise AxisSpecError(text, f'"_" given twice in {_t(token)}', token)
            anonymous = True
        elif first != "?":
            break
        body = body[1:]
    if variadic and not anonymous and not body:
        raise AxisSpecError(text, f'missing name after "*" in {_t(token)}', token)
    if broadcast and not body:
        raise AxisSpecError(
            text,
            f'missing axis name after "#" in {_t(token)}'
            if not anonymous
            else f"an axis can't be both anonymous and broadcastable: {_t(token)}",
            token,
        )
    if "=" in body:
        return _named_size(text, token, body, broadcast, variadic, anonymous, jaxtyping)
    if not body or _is_ident(body):
        return _named(token, body, broadcast, variadic, anonymous, jaxtyping)
    if body.isdigit():
        if variadic or anonymous:
            raise AxisSpecError(
                text,
                f"a fixed size can't be {'variadic' if variadic else 'anonymous'}: {_t(token)}",
                token,
            )
        return AxisType(None, int(body), broadcast=broadcast, label=token)
    if variadic or anonymous:
        raise AxisSpecError(
            text,
            f"a size expression can't be {'variadic' if variadic else 'anonymous'}: {_t(token)}",
            token,
        )
    expr = _ExprParser(text, token, body).parse()
    if isinstance(expr, Num):
        return AxisType(None, expr.value, broadcast=broadcast, label=token)
    return AxisType(None, expr=expr, broadcast=broadcast, label=token)


def _ellipsis_or_none(text: str, token: str) -> AxisType | None:
    """What both grammars say first: ``...`` is the anonymous variadic axis, and
    ``...`` inside a token or a comma between axes is refused (a comma inside
    parentheses belongs to an expression such as ``min(a,b)``)."""
    if token == "...":
        return AxisType(None, variadic=True, label=token)
    if "..." in token:
        raise AxisSpecError(text, f'"..." must stand alone as a token, got {_t(token)}', token)
    if "," in token and "(" not in token:
        raise AxisSpecError(text, f"axes are separated by spaces, not commas: {_t(token)}", token)
    return None


def _jaxtyping_token(text: str, token: str) -> AxisType:
    """One token of a jaxtyping annotation, accepted or refused as jaxtyping does:
    what jaxtyping refuses when the annotation is made raises :class:`AxisSpecError`;
    what it accepts but this grammar can't read (a symbolic size such as
    ``torch.long`` or ``min(a,b)``, which jaxtyping evaluates as Python) is an axis of
    unknown size. Names are jaxtyping's (any Python identifier); ``?`` (PyTree path)
    is ignored; ``name=4`` is a fixed size and ``name=other`` the named axis ``other``."""
    ellipsis = _ellipsis_or_none(text, token)
    if ellipsis is not None:
        return ellipsis
    if token.endswith("#"):
        raise AxisSpecError(
            text, f'"#" (broadcastable) goes before the axis name: {_t(token)}', token
        )
    flags: set[str] = set()
    body = token
    while body:
        first = body[0]
        if first in "#*_?":
            if first in flags:
                raise AxisSpecError(text, f'"{first}" given twice in {_t(token)}', token)
            flags.add(first)
            body = body[1:]
        elif body.count("=") == 1:
            body = body.partition("=")[2]
        else:
            break
    broadcast, variadic, anonymous = "#" in flags, "*" in flags, "_" in flags
    if not body or body.isidentifier():
        if anonymous and broadcast:
            raise AxisSpecError(
                text, f"an axis can't be both anonymous and broadcastable: {_t(token)}", token
            )
        if variadic:
            name = None if anonymous or not body else body
            return AxisType(None, variadic=True, name=name, label=token)
        if anonymous or not body:
            return AxisType(None, label=token)
        return AxisType(None, name=body, broadcast=broadcast, label=token)
    size = _int(body)
    kind = "size expression" if size is None else "fixed size"
    for flag, what in (("*", "variadic"), ("_", "anonymous"), ("?", "tied to a PyTree path")):
        if flag in flags:
            raise AxisSpecError(text, f"a {kind} can't be {what}: {_t(token)}", token)
    if size is not None:
        fixed = size if size >= 0 else None  # a negative size fits nothing: unknown here
        return AxisType(None, fixed, broadcast=broadcast, label=token)
    try:
        expr = _ExprParser(text, token, body).parse()
    except AxisSpecError:  # Python jaxtyping evaluates, outside this grammar: unknown size
        return AxisType(None, broadcast=broadcast, label=token)
    if isinstance(expr, Num):
        return AxisType(None, expr.value, broadcast=broadcast, label=token)
    return AxisType(None, expr=expr, broadcast=broadcast, label=token)


def _int(text: str) -> int | None:
    """``int(text)`` as jaxtyping reads fixed sizes (so ``"+3"`` is 3), or None."""
    try:
        return int(text)
    except ValueError:
        return None


def _named(
    token: str, name: str, broadcast: bool, variadic: bool, anonymous: bool, jaxtyping: bool
) -> AxisType:
    if variadic:
        return AxisType(None, variadic=True, name=None if anonymous else name, label=token)
    if anonymous:
        return AxisType(None, label=token)
    kind = None if jaxtyping else kind_from_label(name, allow_prefix=True)
    plain = kind is not None and name.lower() in KIND_LABELS
    return AxisType(kind, name=None if plain else name, broadcast=broadcast, label=token)


def _named_size(
    text: str,
    token: str,
    body: str,
    broadcast: bool,
    variadic: bool,
    anonymous: bool,
    jaxtyping: bool,
) -> AxisType:
    name, _, size = body.partition("=")
    if not name:
        raise AxisSpecError(text, f'missing axis name before "=" in {_t(token)}', token)
    if not size:
        raise AxisSpecError(text, f'missing size after "=" in {_t(token)}', token)
    if not _is_ident(name):
        raise AxisSpecError(
            text, f'axis name before "=" must be an identifier, got {_t(name)}', token
        )
    if not size.isdigit():
        raise AxisSpecError(
            text,
            f'size after "=" must be a non-negative integer, got {_t(size)} in {_t(token)}',
            token,
        )
    if variadic or anonymous:
        raise AxisSpecError(
            text,
            f"a fixed size can't be {'variadic' if variadic else 'anonymous'}: {_t(token)}",
            token,
        )
    kind = None if jaxtyping else kind_from_label(name, allow_prefix=True)
    return AxisType(kind, int(size), broadcast=broadcast, label=token)


class _ExprParser:
    """Recursive descent over ``expr := term (('+'|'-') term)*``,
    ``term := atom (('*'|'//') atom)*``, ``atom := INT | NAME | '(' expr ')'``."""

    def __init__(self, text: str, token: str, body: str) -> None:
        self.text, self.token = text, token
        self.items: list[str] = []
        token_at = re.compile(_EXPR_TOKEN).match
        pos = 0
        while pos < len(body):
            match = token_at(body, pos)
            if match is None or match.end() == pos:
                ch = body[pos]
                if ch == "/":
                    self.fail('use "//" for division')
                if ch == "=":
                    self.fail('"=" may appear once, as in "D=80"')
                self.fail(f"unexpected character {_show_char(ch)} in {_t(token)}")
            self.items.append(match.group().strip())
            pos = match.end()
        if len(self.items) > _MAX_ITEMS:
            self.fail(f"size expression {_t(token)} is longer than {_MAX_ITEMS} parts")
        self.pos = 0
        self.depth = 0

    def fail(self, reason: str) -> NoReturn:
        raise AxisSpecError(self.text, reason, self.token)

    def done_text(self) -> str:
        return "".join(self.items[: self.pos])

    def parse(self) -> SizeExpr:
        expr = self.expr()
        if self.pos < len(self.items):
            item = self.items[self.pos]
            if item == ")":
                self.fail(f'unmatched ")" in {_t(self.token)}')
            self.fail(f"expected an operator before {_t(item)} in {_t(self.token)}")
        return expr

    def peek(self) -> str | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def expr(self) -> SizeExpr:
        node = self.term()
        while self.peek() in ("+", "-"):
            op = self.items[self.pos]
            self.pos += 1
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> SizeExpr:
        node = self.atom()
        while self.peek() in ("*", "//"):
            op = self.items[self.pos]
            self.pos += 1
            node = BinOp(op, node, self.atom())
        return node

    def atom(self) -> SizeExpr:
        item = self.peek()
        if item is None:
            self.fail(f"unexpected end of expression after {_t(self.done_text())}")
            raise AssertionError  # unreachable: fail() raises
        self.pos += 1
        if item.isdigit():
            return Num(int(item))
        if _is_ident(item):
            return Var(item)
        if item == "(":
            self.depth += 1
            if self.depth > _MAX_DEPTH:
                self.fail(f"expression nested more than {_MAX_DEPTH} parentheses deep")
            node = self.expr()
            if self.peek() != ")":
                if self.peek() is None:
                    self.fail(f'unclosed "(" in {_t(self.token)}')
                self.fail(f'expected ")" before {_t(str(self.peek()))} in {_t(self.token)}')
            self.pos += 1
            self.depth -= 1
            return node
        before = self.done_text()[: -len(item)]
        where = f"after {_t(before)}" if before else "at the start"
        self.fail(f"unexpected {_t(item)} {where} of {_t(self.token)}")
        raise AssertionError  # unreachable
