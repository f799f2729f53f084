"""The engine a learner's practice talks to, and its plain problem in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.engine.connection import Engine
    from tutor.environment import Environment


def engine_for(env: Environment) -> Engine:
    """The engine the learner's ``docker`` reaches, resolved once: the docker CLI and the
    SDK must reach the same one."""
    from tutor.engine.connection import Engine
    from tutor.engine.endpoint import resolve_endpoint

    return Engine(resolve_endpoint(env.environ), environ=env.environ)


def plain_problem_in_words(engine: Engine) -> str | None:
    """Without waiting: why no engine answers and the first fix, when that is plain at once."""
    problem = engine.plain_problem()
    if problem is None:
        return None
    first_fix = next((line.strip() for line in problem.fix.splitlines()
                      if line.strip() and not line.strip().endswith(":")), "")
    return f"{problem.summary}. {first_fix}".rstrip()
