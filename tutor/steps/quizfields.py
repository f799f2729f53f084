"""Fields a question step may carry for quizzes: ``topics`` and ``quiz``.

A choice or text question is quiz material unless it says ``quiz: false``. A practice
step is not, unless it says how a quiz may use it: ``quiz: recall`` (type the command;
judged by the command model, nothing runs) or ``quiz: challenge`` (do it against the
engine, set up and judged like the practice step), or both as a list.
"""

from __future__ import annotations

import re

from tutor.course.lesson import Lesson, Step
from tutor.course.practice_spec import BUILTIN_WORKSPACE, SetupAction, VarSpec
from tutor.schema.fields import MISSING, Fields, describe_type
from tutor.suggest import did_you_mean

ASK = "ask"
RECALL = "recall"
CHALLENGE = "challenge"
PRACTICE_MODES = (RECALL, CHALLENGE)
TOPIC_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Where a quiz plays a challenge: not a valid lesson id, so it never meets one. Fixtures
# are labelled "_quiz/<step>"; commands run in the workspace folder "_quiz".
QUIZ_LESSON_ID = "_quiz"


def challenge_lesson(step: Step) -> Lesson:
    """A lesson of its own for a challenge: nothing from its real lesson (no earlier
    step's results, no lesson var) is there, as in a quiz."""
    return Lesson(id=QUIZ_LESSON_ID, title="Quiz challenges", summary="", steps=(step,))


def parse_topics(fields: Fields) -> tuple[str, ...]:
    """``topics: [images, registries]``: lowercase ids, each at most once."""
    topics = fields.text_list("topics", required=False)
    found: list[str] = []
    for topic in topics:
        if not TOPIC_PATTERN.match(topic):
            fields.field_problem("topics", f"'{topic}' must be lowercase letters, digits and "
                                           "dashes")
        elif topic in found:
            fields.field_problem("topics", f"names '{topic}' twice")
        else:
            found.append(topic)
    return tuple(found)


def parse_question_quiz(fields: Fields) -> tuple[str, ...]:
    """A choice or text question: in quizzes unless ``quiz: false``."""
    return (ASK,) if fields.boolean("quiz", default=True) else ()


def parse_practice_quiz(fields: Fields) -> tuple[str, ...]:
    """A practice step: ``quiz: recall``, ``quiz: challenge``, both as a list, or false."""
    value = fields.raw("quiz")
    if value is MISSING or value is False:
        return ()
    if value is True:
        fields.field_problem("quiz", "say how a quiz uses this practice step: recall (type "
                                     "the command) or challenge (do it against the engine), "
                                     "or [recall, challenge]")
        return ()
    items = value if isinstance(value, list) else [value]
    modes: list[str] = []
    for item in items:
        if not isinstance(item, str):
            fields.field_problem("quiz", f"must be recall, challenge or a list of them, found "
                                         f"{describe_type(item)}")
            return ()
        if item not in PRACTICE_MODES:
            fields.field_problem("quiz", f"'{item}' is not one of {', '.join(PRACTICE_MODES)}"
                                         f"{did_you_mean(item, PRACTICE_MODES)}")
            return ()
        if item not in modes:
            modes.append(item)
    return tuple(modes)


def stand_in_values(variables: tuple[VarSpec, ...], setup: tuple[SetupAction, ...]) -> dict[str, str]:
    """Values for a practice step's placeholders when it is asked as a recall question
    (nothing is set up): each var's default, and each setup resource's ``as`` name."""
    values = {BUILTIN_WORKSPACE: "."}
    for spec in variables:
        default = f"<{spec.default}>" if spec.form == "engine_fact" else spec.default
        values.update(spec.values(default))
    for action in setup:
        if isinstance(action.spec, dict) and "as" in action.spec:
            values[str(action.spec["as"])] = str(action.spec["as"])
    return values
