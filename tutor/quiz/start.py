"""Starting a round: ``/quiz [topic] [count]`` in the tutor, ``docker-tutor quiz``."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.quiz.entries import topic_ids
from tutor.quiz.questions import collect_questions
from tutor.quiz.round import QuizRound, Settings
from tutor.quiz.selection import DEFAULT_COUNT, matching, pick_round
from tutor.render import blocks as show
from tutor.suggest import did_you_mean

if TYPE_CHECKING:
    from tutor.quiz.round import QuizHost
    from tutor.quiz.schedule import Clock

MAX_COUNT = 50


@dataclass(frozen=True)
class Request:
    topic: str | None = None
    count: int = DEFAULT_COUNT


def read_request(args: str) -> Request | str:
    """``images``, ``5``, ``images 5``: a topic (or lesson id) and a count; or what is wrong."""
    topic, count = None, DEFAULT_COUNT
    for word in args.split():
        if word.isdigit():
            count = int(word)
            if not 1 <= count <= MAX_COUNT:
                return f"A round has 1 to {MAX_COUNT} questions."
        elif topic is None:
            topic = word.lower()
        else:
            return "Usage: /quiz [topic] [number of questions]"
    return Request(topic, count)


def start_quiz(host: QuizHost, request: Request, clock: Clock,
               rng: random.Random | None = None,
               on_end: Callable[[], None] | None = None) -> bool:
    """Ask a round; False (and said why) when there is nothing to ask."""
    course = host.course
    questions = collect_questions(course)
    chosen = matching(questions, request.topic)
    if not chosen:
        if not questions:
            show.say(host.console, "The lessons have no quiz questions.", "tutor.warning")
            return False
        known = topic_ids(course, questions)
        assert request.topic is not None
        show.say(host.console, f"No quiz questions on '{request.topic}'"
                 f"{did_you_mean(request.topic, known)}. Topics: {', '.join(known)} (or a "
                 "lesson id).", "tutor.warning")
        return False
    picks = pick_round(chosen, host.progress, clock(), request.count, rng)
    round_ = QuizRound(host, picks, Settings(request.topic, clock, rng, on_end))
    host.begin_activity(round_)
    round_.begin()
    return True
