"""The step types of a lesson, one module each: how a step is read from its file,
shown, and answered. Adding a type means one module and one line here."""

from __future__ import annotations

from collections.abc import Callable

from tutor.course.lesson import Step
from tutor.schema.fields import Fields
from tutor.steps.choice import ChoiceStep
from tutor.steps.cleanup import CleanupStep
from tutor.steps.command import CommandStep
from tutor.steps.say import SayStep
from tutor.steps.text import TextStep

StepParser = Callable[[Fields, str], "Step | None"]

STEP_TYPES: dict[str, StepParser] = {
    step_class.kind: step_class.parse
    for step_class in (SayStep, ChoiceStep, TextStep, CommandStep, CleanupStep)
}

__all__ = ["STEP_TYPES", "ChoiceStep", "CleanupStep", "CommandStep", "SayStep", "StepParser",
           "TextStep"]
