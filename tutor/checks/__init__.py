"""The check vocabulary of practice steps (docs/checks.md).

A practice step passes when the engine is in the state its check describes::

    check = parse_check(value, where.at_field("check"), problems, line, {"name", "port"})
    result = evaluate(check, CheckContext(api=docker.APIClient(), workspace=path,
                                          values={"name": "web", "port": "8080"}))
    result.passed, result.messages, result.hints

Engine failures raise ``EngineUnavailable`` (never a wrong verdict).

The kinds' parsers (``parse_check``, ``CHECK_KINDS``: every check module) are imported
when first named: the tutor imports this package before its first prompt, and parses
checks only when a lesson file is not in the parse cache.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tutor.checks.base import (
    Check,
    CheckContext,
    CheckResult,
    EngineUnavailable,
    Missing,
)

if TYPE_CHECKING:
    from tutor.checks.registry import CHECK_KINDS, check_kinds, parse_check

_FROM_REGISTRY = ("CHECK_KINDS", "check_kinds", "parse_check")


def __getattr__(name: str) -> Any:
    if name in _FROM_REGISTRY:
        from tutor.checks import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def evaluate(check: Check, ctx: CheckContext) -> CheckResult:
    """Evaluate a check tree, retrying while its ``wait`` allows (every 0.25 s, at most 30 s)."""
    return check.evaluate(ctx)


def walk(check: Check):
    """The check and every check inside it, depth first."""
    yield check
    for child in check.children():
        yield from walk(child)


def referenced_images(check: Check) -> set[str]:
    """Image references the check tree mentions, as written (templated ones are left out)."""
    refs: set[str] = set()
    for node in walk(check):
        refs |= node.image_refs()
    return refs


__all__ = [
    "CHECK_KINDS",
    "Check",
    "CheckContext",
    "CheckResult",
    "EngineUnavailable",
    "Missing",
    "check_kinds",
    "evaluate",
    "parse_check",
    "referenced_images",
    "walk",
]
