"""Play one check written as lesson YAML against an API (fake or real), and read the
one message of a failed result: shared by the check test files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tutor.checks import CheckContext, CheckResult, evaluate, parse_check
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/engine.yaml"), lesson="engine", step="s", step_number=1)


def check_runner(api: Any, workspace: Path) -> Callable[..., CheckResult]:
    """``run("container: {name: web}", since, name="web")``: parse the check as a lesson
    would (no problems allowed) and evaluate it against ``api``."""

    def run(text: str, since: float = 0.0, **values: str) -> CheckResult:
        document = parse_yaml(text if text.startswith("\n") else "check: " + text)
        problems: list = []
        check = parse_check(document["check"], WHERE.at_field("check"), problems, 1, set(values))
        assert not problems, [str(p) for p in problems]
        return evaluate(check, CheckContext(api=api, workspace=workspace, values=values,
                                            since=since))

    return run


def failed(result: CheckResult) -> str:
    """The message of a check that must have failed with exactly one."""
    assert not result.passed, "expected the check to fail"
    assert len(result.messages) == 1, result.messages
    return result.messages[0]
