"""What question steps share: the question text, hints and the explanation."""

from __future__ import annotations

from tutor.schema.fields import Fields


def question_parts(fields: Fields) -> tuple[str | None, tuple[str, ...], str | None]:
    """``question``, ``hints`` (at least one) and ``explanation``, each reported when missing."""
    question = fields.text("question")
    hints = fields.text_list("hints", required=True, min_items=1)
    explanation = fields.text("explanation")
    return question, hints, explanation
