"""Judge a learner's answer to a multiple-choice or free-text question."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from tutor.course.model import ChoiceStep, TextStep

LABELS = string.ascii_lowercase


@dataclass(frozen=True)
class Verdict:
    correct: bool
    # Why a wrong answer is wrong (from the lesson), or how to answer when the
    # input was not understood.
    feedback: tuple[str, ...] = ()
    # The input was not an answer at all (e.g. letter "z" of four choices): it
    # does not count as an attempt.
    unclear: bool = False


def label(index: int) -> str:
    return LABELS[index]


def parse_choice_answer(answer: str, count: int) -> set[int] | str:
    """Letters (``a c``, ``a,c``, ``ac``) or numbers (``1 3``) to indexes, or a reason why not."""
    cleaned = answer.strip().lower()
    if not cleaned:
        return "Type the letter of your answer."
    words = [word for word in re.split(r"[\s,;/]+|\band\b", cleaned) if word]
    indexes: set[int] = set()
    valid_letters = LABELS[:count]
    for word in words:
        word = word.strip(".()")
        if word.isdigit():
            number = int(word)
            if not 1 <= number <= count:
                return f"There is no choice {number}; answer with {_range_text(count)}."
            indexes.add(number - 1)
        elif word and all(ch in valid_letters for ch in word):
            indexes.update(LABELS.index(ch) for ch in word)
        else:
            return f"Answer with the letter of a choice: {_range_text(count)}."
    if not indexes:
        return f"Answer with the letter of a choice: {_range_text(count)}."
    return indexes


def _range_text(count: int) -> str:
    return f"{LABELS[0]} to {LABELS[count - 1]}"


def check_choice(step: ChoiceStep, answer: str) -> Verdict:
    picked = parse_choice_answer(answer, len(step.choices))
    if isinstance(picked, str):
        return Verdict(False, (picked,), unclear=True)
    correct = step.correct_indexes
    if not step.multiple and len(picked) > 1:
        return Verdict(False, ("Only one choice is right here: pick one letter.",), unclear=True)
    if picked == correct:
        return Verdict(True)
    feedback = [
        f"({label(i)}) {step.choices[i].feedback}"
        for i in sorted(picked - correct)
        if step.choices[i].feedback
    ]
    if step.multiple:
        missing = len(correct - picked)
        wrong = len(picked - correct)
        if wrong == 0 and missing:
            feedback.append(
                f"Everything you picked is right, but {missing} more "
                f"{'choice is' if missing == 1 else 'choices are'} right too."
            )
        elif wrong and not feedback:
            feedback.append(
                f"{wrong} of your picks {'is' if wrong == 1 else 'are'} not right."
            )
    return Verdict(False, tuple(feedback))


def check_text(step: TextStep, answer: str) -> Verdict:
    if not answer.strip():
        return Verdict(False, ("Type your answer, or /hint for a clue.",), unclear=True)
    if any(pattern.matches(answer) for pattern in step.accept):
        return Verdict(True)
    feedback = tuple(item.text for item in step.feedback if item.when.matches(answer))
    return Verdict(False, feedback)
