"""The end of a practice lesson (or /cleanup): what the learner's commands made in it,
and an offer to remove it. Names that existed before and moved to new images are
reported, never removed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.practice.protocol import describe_created, is_moved_name
from tutor.render import blocks as show

if TYPE_CHECKING:
    from tutor.repl.conversation import Conversation


def offer_cleanup(conv: Conversation, advance_after: bool = True) -> None:
    """List what the learner created in this lesson and offer to remove it; with
    ``advance_after``, a yes at the cleanup step moves on."""
    if conv.practice is None or conv.lesson is None:
        show.say(conv.console, "Nothing to clean up without the engine.", "tutor.muted")
        return
    practice = conv.practice
    try:
        items = practice.created_in_lesson()
    except Exception as error:  # engine gone: say so, keep the list for later
        show.say(conv.console, f"Cannot list this lesson's resources: {error}", "tutor.warning")
        return
    moved = [item for item in items if is_moved_name(item)]
    items = [item for item in items if not is_moved_name(item)]
    if moved:
        show.say(conv.console, "These names existed before this lesson, and your commands "
                 "gave them to new images; they stay as they are:", "tutor.heading")
        show.bullets(conv.console, [_moved_line(item) for item in moved])
    if not items:
        show.say(conv.console, "Nothing from this lesson is left to clean up.", "tutor.muted")
        return
    show.say(conv.console, "You created these in this lesson:", "tutor.heading")
    show.bullets(conv.console, [describe_created(item) for item in items])
    cleanup_step = conv.step if advance_after else None

    def remove() -> None:
        removed = practice.remove_created(items)
        conv.save()
        if removed:
            show.say(conv.console, "Removed: " + ", ".join(removed) + ".", "tutor.done")
        if cleanup_step is not None and conv.step is cleanup_step:
            conv.advance()

    conv.confirm(f"Remove {'it' if len(items) == 1 else f'all {len(items)}'}? "
                 "(answering no keeps them; press Enter afterwards to go on)", remove)


def _moved_line(item: dict) -> str:
    before = item["replaced"].removeprefix("sha256:")[:12]
    return (f"{item['ref']} (it named image {before} before: `docker tag {before} "
            f"{item['ref']}` puts it back, if that image still exists)")
