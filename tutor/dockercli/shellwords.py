"""Split a typed command line into argv words, refusing shell syntax.

The tutor runs docker directly (an argv list, never a shell), so pipes,
``&&``, redirections, ``$VAR`` and globs would silently mean something else
than the learner expects.  Rather than guess, :func:`split_command` refuses
them with a :class:`ShellSyntaxError` that says why and what to type instead.

Quoting works as in a POSIX shell: ``sh -c "echo a | wc -c"`` is one word and
fine.  Inside double quotes ``$`` and backticks are passed on literally, so
``docker run busybox sh -c "echo $HOME"`` hands ``$HOME`` to the container's
shell, which is what learners mean.  An unquoted ``#`` that starts a word
begins a comment (as in a shell) and is dropped.
"""

from __future__ import annotations

import re
import shlex

__all__ = ["ShellSyntaxError", "split_command"]


class ShellSyntaxError(Exception):
    """The line uses shell syntax that the tutor does not run.

    ``construct`` names it ("pipe", "and-list", "or-list", "sequence",
    "background", "redirection", "command substitution", "arithmetic
    expansion", "process substitution", "variable", "dollar quoting", "glob",
    "brace expansion", "tilde", "subshell", "environment assignment",
    "unbalanced quotes", "line continuation", "typographic quotes");
    ``advice`` explains why it is
    refused and what to type instead; ``suggestion`` is a ready-to-type
    command when one can be derived; ``position`` is the index in the line.
    """

    def __init__(
        self,
        construct: str,
        advice: str,
        *,
        line: str = "",
        position: int = 0,
        text: str = "",
        suggestion: str | None = None,
    ) -> None:
        super().__init__(advice)
        self.construct = construct
        self.advice = advice
        self.line = line
        self.position = position
        self.text = text  # the offending characters, e.g. "|" or "$(docker ps -q)"
        self.suggestion = suggestion


def split_command(line: str) -> list[str]:
    """Split ``line`` like a POSIX shell would, or raise :class:`ShellSyntaxError`."""
    # Most lines (`docker run -d --name web -p 8080:80 nginx:1.25`) have no quote,
    # escape or shell character: for them the shell's split is a split on spaces.
    if _PLAIN_LINE.match(line) and not _ASSIGNMENT.match(line):
        return line.split()
    cleaned = _scan(line)
    try:
        return shlex.split(cleaned, comments=False, posix=True)
    except ValueError as exc:  # _scan catches these first; kept as a safety net
        raise ShellSyntaxError(
            "unbalanced quotes",
            "A quote is not closed. Close it (or remove it) and try again.",
            line=line,
        ) from exc


# --------------------------------------------------------------------------
# Scanner: walks the line once, tracking quotes, and finds shell syntax.
# --------------------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Characters that mean nothing to a shell anywhere in a word (ASCII only: str.split
# would also split on Unicode spaces, which a shell keeps inside a word).
_PLAIN_LINE = re.compile(r"[A-Za-z0-9 _\-./:=,@%+]*\Z")
# Curly quotes pasted from web pages look like quotes but are plain letters to a shell.
_SMART_QUOTES = "\u201c\u201d\u2018\u2019"
_ASSIGNMENT = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)=(\S*)")
_SPECIAL_PARAMS = set("?$!#@*-0123456789")


def _scan(line: str) -> str:
    """Return the line ready for shlex (comment cut, ``\\<newline>`` joined,
    ``\\$`` in double quotes unescaped), or raise ShellSyntaxError."""
    match = _ASSIGNMENT.match(line)
    if match:
        raise _error("environment assignment", line, match.start(1), match.group(0).strip())

    out: list[str] = []
    quote = ""  # "", "'" or '"'
    quote_start = 0
    word_start = True  # at the beginning of a word (for #, ~)
    seen_words = False  # a non-blank word already on this line (for newline = sequence)
    n = len(line)
    i = 0
    while i < n:
        c = line[i]
        if quote == "'":
            if c == "'":
                quote = ""
            out.append(c)
            i += 1
            continue
        if quote == '"':
            if c == "\\" and i + 1 < n:
                nxt = line[i + 1]
                if nxt == "\n":  # line continuation inside double quotes
                    i += 2
                    continue
                if nxt in "$`":  # the shell unescapes these; shlex would keep the \
                    out.append(nxt)
                    i += 2
                    continue
                out.append(line[i : i + 2])
                i += 2
                continue
            if c == '"':
                quote = ""
            elif c in "$`":
                # A shell expands these even inside double quotes.  Allow them
                # only in the command string of `sh -c "..."`, where the
                # learner means the container's shell to expand them.
                nxt = line[i + 1] if i + 1 < n else ""
                construct, length = (
                    ("command substitution", 1) if c == "`" else _dollar_at(line, i, nxt)
                )
                if construct and construct != "dollar quoting" and not _after_dash_c(line, quote_start):
                    raise _error(construct, line, i, line[i : i + length])
            out.append(c)
            i += 1
            continue

        # Unquoted.
        if c == "\\":
            if i + 1 >= n:
                raise _error("line continuation", line, i, "\\")
            if line[i + 1] == "\n":
                i += 2
                continue
            out.append(line[i : i + 2])
            word_start = False
            i += 2
            continue
        if c in " \t\r":
            word_start = True
            out.append(c)
            i += 1
            continue
        if c == "\n":
            if seen_words and line[i + 1 :].strip():
                raise _error("sequence", line, i, "\n")
            word_start = True
            out.append(" ")
            i += 1
            continue
        if c == "#" and word_start:
            break  # a comment runs to the end of the line
        if c in "'\"":
            quote, quote_start = c, i
            word_start = False
            seen_words = True
            out.append(c)
            i += 1
            continue

        if c in _SMART_QUOTES:
            raise _error("typographic quotes", line, i, c)
        construct, length = _operator_at(line, i)
        if construct == "glob" or (not construct and c == "[" and _closes_in_word(line, i, "]")):
            raise _error("glob", line, *_word_at(line, i))
        if construct:
            raise _error(construct, line, i, line[i : i + length])
        if c == "{" and _is_brace_expansion(line, i):
            raise _error("brace expansion", line, *_word_at(line, i))
        if c == "~" and word_start:
            raise _error("tilde", line, *_word_at(line, i))

        word_start = False
        seen_words = True
        out.append(c)
        i += 1

    if quote:
        raise _error("unbalanced quotes", line, quote_start, quote)
    return "".join(out)


def _operator_at(line: str, i: int) -> tuple[str, int]:
    """(construct, length) for shell syntax starting at unquoted line[i], else ("", 0)."""
    c = line[i]
    nxt = line[i + 1] if i + 1 < len(line) else ""
    if c == "|":
        return ("or-list", 2) if nxt == "|" else ("pipe", 2 if nxt == "&" else 1)
    if c == "&":
        if nxt == "&":
            return "and-list", 2
        if nxt == ">":
            return "redirection", 2
        return "background", 1
    if c == ";":
        return "sequence", 1
    if c in "<>":
        if nxt == "(":
            return "process substitution", 2
        return "redirection", 1
    if c == "`":
        return "command substitution", 1
    if c == "$":
        return _dollar_at(line, i, nxt)
    if c in "()":
        return "subshell", 1
    if c in "*?":
        return "glob", 1
    return "", 0


def _dollar_at(line: str, i: int, nxt: str) -> tuple[str, int]:
    if line.startswith("$((", i):
        return "arithmetic expansion", 3
    if nxt == "(":
        return "command substitution", 2
    if nxt == "{":
        end = line.find("}", i)
        return "variable", (end - i + 1) if end != -1 else 2
    if nxt and nxt in _SPECIAL_PARAMS:
        return "variable", 2
    name = _NAME.match(line, i + 1)
    if name:
        return "variable", 1 + len(name.group(0))
    if nxt and nxt in "'\"":
        return "dollar quoting", 2
    return "", 0  # a lone "$" is literal in a shell too


def _after_dash_c(line: str, quote_start: int) -> bool:
    """True if the word holding the quote at quote_start follows a '-c' word."""
    start = quote_start
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    before = line[:start].split()
    return bool(before) and before[-1] == "-c"


def _word_at(line: str, i: int) -> tuple[int, str]:
    """(start, text) of the whitespace-delimited chunk of the raw line around i."""
    start = i
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    end = i
    while end < len(line) and not line[end].isspace():
        end += 1
    return start, line[start:end]


def _closes_in_word(line: str, i: int, closer: str) -> bool:
    j = i + 1
    while j < len(line) and not line[j].isspace() and line[j] not in "'\"":
        if line[j] == closer:
            return True
        j += 1
    return False


def _is_brace_expansion(line: str, i: int) -> bool:
    """True for {a,b} or {1..3}; false for Go templates like {{.Names}}."""
    depth = 0
    j = i
    while j < len(line) and not line[j].isspace() and line[j] not in "'\"":
        ch = line[j]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return False
        elif depth == 1 and (ch == "," or line.startswith("..", j)):
            return True
        j += 1
    return False


# --------------------------------------------------------------------------
# Advice: why the construct is refused, and what to type instead.
# --------------------------------------------------------------------------

def _error(construct: str, line: str, pos: int, text: str) -> ShellSyntaxError:
    from .shelladvice import CONSTRUCT_EFFECTS, WHY, advise  # loaded with the first refusal

    advice, suggestion = advise(construct, line, pos, text)
    if construct in CONSTRUCT_EFFECTS:
        why = WHY.format(what=CONSTRUCT_EFFECTS[construct].format(text=f"'{text}'"))
        advice = f"{why} {advice}"
    return ShellSyntaxError(
        construct, advice, line=line, position=pos, text=text, suggestion=suggestion
    )
