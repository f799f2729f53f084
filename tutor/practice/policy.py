"""Which removals need a yes first: anything the tutor did not set up in this session
and the learner did not make in this lesson."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tutor.checks.refs import is_image_id, repo_tags
from tutor.practice.fixtures import FIXTURE_LABEL, fixture_tags, is_fixture_image
from tutor.practice.labels import LEARNER_LABEL, SESSION_LABEL

if TYPE_CHECKING:
    import docker

    from tutor.dockercli import Destruction
    from tutor.practice.created import CreatedTracker


def confirmation_question(api: docker.APIClient, destruction: Destruction,
                          created: CreatedTracker, owner: Mapping[str, str]) -> str | None:
    """A question when the command could touch resources the tutor did not create for
    this learner: anything but this session's fixtures and what the learner's commands
    made in this lesson. Names, IDs and ID prefixes are resolved first."""
    if destruction.prune or not destruction.targets:
        return (f"This will {destruction.description}, which can include your own "
                "resources outside this lesson. Run it?")
    import docker.errors  # the SDK loads after the first prompt, when practice starts

    session = owner.get(SESSION_LABEL)
    own: list[str] = []
    others: list[str] = []  # made through another learner's tutor on this engine
    for target in destruction.targets:
        try:
            if destruction.kind == "containers":
                details = api.inspect_container(target)
                labels = (details.get("Config") or {}).get("Labels") or {}
                tutors = (FIXTURE_LABEL in labels and labels.get(SESSION_LABEL) == session) \
                    or created.made_container(details["Id"])
                learner = labels.get(LEARNER_LABEL)
                if not tutors and learner and learner != owner.get(LEARNER_LABEL):
                    others.append(target)
                    continue
            elif destruction.kind == "images":
                image = api.inspect_image(target)
                tutors = _tutors_image(image, target, session, created)
            elif destruction.kind in ("volumes", "networks"):
                # This session's fixtures, and what the learner's commands made in this
                # lesson; any other may hold data the learner wants.
                inspect = api.inspect_volume if destruction.kind == "volumes" else (
                    api.inspect_network)
                labels = inspect(target).get("Labels") or {}
                made = created.made_volume(target) if destruction.kind == "volumes" else (
                    created.made_network(target))
                tutors = made or (FIXTURE_LABEL in labels and labels.get(SESSION_LABEL) == session)
                learner = labels.get(LEARNER_LABEL)
                if not tutors and learner and learner != owner.get(LEARNER_LABEL):
                    others.append(target)
                    continue
            else:
                tutors = False
        except docker.errors.NotFound:  # missing: docker will say so itself
            continue
        if not tutors:
            own.append(target)
    if not own and not others:
        return None
    said = []
    if others:
        said.append(f"{', '.join(others)} {'belongs' if len(others) == 1 else 'belong'} to "
                    "another learner on this shared engine: removing "
                    f"{'it' if len(others) == 1 else 'them'} breaks their lesson.")
    if own:
        said.append(f"{', '.join(own)} {'was' if len(own) == 1 else 'were'} not created by "
                    "the tutor for this step.")
    return f"This will {destruction.description}. {' '.join(said)} Run it?"


def _tutors_image(image: dict, target: str, session: str | None,
                  created: CreatedTracker) -> bool:
    """Whether removing ``target`` only removes names the tutor or this lesson made."""
    labels = image.get("Labels") or (image.get("Config") or {}).get("Labels") or {}
    ours = labels.get(SESSION_LABEL) == session
    tags = repo_tags(image)
    if is_image_id(target):  # by ID: every name it has goes
        return bool(tags) and all(
            (ours and tag in fixture_tags(image)) or created.made_image(tag) for tag in tags)
    image.setdefault("RepoTags", tags)
    return (ours and is_fixture_image(image, target)) or created.made_image(target)
