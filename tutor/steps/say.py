"""``say``: text (and an optional diagram) to read; Enter goes on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.course.lesson import Fill, Reading, Step
from tutor.render import blocks
from tutor.schema.fields import MISSING, Fields, describe_type

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True, kw_only=True)
class SayStep(Step):
    text: str
    diagram: str | None = None
    diagram_title: str | None = None

    kind = "say"

    def texts(self) -> tuple[str, ...]:
        return (self.text, self.diagram or "", self.diagram_title or "")

    def readings(self) -> tuple[Reading, ...]:
        return (Reading("say", self.text, extra=self.diagram_title or "", heading_found=True),)

    def render(self, console: Console, fill: Fill) -> None:
        blocks.markdown(console, fill(self.text))
        if self.diagram:
            blocks.diagram(console, fill(self.diagram), self.diagram_title)
        blocks.muted(console, "Press Enter to continue.")

    @classmethod
    def parse(cls, fields: Fields, step_id: str) -> SayStep | None:
        text = fields.text("text")
        diagram = fields.raw("diagram")
        if diagram is not MISSING and not isinstance(diagram, str):
            fields.field_problem("diagram", f"must be text, found {describe_type(diagram)}")
            diagram = MISSING
        diagram_title = fields.text("diagram_title", required=False)
        if text is None:
            return None
        return cls(id=step_id, text=text,
                   diagram=diagram.rstrip() if isinstance(diagram, str) else None,
                   diagram_title=diagram_title)
