"""``cleanup``: list what the learner created in this lesson and offer to remove it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.course.lesson import Fill, Reading, Step, StepHost
from tutor.render import blocks
from tutor.schema.fields import Fields

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True, kw_only=True)
class CleanupStep(Step):
    text: str

    kind = "cleanup"

    def texts(self) -> tuple[str, ...]:
        return (self.text,)

    def readings(self) -> tuple[Reading, ...]:
        return (Reading("say", self.text, heading_found=True),)

    def render(self, console: Console, fill: Fill) -> None:
        blocks.markdown(console, fill(self.text))

    def after_show(self, host: StepHost) -> None:
        host.offer_cleanup()

    @classmethod
    def parse(cls, fields: Fields, step_id: str) -> CleanupStep | None:
        text = fields.text("text")
        return cls(id=step_id, text=text) if text is not None else None
