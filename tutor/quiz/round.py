"""A quiz round in the conversation: it gets the learner's lines first until it ends.

Each answer is judged at once, with feedback and the explanation, and becomes a review
for the spaced-repetition scheduler; the round ends with a summary. Slash commands
the round does not own (/quit, /help, /progress, /ask ...) go on to the conversation;
those that would move through a lesson wait until the round is over.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from tutor.quiz import present
from tutor.quiz.challenge import Challenges
from tutor.quiz.schedule import Clock, rating_for, record_answer, refresh, utc_now
from tutor.quiz.summary import Result, RoundSummary, show_summary
from tutor.render import blocks as show

if TYPE_CHECKING:
    from rich.console import Console

    from tutor.course.lesson import Course, Verdict
    from tutor.practice.protocol import Outcome, Practice
    from tutor.progress import Progress
    from tutor.quiz.selection import Pick
    from tutor.steps.command import CommandStep

# Commands that move through lessons: not while a round runs.
LESSON_COMMANDS = frozenset({"start", "back", "reset", "cleanup", "quiz"})
QUIZ_HELP = ("In a quiz: answer the question; /hint for a clue (the answer then counts as "
             "helped), /skip to see the answer, /stop to end the round. /quit leaves the tutor.")


class QuizHost(Protocol):
    """What a round needs of the conversation."""

    console: Console
    course: Course
    progress: Progress
    practice: Practice | None

    def save(self) -> bool: ...

    def confirm(self, question: str, action: Callable[[], None],
                otherwise: Callable[[], None] | None = None) -> None: ...

    def begin_activity(self, activity: QuizRound) -> None: ...

    def end_activity(self) -> None: ...


@dataclass
class Settings:
    topic: str | None = None
    clock: Clock = utc_now
    rng: random.Random | None = None
    # What happens when the round is over (default: back to the conversation).
    on_end: Callable[[], None] | None = None


class QuizRound:
    def __init__(self, host: QuizHost, picks: Sequence[Pick], settings: Settings | None = None,
                 ) -> None:
        self.host = host
        self.picks = list(picks)
        self.settings = settings or Settings()
        self.rng = self.settings.rng or random.Random()
        self.index = -1
        self.asked: present.Asked | None = None
        self.results: list[Result] = []
        self.challenges = Challenges(host.practice)
        self.over = False

    # -- the activity: what the conversation asks of it ----------------------------------------

    def begin(self) -> None:
        reasons = [pick.reason for pick in self.picks]
        parts = [f"{reasons.count(r)} {word}" for r, word in
                 (("missed", "missed last time"), ("due", "due for review"), ("new", "new"),
                  ("ahead", "to go over again"), ("known", "well known, due soonest"))
                 if reasons.count(r)]
        about = f" on {self.host.course.topic_title(self.settings.topic)}" \
            if self.settings.topic else ""
        show.say(self.host.console, f"Quiz{about}: {len(self.picks)} question"
                 f"{'s' if len(self.picks) != 1 else ''} ({', '.join(parts)}). /stop ends the "
                 "round early.", "tutor.heading")
        self._next()

    def handle(self, text: str) -> bool:
        """Take a line; False leaves it to the conversation (a slash command not ours)."""
        if self.over or self.asked is None:
            return False
        if text.startswith("/"):
            return self._command(text)
        asked = self.asked
        if asked.question.is_challenge:
            self._challenge_line(text)
            return True
        verdict = asked.recall.judge(text) if asked.recall is not None else asked.step.judge(text)
        if not verdict.correct and text.rstrip().endswith("?"):
            # A question to the tutor, not an answer: it must not count as a miss.
            show.say(self.host.console, "That reads like a question: /ask asks the tutor (the "
                     "round waits). Answer, or /skip to see the answer.", "tutor.muted")
            return True
        self._answer(verdict)
        return True

    def stop(self) -> None:
        """The tutor is closing: tear a challenge down; the answers so far are saved."""
        self._leave_challenge()
        self.over = True

    def toolbar(self) -> tuple[str, int, int]:
        return "Quiz", max(1, self.index + 1), len(self.picks)

    # -- slash commands -----------------------------------------------------------------------

    def _command(self, text: str) -> bool:
        name = text[1:].split(maxsplit=1)[0].lower() if len(text) > 1 else ""
        rest = text[1 + len(name):].strip()
        if name == "hint":
            self._hint()
        elif name in ("skip", "next") or (name == "explain" and not rest):
            self._finish(correct=False, gave_up=True)
        elif name == "stop":
            self._end(early=True)
        elif name == "check" and self.asked is not None and self.asked.question.is_challenge:
            if self.challenges.check(self._challenge_step()):
                self._finish(correct=True)
        elif name in LESSON_COMMANDS:
            show.say(self.host.console, "A quiz round is running: finish it, or /stop to end "
                     "it first.", "tutor.muted")
        elif name == "help":
            show.say(self.host.console, QUIZ_HELP, "tutor.muted")
            return False
        else:
            return False
        return True

    def _hint(self) -> None:
        asked = self.asked
        assert asked is not None
        hints = asked.step.hints
        if asked.hints_shown >= len(hints):
            show.say(self.host.console, "No more hints: answer, or /skip to see the answer.",
                     "tutor.muted")
            return
        asked.hints_shown += 1
        asked.helped = True
        show.hint(self.host.console, asked.fill(hints[asked.hints_shown - 1]), asked.hints_shown,
                  len(hints))

    # -- answers ------------------------------------------------------------------------------

    def _answer(self, verdict: Verdict) -> None:
        if verdict.unclear:
            if verdict.proposed is not None:
                from tutor.steps.choice import label

                letter = label(verdict.proposed)
                self.host.confirm(verdict.feedback[0], lambda: self._answer_again(letter))
                return
            show.unclear(self.host.console, verdict.feedback)
            return
        if verdict.correct and verdict.feedback:  # a typo forgiven, a note on the answer
            assert self.asked is not None
            self.asked.helped = True
        self._finish(verdict.correct, feedback=verdict.feedback)

    def _answer_again(self, text: str) -> None:
        if self.asked is not None and not self.over:
            self.handle(text)

    def _finish(self, correct: bool, feedback: tuple[str, ...] = (), gave_up: bool = False,
                ) -> None:
        asked = self.asked
        assert asked is not None
        console = self.host.console
        if correct:
            present.right(console, asked, feedback)
        else:
            present.missed(console, asked, feedback, gave_up)
        rating = rating_for(correct, asked.helped)
        record = self.host.progress.quiz.question(asked.question.key)
        record_answer(record, rating, self.settings.clock())
        self.results.append(Result(asked.question, rating))
        self._leave_challenge()
        self.host.save()
        self._next()

    # -- challenges ---------------------------------------------------------------------------

    def _challenge_step(self, asked: present.Asked | None = None) -> CommandStep:
        from tutor.steps.command import CommandStep

        asked = asked or self.asked
        assert asked is not None and isinstance(asked.step, CommandStep)
        return asked.step

    def _start_challenge(self, asked: present.Asked) -> bool:
        """Set the challenge up; False (said in one line) when it cannot run here."""
        why = self.challenges.unavailable()
        if not why:
            show.muted(self.host.console, "Setting up the challenge…")
        values = None if why else self.challenges.enter(self._challenge_step(asked))
        if values is None:
            show.say(self.host.console, "Skipped a practical challenge: it needs the Docker "
                     f"engine{f' ({why})' if why else ''}. The round goes on.", "tutor.muted")
            self.results.append(Result(asked.question, None))
            return False
        asked.values = values
        asked.set_up = True
        return True

    def _challenge_line(self, text: str) -> None:
        words = text.split()
        if words[:1] not in (["docker"], ["docker-compose"]) and words[:2] != ["sudo", "docker"]:
            show.say(self.host.console, "This is a practical challenge: type docker commands "
                     "(they run against the engine), /check, /hint or /skip.", "tutor.muted")
            return
        asked = self.asked
        self._outcome(self.challenges.run(text, self._challenge_step()), asked)

    def _outcome(self, outcome: Outcome, asked: present.Asked | None) -> None:
        if outcome.confirm is not None:
            question, proceed = outcome.confirm
            self.host.confirm(question, lambda: self._outcome(proceed(), asked))
            return
        if outcome.passed and asked is not None and asked is self.asked and not self.over:
            self._finish(correct=True)

    def _leave_challenge(self) -> None:
        if self.asked is not None and self.asked.set_up:
            self.asked.set_up = False
            self.challenges.leave(self._challenge_step())

    # -- moving on ----------------------------------------------------------------------------

    def _next(self) -> None:
        while True:
            self.index += 1
            self.asked = None
            if self.index >= len(self.picks):
                self._end(early=False)
                return
            pick = self.picks[self.index]
            record = self.host.progress.quiz.questions.get(pick.question.key)
            if record is not None and not record.fresh:
                refresh(record)  # another session answered it too: its card is computed anew
            asked = present.prepare(pick.question, self.rng)
            present.header(self.host.console, self.host.course, asked, self.index + 1,
                           len(self.picks), pick.reason)
            if asked.question.is_challenge and not self._start_challenge(asked):
                continue
            self.asked = asked
            present.render(self.host.console, asked)
            return

    def _end(self, early: bool) -> None:
        self._leave_challenge()
        self.asked = None
        self.over = True
        self.host.save()
        summary = RoundSummary.of(self.results, self.host.progress, self.host.course,
                                  self.settings.clock(), early=early, planned=len(self.picks))
        show_summary(self.host.console, summary, self.host.course)
        made = self.challenges.made()
        if not made:
            self._over()
            return
        from tutor.practice.protocol import describe_created

        practice = self.challenges.practice
        assert practice is not None
        names = ", ".join(describe_created(item) for item in made)

        def remove() -> None:
            removed = practice.remove_created(made)
            if removed:
                show.say(self.host.console, "Removed: " + ", ".join(removed) + ".",
                         "tutor.done")
            self._over()

        def keep() -> None:
            show.say(self.host.console, f"Kept: {names}. `docker rm -f` removes a container "
                     "when you are done with it.", "tutor.muted")
            self._over()

        self.host.confirm(f"Your commands made {names} in the challenges. Remove "
                          f"{'it' if len(made) == 1 else 'them'}?", remove, keep)

    def _over(self) -> None:
        if self.settings.on_end is not None:
            self.settings.on_end()
        else:
            self.host.end_activity()
