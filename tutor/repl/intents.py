"""What a line in plain words asks the tutor to do: a second way in, beside /commands.

Pure and cheap: a table of phrasings per intent, matched on a normalised line.
``intent_of("give me a hint")`` is ``Intent.HINT``; ``is_question("whats a
registry")`` tells a question from an answer. The conversation decides what
comes first (an answer to the pending question always does).
"""

from __future__ import annotations

import re
from enum import Enum


class Intent(Enum):
    HINT = "hint"
    REVEAL = "reveal"  # show me the answer
    SKIP = "skip"
    NEXT = "next"
    BACK = "back"
    REPEAT = "repeat"  # show the current step again
    WHERE = "where"  # where am I
    RUNNING = "running"  # what is running
    WHY_FAILED = "why-failed"
    HELP = "help"
    LESSONS = "lessons"
    EXIT_SHELL = "exit-shell"  # "exit" typed as if inside a container


_PLEASE = r"(?:\s+(?:please|pls|plz|thanks|thank you))?"
_POLITE = r"(?:(?:can|could) (?:you|i) (?:please )?|please |pls |i (?:need|want|would like) )?"

# One regular expression per phrasing; matched against the whole normalised line.
PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.HINT: (
        rf"{_POLITE}(?:give me |get |have |show me |send )?(?:a |another |one more |some |the next )?"
        rf"(?:hint|clue|tip)s?{_PLEASE}",
        rf"(?:i'?m|i am|im) (?:stuck|lost|confused){_PLEASE}",
        r"stuck", r"help me(?: out)?", r"no (?:idea|clue)", r"i (?:have no|don'?t have an?) idea",
    ),
    Intent.REVEAL: (
        rf"{_POLITE}(?:show|tell|give) me the (?:answer|solution){_PLEASE}",
        r"what(?:'s| is) the (?:answer|solution)", r"(?:i )?give up", r"just tell me",
        r"reveal(?: the answer)?", r"explain(?: it| this| the answer)?",
    ),
    Intent.SKIP: (rf"skip(?: (?:this|it|this one|this step|the question))?{_PLEASE}",
                  r"move on", r"next question", r"i'?ll skip(?: this| it)?"),
    Intent.NEXT: (r"next(?: step)?", r"continue", r"go on", r"go ahead", r"carry on",
                  r"let'?s go", r"onwards?"),
    Intent.BACK: (r"(?:go )?back(?: one step)?", r"previous(?: step)?", r"go to the previous step"),
    Intent.REPEAT: (r"repeat(?: (?:that|the question|the task|it|please))?",
                    r"(?:say|show)(?: that| it)? again", r"again",
                    r"what (?:was|is) the (?:question|task)",
                    r"show (?:me )?the (?:question|task)(?: again)?", r"come again"),
    Intent.WHERE: (r"where am i", r"where are we", r"what lesson is this",
                   r"(?:what|which) (?:lesson|step) am i (?:on|in|at)",
                   r"how far (?:am i|have i got|have i gotten)", r"my progress",
                   r"show (?:me )?my progress"),
    Intent.RUNNING: (r"what(?:'s| is|s)? (?:is )?running", r"(?:what|which) containers? (?:is|are) running",
                     r"(?:show|list) (?:me )?my containers", r"what do i have running",
                     r"what containers do i have"),
    Intent.WHY_FAILED: (r"why did (?:that|it|this|my command) fail", r"why (?:not|no)",
                        r"what went wrong", r"why (?:is|was) (?:that|it|this) wrong",
                        r"what(?:'s| is) wrong(?: with (?:it|that|this))?",
                        r"why didn'?t (?:it|that|this) (?:pass|work)", r"why did(?:n'?t)? it (?:fail|pass)"),
    Intent.HELP: (r"help", r"what can i (?:do|type|say)", r"(?:show )?(?:the )?commands",
                  r"how does this work"),
    Intent.LESSONS: (r"(?:list|show)(?: me)? (?:the |all )?lessons", r"what lessons are there",
                     r"which lessons are there"),
    Intent.EXIT_SHELL: (r"exit", r"logout"),
}

_COMPILED = {intent: [re.compile(pattern + r"[.!?]*") for pattern in patterns]
             for intent, patterns in PHRASES.items()}

QUESTION_WORDS = ("what", "whats", "what's", "how", "why", "when", "where", "which", "who",
                  "whos", "who's", "can", "could", "should", "would", "is", "are", "does",
                  "do", "did", "will", "explain", "define", "tell", "describe", "difference",
                  "diff", "meaning", "whyd", "hows", "how's", "wat", "wut")
# Words that make a line look like a request even when no phrasing matches exactly.
REQUEST_WORDS = frozenset({"hint", "clue", "help", "stuck", "skip", "answer", "solution",
                           "explain", "next", "back", "repeat"})


def normalise(line: str) -> str:
    text = line.strip().lower().replace("’", "'")
    return " ".join(text.split())


def intent_of(line: str) -> Intent | None:
    """The intent a whole line expresses, or None."""
    text = normalise(line)
    if not text:
        return None
    for intent, patterns in _COMPILED.items():
        if any(pattern.fullmatch(text) for pattern in patterns):
            return intent
    return None


def is_question(line: str) -> bool:
    """A question in plain words: ends with "?" or starts like one ("how do i ...")."""
    text = normalise(line)
    if len(text) < 3 or text.startswith("/"):
        return False
    if text.endswith("?"):
        return True
    if text.startswith("docker "):
        return False  # a docker command (or an answer that is one)
    first = re.split(r"[\s,]+", text, maxsplit=1)[0]
    return first in QUESTION_WORDS and len(text.split()) >= 2


def sounds_like_a_request(line: str) -> bool:
    """A line that mentions a request word: worth a "to ask for ..., type /..." note."""
    return any(word in REQUEST_WORDS for word in re.findall(r"[a-z]+", normalise(line)))
