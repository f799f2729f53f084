"""A name or port this step handed out, taken by someone else a moment later.

Sessions on one machine reserve what they hand out (``tutor.practice.reservations``),
but learners on other machines who share a remote engine reserve nothing of each
other's: two of them may be given the same ``web`` in the same second, and the one
whose command comes second gets docker's "already in use". Docker's advice for that
(remove the old container) would remove the other learner's work, so the tutor says
plainly what happened, chooses the name or port anew (the learner's own, with their
suffix) and shows the command to type instead.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.practice.labels import LEARNER_LABEL
from tutor.practice.values import choose_again, recorded_values

if TYPE_CHECKING:
    from tutor.course.lesson import Step
    from tutor.practice.place import LessonPlace
    from tutor.practice.recording import Made
    from tutor.practice.reservations import Ledger

NAME_IN_USE = re.compile(r'container name "/?(?P<name>[^"]+)" is already in use')
PORT_IN_USE = re.compile(r"Bind for \S*?:(?P<port>\d+) failed: port is already allocated"
                         r"|listen tcp[46]? \S*?:(?P<listen>\d+): bind: address already in use")


@dataclass(frozen=True)
class LostRace:
    """The step's ``value`` (a ``form`` var), now someone else's."""

    form: str  # free_name or free_port
    value: str
    who: str  # who took it, in words: "Another learner on this engine"


def lost_race(api: Any, output: str, values: Mapping[str, str], forms: Mapping[str, str],
              learner: str) -> LostRace | None:
    """Whether docker's ``output`` says that a name or port of the step (``values`` of the
    vars whose ``forms`` are free_name or free_port) belongs to someone else now."""
    mine = {(forms[var], value) for var, value in values.items() if var in forms}
    name = NAME_IN_USE.search(output)
    if name and ("free_name", name["name"]) in mine:
        who = _whose(_holders_of_name(api, name["name"]), learner)
        return LostRace("free_name", name["name"], who) if who else None
    port = PORT_IN_USE.search(output)
    value = port and (port["port"] or port["listen"])
    if value and ("free_port", value) in mine:
        holders = [c for c in api.containers()
                   if any(str(p.get("PublicPort")) == value for p in c.get("Ports") or ())]
        if not holders:
            return LostRace("free_port", value, "A program outside Docker")
        who = _whose(holders, learner)
        return LostRace("free_port", value, who) if who else None
    return None


def held_by_another_learner(api: Any, output: str, learner: str) -> str | None:
    """When docker says a name is in use by another learner's container (one with their
    learner label): docker's advice to remove it would remove their work."""
    name = NAME_IN_USE.search(output)
    if not name or _whose(_holders_of_name(api, name["name"]), learner) != ANOTHER_LEARNER:
        return None  # the learner's own, or nobody's in particular: docker's advice stands
    return (f"`{name['name']}` is another learner's container on this engine (it carries "
            "their learner label): leave it be, and give yours another name, such as "
            f"`{name['name']}-2`.")


ANOTHER_LEARNER = "Another learner on this engine"


def _holders_of_name(api: Any, name: str) -> list[dict]:
    """The containers named exactly ``name`` (the engine's name filter is a pattern)."""
    return [c for c in api.containers(all=True, filters={"name": name})
            if f"/{name}" in (c.get("Names") or ())]


def _whose(containers: list[dict], learner: str) -> str | None:
    """Who holds these containers, in words, unless it is the learner."""
    owners = {(c.get("Labels") or {}).get(LEARNER_LABEL) for c in containers}
    if not owners or owners == {learner}:
        return None
    if owners - {learner, None}:
        return ANOTHER_LEARNER
    return "Someone else on this engine"


def after_lost_race(api: Any, place: LessonPlace, step: Step, values: dict[str, str],
                    learner: str, argv: list[str], output: str, made: Made | None,
                    ledger: Ledger | None = None) -> str | None:
    """When the command failed because someone else took the step's name or port: choose
    it anew (``values`` are updated) and return what to tell the learner."""
    lesson_vars = place.lesson.variables if place.lesson else ()
    forms = {spec.name: spec.form for spec in (*lesson_vars, *step.own_vars())
             if spec.form in ("free_name", "free_port")}
    race = lost_race(api, output, values, forms, learner)
    if race is None:
        return None
    lost = [var for var, form in forms.items()
            if form == race.form and values.get(var) == race.value]
    if not choose_again(api, place, step, learner, race.form, race.value, ledger):
        return None
    values.update(recorded_values(place, step))
    return explain(race, values[lost[0]], argv, made)


def explain(race: LostRace, new: str, argv: list[str], made: Made | None) -> str:
    """What happened, and what to type instead of ``argv``."""
    if race.form == "free_name":
        what, yours, fresh = f"the name `{race.value}`", f"name is now `{new}`", f"`{new}`"
    else:
        what, yours, fresh = f"port {race.value}", f"port is now {new}", f"port {new}"
    note = (f"{race.who} took {what} a moment ago, after this step gave it to you: what "
            f"uses it is not yours, leave it be. Your {yours}.")
    stuck = [item["name"] for item in (made.items if made else ())
             if item.get("kind") == "container" and item.get("name")
             and made is not None and item["name"] not in made.running]
    if stuck:
        note += (f" Docker made your container `{stuck[0]}` but could not start it: remove "
                 f"it with `docker rm {stuck[0]}`, then type")
    else:
        note += " Type instead"
    instead = substituted(argv, race, new)
    if instead is None:
        return f"{note} your command with {fresh}."
    return f"{note}: `{instead}`"


PUBLISHED = re.compile(r"(?P<pre>(?:--publish=|-p)?(?:[\d.]+:)?)(?P<host>\d+)"
                       r"(?P<post>:\d+(?:-\d+)?(?:/\w+)?)")


def substituted(argv: list[str], race: LostRace, new: str) -> str | None:
    """The learner's command with ``new`` in place of the value they lost; None when the
    value is not in it."""
    words = []
    for word in argv:
        if race.form == "free_name":
            if word in (race.value, f"--name={race.value}"):
                word = word.replace(race.value, new)
        elif (published := PUBLISHED.fullmatch(word)) and published["host"] == race.value:
            word = published["pre"] + new + published["post"]
        words.append(word)
    return shlex.join(words) if words != argv else None
