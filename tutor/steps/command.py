"""``command``: a practice task, judged by the engine's state after the learner's
docker commands (see docs/checks.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.checks import Check
from tutor.course.lesson import Fill, Reading, Step, StepHost, Verdict, first_paragraph
from tutor.course.practice_spec import (
    BUILTIN_WORKSPACE,
    PlayAction,
    SetupAction,
    VarSpec,
    WrongAttempt,
    action_texts,
    var_names,
)
from tutor.render import blocks
from tutor.schema.fields import MISSING, Fields, each_item
from tutor.steps.practice_fields import parse_setup, parse_vars, play_list, play_lists
from tutor.steps.quizfields import RECALL, parse_practice_quiz, parse_topics

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True, kw_only=True)
class CommandStep(Step):
    """A practice step: the learner types docker commands until the check passes."""

    task: str
    check: Check
    setup: tuple[SetupAction, ...] = ()
    solution: tuple[PlayAction, ...] = ()
    wrong_attempts: tuple[WrongAttempt, ...] = ()
    alternatives: tuple[tuple[PlayAction, ...], ...] = ()
    variables: tuple[VarSpec, ...] = ()

    kind = "command"
    is_question = True
    pending_action = "Do the task"

    def texts(self) -> tuple[str, ...]:
        return (self.task, *super().texts(), *action_texts(self.solution),
                *(text for alternative in self.alternatives for text in action_texts(alternative)),
                *(text for attempt in self.wrong_attempts for text in action_texts(attempt.commands)))

    def declared_names(self) -> frozenset[str]:
        return super().declared_names() | setup_names(self.setup)

    def own_vars(self) -> tuple[VarSpec, ...]:
        return self.variables

    def readings(self) -> tuple[Reading, ...]:
        commands = "\n".join(action for action in self.solution if isinstance(action, str))
        task = first_paragraph(self.task)
        return (Reading("task", self.task, extra="\n".join((*self.hints, commands)),
                        example=commands),
                self.explanation_reading(task, task))

    def quiz_identity(self, mode: str) -> tuple:
        if mode == RECALL:
            return ("recall", self.task, self.solution, self.alternatives, self.variables,
                    self.setup)
        return ("challenge", self.task, repr(self.check), self.setup, self.variables)

    def answer_in_words(self, fill: Fill) -> str | None:
        solution = [fill(action) for action in self.solution if isinstance(action, str)]
        return ("One way: " + " then ".join(f"`{command}`" for command in solution)
                if solution else None)

    def render(self, console: Console, fill: Fill) -> None:
        blocks.markdown(console, fill(self.task))
        blocks.muted(console, "Type docker commands here; /check checks work done elsewhere "
                              "(another terminal, /edit).")

    def judge(self, answer: str) -> Verdict:
        if not answer:
            return Verdict(False, ("Type a docker command (it starts with `docker`), /check if "
                                   "you did it elsewhere, or /hint.",), unclear=True)
        return Verdict(False, ("This step wants a docker command: start the line with `docker`. "
                               "/hint gives a clue.",), unclear=True)

    def practice_task(self) -> CommandStep:
        return self

    def prepare(self, host: StepHost) -> dict[str, str]:
        # Setup first: the task text names what it created ({{ web }}), and what setup has
        # to say (an engine that does not answer) belongs under this step's header.
        return host.enter_practice(self)

    def leave(self, host: StepHost) -> None:
        host.leave_practice(self)

    def recheck(self, host: StepHost) -> bool | None:
        return host.check_practice(self)

    @classmethod
    def parse(cls, fields: Fields, step_id: str) -> CommandStep | None:
        before = len(fields.problems)
        task = fields.text("task")
        hints = fields.text_list("hints", required=True, min_items=1)
        explanation = fields.text("explanation")
        topics, quiz = parse_topics(fields), parse_practice_quiz(fields)
        variables = parse_vars(fields)
        setup = parse_setup(fields)
        # Visible in a step: the lesson's vars, the step's own, every setup resource's
        # `as` name (its real, unique name) and `workspace`.
        declared = (fields.declared | {BUILTIN_WORKSPACE} | var_names(variables)
                    | setup_names(setup))
        check_value = fields.raw("check", required=True)
        check = None
        if check_value is not MISSING:
            # Every check kind's parser: loaded to parse a lesson file, not to unpickle one.
            from tutor.checks.registry import parse_check

            check = parse_check(check_value, fields.where.at_field("check"), fields.problems,
                                fields.line_of("check"), declared)
        solution_value = fields.raw("solution", required=True)
        solution = (play_list(fields, solution_value, fields.where.at_field("solution"),
                              fields.line_of("solution"))
                    if solution_value is not MISSING else ())
        alternatives = play_lists(fields, "alternatives")

        def parse_wrong(entry: Fields) -> WrongAttempt | None:
            value = entry.raw("commands", required=True)
            commands = (play_list(entry, value, entry.where.at_field("commands"),
                                  entry.line_of("commands")) if value is not MISSING else ())
            reason = entry.text("reason")
            return WrongAttempt(commands, reason) if commands and reason else None

        wrong = each_item(fields, "wrong", parse_wrong, required=False)
        if len(fields.problems) != before or check is None or task is None or explanation is None:
            return None
        return cls(id=step_id, task=task, check=check, hints=hints, explanation=explanation,
                   setup=setup, solution=solution, wrong_attempts=tuple(wrong),
                   alternatives=alternatives, variables=variables, topics=topics, quiz=quiz)


def setup_names(setup: tuple[SetupAction, ...]) -> set[str]:
    """The ``as`` names of a step's setup resources."""
    return {action.spec["as"] for action in setup
            if isinstance(action.spec, dict) and "as" in action.spec}
