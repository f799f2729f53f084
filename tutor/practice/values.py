"""A practice step's template values: {{ workspace }}, the lesson's vars and the step's
own, chosen once (around what exists on the engine) and kept in the lesson record."""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING

from tutor.course.practice_spec import BUILTIN_WORKSPACE
from tutor.practice.reservations import Claim
from tutor.practice.variables import choose_values, image_exists, port_is_free

if TYPE_CHECKING:
    import docker

    from tutor.course.lesson import Step
    from tutor.course.practice_spec import VarSpec
    from tutor.practice.place import LessonPlace
    from tutor.practice.reservations import Ledger


def step_key(step: Step, name: str) -> str:
    """Where a step's own var is kept in the lesson record."""
    return f"{step.id}.{name}"


def recorded_values(place: LessonPlace, step: Step | None) -> dict[str, str]:
    """The workspace, then the lesson's and the step's vars as recorded (or defaults)."""
    values = {BUILTIN_WORKSPACE: str(place.workspace)}
    for spec in (place.lesson.variables if place.lesson else ()):
        values.update(spec.values(place.record.values.get(spec.name, spec.default)))
    if step is not None:
        for spec in step.own_vars():
            values.update(spec.values(place.record.values.get(step_key(step, spec.name),
                                                              spec.default)))
    return values


# How much of the learner id makes their names their own on a shared engine.
PERSONAL_SUFFIX_LENGTH = 4


def choose_missing(api: docker.APIClient, place: LessonPlace, step: Step,
                   learner: str | None = None, shared: bool | None = None,
                   ledger: Ledger | None = None) -> None:
    """Choose the vars not chosen yet and record them: the lesson's once per lesson (later
    steps reuse the same port), the step's as "step.var" (a restart asks for the same
    name and port as before, not "web-2"). A recorded name or port that someone else
    has taken meanwhile (a shared engine) is chosen anew.

    With a ``ledger`` (tutor.practice.reservations) the choice is made under its lock,
    around what other learners' sessions on this machine reserved, and this step's
    values are reserved in turn: ten learners entering a step in the same second are
    given ten names.

    On a shared engine (``shared``, or None and another learner's containers are running
    or just created, or their sessions reserved names) names start from the learner's own
    suffix: two learners entering a step at the same moment would otherwise both be
    given the first free ``web``."""
    with ledger.choosing() if ledger is not None else nullcontext(Claim()) as claim:
        _choose_missing(api, place, step, learner, shared, claim)
        lesson_id = place.lesson.id if place.lesson else ""
        for spec, key in _recorded_keys(place, step):
            if key in place.record.values:
                claim.keep(f"{lesson_id}/{key}", spec.form, place.record.values[key])


def _recorded_keys(place: LessonPlace, step: Step) -> list[tuple[VarSpec, str]]:
    """The lesson's and the step's vars, with where each is kept in the lesson record."""
    lesson_specs = place.lesson.variables if place.lesson else ()
    return [(spec, spec.name) for spec in lesson_specs] + [
        (spec, step_key(step, spec.name)) for spec in step.own_vars()]


def _choose_missing(api: docker.APIClient, place: LessonPlace, step: Step,
                    learner: str | None, shared: bool | None, claim: Claim) -> None:
    record = place.record
    lesson_specs = place.lesson.variables if place.lesson else ()
    if learner is not None:
        for spec, key in _recorded_keys(place, step):
            if key in record.values and (
                    record.values[key] in claim.reserved(spec.form)
                    or taken_by_others(api, spec.form, record.values[key], learner,
                                       record.created)):
                del record.values[key]
    missing = [spec for spec in lesson_specs if spec.name not in record.values]
    own = [spec for spec in step.own_vars() if step_key(step, spec.name) not in record.values]
    if not missing and not own:
        return
    personal = None
    if learner is not None and (shared or (shared is None and (
            claim.others or others_present(api, learner)))):
        personal = personal_suffix(learner)
    if missing:
        record.values.update(choose_values(api, missing, personal, claim.taken))
    if own:
        record.values.update({step_key(step, name): value for name, value in
                              choose_values(api, own, personal, claim.taken).items()})


def choose_again(api: docker.APIClient, place: LessonPlace, step: Step, learner: str,
                 form: str, value: str, ledger: Ledger | None = None) -> bool:
    """Someone else took ``value`` (a ``form`` var of the step) after it was handed out:
    forget it and choose the var anew, from the learner's own suffix (the engine is
    shared, plainly). False when no var of the step has that value."""
    keys = [key for spec, key in _recorded_keys(place, step)
            if spec.form == form and place.record.values.get(key) == value]
    if not keys:
        return False
    for key in keys:
        del place.record.values[key]
    choose_missing(api, place, step, learner, True, ledger)
    return True


def personal_suffix(learner: str) -> str:
    """Four hex digits of the learner's own: the start of their id (so a teacher can tell
    whose ``web-3f2a`` it is), or of its hash when the id is not hex (a --profile name)."""
    start = learner[:PERSONAL_SUFFIX_LENGTH].lower()
    if len(start) == PERSONAL_SUFFIX_LENGTH and all(c in "0123456789abcdef" for c in start):
        return start
    import hashlib

    return hashlib.sha256(learner.encode()).hexdigest()[:PERSONAL_SUFFIX_LENGTH]


# Another learner's container created this recently and not started yet is their
# `docker run` between create and start: they practise now. (Older ones were left.)
JUST_CREATED_SECONDS = 60


def others_present(api: docker.APIClient, learner: str) -> bool:
    """Whether another learner's containers (made through the tutor) run on this engine,
    or are about to: one just created holds its name, but publishes no port yet."""
    import time

    from tutor.practice.labels import LEARNER_LABEL

    listed = api.containers(all=True, filters={"label": LEARNER_LABEL}) or []
    now = time.time()

    def present(container: dict) -> bool:
        state = container.get("State")
        return state in ("running", "restarting") or (
            state == "created" and now - (container.get("Created") or 0) <= JUST_CREATED_SECONDS)

    return any(present(c) and (c.get("Labels") or {}).get(LEARNER_LABEL) != learner
               for c in listed)


def taken_by_others(api: docker.APIClient, form: str, value: str, learner: str,
                    created: list[dict[str, str]] | None = None) -> bool:
    """Whether a free name, port or image name chosen earlier now belongs to someone
    else: a container without this learner's label has the name or publishes the port,
    a program outside docker listens on the port, or an image has the name that the
    learner's commands did not make in this lesson."""
    from tutor.practice.labels import LEARNER_LABEL

    def others(containers: list[dict]) -> bool:
        return any((c.get("Labels") or {}).get(LEARNER_LABEL) != learner for c in containers)

    if form == "free_name":
        named = [c for c in api.containers(all=True, filters={"name": value})
                 if f"/{value}" in (c.get("Names") or ())]
        return others(named)
    if form == "free_image":
        made = any(item.get("kind") == "image" and item.get("ref") == value
                   and not item.get("replaced") for item in created or ())
        return not made and image_exists(api, value)
    if form in ("free_volume", "free_network"):
        # Volumes and networks carry no learner label (`docker volume create` and the volume
        # a `run -v NAME:/data` makes are unlabelled), so one that exists now is most likely
        # the one the learner made in an earlier step: the name is kept.
        return False
    if form == "free_port" and value.isdigit():
        # Not the engine's "publish" filter: Podman's Docker-compatible API refuses it.
        publishing = [c for c in api.containers()
                      if any(str(port.get("PublicPort")) == value for port in c.get("Ports") or ())]
        if publishing:
            return others(publishing)
        return not port_is_free(int(value))
    return False
