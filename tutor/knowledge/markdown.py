"""Cut a lesson's Markdown into the pieces an answer can quote.

An answer should be the paragraph that answers, not the whole step: a say step
about images and containers has one paragraph on each, and a list of consequences
has one item per consequence. So a text is cut into blocks (paragraphs, bullet
items, tables, numbered lists, code) under the heading they belong to. A line
ending in ":" introduces what follows and stays with it. A bullet list of short
items (a list of registries) is one block; one whose items are paragraphs of their
own is cut into its items, each quoted on its own (its lead-in is kept as the
item's ``lead``, searched with the item but not quoted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
BULLET = re.compile(r"^[-*+]\s+")
NUMBERED = re.compile(r"^\d+[.)]\s+")
FENCE = re.compile(r"^(```|~~~)")
# Emphasis and code spans: the words a lesson marks as the ones that matter.
# Items at least this long (words, on average) are quoted one by one.
ITEM_WORDS = 12
EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__|`([^`\n]+)`")


@dataclass(frozen=True)
class Block:
    """A quotable piece of a text, with the heading of its section."""

    text: str
    heading: str = ""
    lead: str = ""  # the line that introduced a bullet list, for an item of it


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated chunks; a fenced code block is never cut."""
    chunks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                chunks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        chunks.append("\n".join(current))
    return chunks


def _bullet_items(chunk: str) -> list[str] | None:
    """The items of a chunk that is a bullet list (continuation lines kept), else None."""
    lines = chunk.splitlines()
    if not BULLET.match(lines[0]):
        return None
    items: list[list[str]] = []
    for line in lines:
        if BULLET.match(line):
            items.append([line])
        elif line.startswith((" ", "\t")) and items:
            items[-1].append(line)
        else:
            return None  # text that is not part of the list: keep the chunk whole
    return ["\n".join(item) for item in items]


def split_blocks(text: str) -> list[Block]:
    """Cut ``text`` into blocks; headings become the ``heading`` of the blocks after them."""
    blocks: list[Block] = []
    heading = ""
    lead_in = ""  # a paragraph ending in ":" waits for what it introduces
    for chunk in _paragraphs(text):
        first = chunk.splitlines()[0]
        match = HEADING.match(first)
        if match:
            if lead_in:
                blocks.append(Block(lead_in, heading))
                lead_in = ""
            heading = match.group(1).strip()
            rest = chunk.splitlines()[1:]
            if not rest:
                continue
            chunk = "\n".join(rest)
        items = _bullet_items(chunk)
        if items is not None and len(items) > 1 \
                and len(chunk.split()) >= ITEM_WORDS * len(items):
            blocks.extend(Block(item, heading, lead_in) for item in items)
            lead_in = ""
            continue
        if lead_in:
            chunk = f"{lead_in}\n\n{chunk}"
            lead_in = ""
        if chunk.rstrip().endswith(":") and not FENCE.match(first.strip()):
            lead_in = chunk
            continue
        blocks.append(Block(chunk, heading))
    if lead_in:
        blocks.append(Block(lead_in, heading))
    return blocks


def emphasised(text: str) -> list[str]:
    """The bold and code spans of ``text``: terms the lesson itself points out."""
    return [next(group for group in match.groups() if group) for match in EMPHASIS.finditer(text)]


def plain(text: str) -> str:
    """Markdown without its markup characters, for a one-line excerpt."""
    text = re.sub(r"\*\*|__|`", "", text)
    text = BULLET.sub("", text.strip())
    return " ".join(text.split())
