"""``choice``: a multiple-choice question, with one or several right answers."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tutor.course.lesson import (
    CHOICE_LABELS,
    Fill,
    Reading,
    Step,
    Verdict,
    choice_label,
    first_paragraph,
)
from tutor.render import blocks
from tutor.schema.fields import Fields, each_item
from tutor.steps.question import question_parts
from tutor.steps.quizfields import parse_question_quiz, parse_topics

if TYPE_CHECKING:
    from random import Random

    from rich.console import Console

LABELS = CHOICE_LABELS


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool = False
    feedback: str | None = None


label = choice_label


@dataclass(frozen=True, kw_only=True)
class ChoiceStep(Step):
    question: str
    choices: tuple[Choice, ...]

    kind = "choice"
    is_question = True

    @property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(i for i, choice in enumerate(self.choices) if choice.correct)

    @property
    def multiple(self) -> bool:
        return len(self.correct_indexes) > 1

    def texts(self) -> tuple[str, ...]:
        return (self.question, *(c.text for c in self.choices),
                *(c.feedback for c in self.choices if c.feedback), *super().texts())

    def render(self, console: Console, fill: Fill) -> None:
        blocks.markdown(console, fill(self.question))
        blocks.choice_list(console, [(f"{label(index)})", fill(choice.text))
                                     for index, choice in enumerate(self.choices)])
        blocks.muted(console, "Choose all that apply: type the letters, e.g. 'a c'."
                     if self.multiple else "Type the letter of your answer.")

    def judge(self, answer: str) -> Verdict:
        picked = parse_choice_answer(answer, len(self.choices))
        if not isinstance(picked, str):
            return self.judge_picks(picked)
        if self.multiple:  # several answers: letters are the only clear way
            return Verdict(False, (picked,), unclear=True)
        match = match_words(answer, [choice.text for choice in self.choices])
        if match.index is not None:
            verdict = self.judge_picks({match.index})
            return Verdict(verdict.correct, verdict.feedback, by_words=True)
        if len(match.close) == 1:
            return Verdict(False, (f"Did you mean {self._listing(match.close)}?",),
                           unclear=True, by_words=True, proposed=match.close[0])
        if match.close:
            return Verdict(False, (f"Which one: {self._listing(match.close)}? Type its letter.",),
                           unclear=True, by_words=True)
        return Verdict(False, (picked,), unclear=True)

    def readings(self) -> tuple[Reading, ...]:
        question = first_paragraph(self.question)
        right = "\n".join(choice.text for choice in self.choices if choice.correct)
        return (self.explanation_reading(question, f"{question}\n{right}"),
                *(Reading("feedback", choice.feedback, " ".join(choice.text.split()),
                          choice.text, by_block=False)
                  for choice in self.choices if choice.feedback))

    def quiz_identity(self, mode: str) -> tuple:
        return ("choice", self.question, tuple((c.text, c.correct) for c in self.choices))

    def shuffled(self, rng: Random) -> ChoiceStep:
        order = list(self.choices)
        rng.shuffle(order)
        return replace(self, choices=tuple(order))

    def answer_in_words(self, fill: Fill) -> str | None:
        right = [f"({label(i)}) {plain(self.choices[i].text)}" for i in sorted(self.correct_indexes)]
        return ("The answer: " if len(right) == 1 else "The answers: ") + "; ".join(right)

    def _listing(self, indexes: list[int]) -> str:
        return " or ".join(f"({label(i)}) {plain(self.choices[i].text)}" for i in indexes)

    def judge_picks(self, picked: set[int]) -> Verdict:
        correct = self.correct_indexes
        if not self.multiple and len(picked) > 1:
            return Verdict(False, ("Only one choice is right here: pick one letter.",),
                           unclear=True)
        if picked == correct:
            return Verdict(True)
        feedback = [f"({label(i)}) {self.choices[i].feedback}"
                    for i in sorted(picked - correct) if self.choices[i].feedback]
        if self.multiple:
            missing = len(correct - picked)
            wrong = len(picked - correct)
            if wrong == 0 and missing:
                feedback.append(
                    f"Everything you picked is right, but {missing} more "
                    f"{'choice is' if missing == 1 else 'choices are'} right too.")
            elif wrong and not feedback:
                feedback.append(f"{wrong} of your picks {'is' if wrong == 1 else 'are'} not right.")
        return Verdict(False, tuple(feedback))

    @classmethod
    def parse(cls, fields: Fields, step_id: str) -> ChoiceStep | None:
        question, hints, explanation = question_parts(fields)
        topics, quiz = parse_topics(fields), parse_question_quiz(fields)

        def parse_one(choice: Fields) -> Choice | None:
            text = choice.text("text")
            correct = choice.boolean("correct", default=False)
            feedback = choice.text("feedback", required=False)
            if correct and feedback is not None:
                choice.field_problem(
                    "feedback",
                    "belongs on wrong choices; say why a right one is right in 'explanation'")
            return Choice(text, correct, feedback) if text is not None else None

        items = fields.mappings("choices")
        choices = each_item(fields, "choices", parse_one) if items else []
        if items and len(items) < 2:
            fields.field_problem("choices", f"needs at least 2 choices, found {len(items)}")
        if len(choices) == len(items) and items and not any(c.correct for c in choices):
            fields.field_problem("choices", "no choice is marked 'correct: true'")
        if question is None or explanation is None or not hints or len(choices) != len(items):
            return None
        if len(choices) > len(LABELS):
            fields.field_problem("choices", f"has {len(choices)} choices; at most "
                                            f"{len(LABELS)} can be lettered")
            return None
        if len(choices) < 2 or not any(c.correct for c in choices):
            return None
        return cls(id=step_id, question=question, choices=tuple(choices), hints=hints,
                   explanation=explanation, topics=topics, quiz=quiz)


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


# -- answers in words -----------------------------------------------------------------------

STOP_WORDS = frozenset(["the", "a", "an", "of", "on", "in", "your", "my", "per", "to", "for", "and", "is", "it", "its", "with", "by", "at", "from", "this", "that", "i", "think", "answer", "choice", "option", "one"])
CERTAIN = 75  # a choice this close, and clearly closer than the next, is the one meant
CLOSE = 55  # this close: ask "did you mean ...?"
MARGIN = 15
TYPO_WEIGHT = 0.85


@dataclass(frozen=True)
class WordsMatch:
    index: int | None  # the choice meant, when certain
    close: list[int]  # choices that might be meant (best first), when not certain


def plain(markdown: str) -> str:
    """A choice's text without Markdown marks, for messages and matching."""
    return re.sub(r"[`*_]", "", markdown).strip()


def _content(text: str) -> str:
    return " ".join(word for word in re.findall(r"[a-z0-9]+", plain(text).lower())
                    if word not in STOP_WORDS)


def match_words(answer: str, choices: list[str]) -> WordsMatch:
    """Which choice an answer in words means ("the daemon", "dockerd", "kernal")."""
    from rapidfuzz import fuzz  # loaded with the first answer in words, not at start-up

    query = _content(answer)
    if not query:
        return WordsMatch(None, [])
    scores = []
    for index, text in enumerate(choices):
        words = _content(text)
        score = fuzz.token_set_ratio(query, words)
        if score < CERTAIN:  # maybe a typo ("kernal"): near words count, for a little less
            score = max(score, TYPO_WEIGHT * _word_by_word(query, words, fuzz.ratio))
        scores.append((score, index))
    scores.sort(reverse=True)
    best, second = scores[0], scores[1] if len(scores) > 1 else (0.0, -1)
    if best[0] >= CERTAIN and best[0] - second[0] >= MARGIN:
        return WordsMatch(best[1], [best[1]])
    close = [index for score, index in scores if score >= CLOSE and best[0] - score < MARGIN]
    return WordsMatch(None, close)


def _word_by_word(query: str, words: str, ratio) -> float:
    """How well each query word matches its closest word of the choice, on average."""
    candidates = words.split()
    if not candidates:
        return 0.0
    best = [max(ratio(word, other) for other in candidates) for word in query.split()]
    return sum(best) / len(best)
