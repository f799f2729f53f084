"""A line in plain words: an answer, a request ("give me a hint"), or a question.

The order is what keeps a misread cheap: a correct answer always counts as the
answer; a request in words does what its /command would; a question is answered
from the lessons and leaves the pending question pending (it is no attempt);
anything else is judged as an answer, and when it looked like a request the
learner is told how to ask instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.course.lesson import choice_label
from tutor.course.placeholders import render_template
from tutor.progress import PASSED
from tutor.render import blocks as show
from tutor.repl import asking
from tutor.repl.commands import dispatch
from tutor.repl.intents import Intent, intent_of, is_question, sounds_like_a_request

if TYPE_CHECKING:
    from tutor.course.lesson import Step, Verdict
    from tutor.repl.conversation import Conversation

CONTINUE_WORDS = {"", "n", "next", "ok", "okay", "continue", "go", "y", "yes", "c"}


def respond(conv: Conversation, text: str) -> None:
    step = conv.step
    if step is None:
        _without_a_lesson(conv, text)
        return
    if not step.is_question:
        if text.lower() in CONTINUE_WORDS:
            conv.advance()
        elif not _request(conv, text):
            show.unclear(conv.console, step.judge(text).feedback)
            _mention_asking(conv)
        return
    verdict = step.judge(text)
    if verdict.correct and not verdict.by_words:
        _accept(conv, step, verdict)
        return
    if _request(conv, text):
        return  # a request or a question: the pending question stays pending
    if verdict.correct:
        _accept(conv, step, verdict)
    elif verdict.unclear:
        _unclear(conv, step, verdict)
    else:
        _wrong(conv, step, verdict, text)


def _request(conv: Conversation, text: str) -> bool:
    """Do what a request in words asks, or answer a question; False when it is neither."""
    intent = intent_of(text)
    if intent is not None:
        perform(conv, intent)
        return True
    if is_question(text):
        asking.ask(conv, text)
        return True
    return False


def perform(conv: Conversation, intent: Intent) -> None:
    """What a request in words does: the same as its /command."""
    commands = {Intent.HINT: "/hint", Intent.REVEAL: "/explain", Intent.SKIP: "/skip",
                Intent.NEXT: "/next", Intent.BACK: "/back", Intent.HELP: "/help",
                Intent.LESSONS: "/lessons"}
    if intent in commands:
        dispatch(conv, commands[intent])
    elif intent is Intent.REPEAT:
        repeat(conv)
    elif intent is Intent.WHERE:
        asking.where_am_i(conv)
    elif intent is Intent.RUNNING:
        asking.what_is_running(conv)
    elif intent is Intent.WHY_FAILED:
        asking.why_it_failed(conv)
    elif intent is Intent.EXIT_SHELL:
        show.say(conv.console, "You are in the tutor, not inside a container: `exit` leaves a "
                 "container's shell. /quit (or Ctrl-D) leaves the tutor.", "tutor.muted")


def repeat(conv: Conversation) -> None:
    """Show the current step again (without setting anything up again)."""
    step = conv.step
    if step is None or conv.lesson is None:
        show.say(conv.console, "No lesson is running. Press Enter to start the next one.",
                 "tutor.muted")
        return
    values = conv.template_values(step)
    step.render(conv.console, lambda text: render_template(text, values))


def _without_a_lesson(conv: Conversation, text: str) -> None:
    if text.lower() in CONTINUE_WORDS:
        upcoming = conv.next_lesson()
        if upcoming is None:
            show.say(conv.console, "Every lesson is done. /lessons lists them; "
                     "/start <lesson> revisits one.")
            return
        conv.start_lesson(upcoming)
        return
    if _request(conv, text):
        return
    show.say(conv.console, "No lesson is running. Press Enter to start the next one, "
             "or /lessons to choose.")
    _mention_asking(conv)


def _accept(conv: Conversation, step: Step, verdict: Verdict) -> None:
    conv.record_of(step).status = PASSED
    for note in verdict.feedback:
        show.say(conv.console, note, "tutor.muted")
    show.correct(conv.console, conv.render_text(step.explanation))
    conv.advance()


def _unclear(conv: Conversation, step: Step, verdict: Verdict) -> None:
    if verdict.proposed is not None:
        letter = choice_label(verdict.proposed)
        conv.confirm(verdict.feedback[0], lambda: conv.handle(letter))
        return
    show.unclear(conv.console, verdict.feedback)


def _wrong(conv: Conversation, step: Step, verdict: Verdict, text: str) -> None:
    record = conv.record_of(step)
    record.attempts += 1
    conv.save()
    show.wrong(conv.console, verdict.feedback,
               len(step.hints) - min(record.hints, len(step.hints)))
    if sounds_like_a_request(text):
        show.say(conv.console, "(That counted as an answer. To ask instead: /hint for a "
                 "clue, /explain for the answer, /skip to move on.)", "tutor.muted")


def _mention_asking(conv: Conversation) -> None:
    show.say(conv.console, "You can also ask me anything about Docker in plain words, "
             "such as “what is a volume?”.", "tutor.muted")
