"""One practice step on stage: its values, its fixtures, and the command judged last."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tutor.practice.fixtures import apply_setup, cleanup, fixture_label_value
from tutor.practice.labels import LEARNER_LABEL
from tutor.practice.values import choose_missing, recorded_values

if TYPE_CHECKING:
    import docker

    from tutor.dockercli import ParsedCommand
    from tutor.practice.place import LessonPlace
    from tutor.practice.reservations import Ledger
    from tutor.steps.command import CommandStep


@dataclass
class StepState:
    lesson_id: str
    step: CommandStep
    values: dict[str, str]
    started: float  # unix time the step began: events before it do not count
    label: str  # the fixture label value of this step's resources
    ready: bool = False  # vars chosen and setup done
    last_command: ParsedCommand | None = None
    # When the learner's commands ran in this step: events of shared objects count
    # only from these (another learner on the engine may pull the same image).
    windows: list[tuple[float, float]] = field(default_factory=list)

    @classmethod
    def begin(cls, place: LessonPlace, lesson_id: str, step: CommandStep) -> StepState:
        return cls(lesson_id, step, recorded_values(place, step), time.time(),
                   fixture_label_value(lesson_id, step.id))

    def is_for(self, lesson_id: str, step: CommandStep) -> bool:
        return self.step is step and self.lesson_id == lesson_id


def set_up(api: docker.APIClient, place: LessonPlace, state: StepState,
           owner: Mapping[str, str], shared: bool | None = None,
           ledger: Ledger | None = None) -> None:
    """Choose the step's values (``shared``, ``ledger``: see choose_missing) and create its
    fixtures (labelled with ``owner``); raises SetupFailed or an engine error (the caller
    says which)."""
    choose_missing(api, place, state.step, owner.get(LEARNER_LABEL), shared, ledger)
    state.values.update(recorded_values(place, state.step))
    for action in state.step.setup:
        apply_setup(api, action, state.values, state.label, place.workspace, owner)
    state.ready = True
    state.started = time.time()


def tear_down(api: docker.APIClient, state: StepState, owner: Mapping[str, str]) -> list[str]:
    """Remove the step's fixtures (this session's, nothing else); returns what was removed."""
    return cleanup(api, state.label, owner)
