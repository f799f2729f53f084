"""Which removals need a yes first: anything the tutor did not set up for this step
and the learner did not make in this lesson."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.practice.fixtures import FIXTURE_LABEL, is_fixture_image

if TYPE_CHECKING:
    import docker

    from tutor.dockercli import Destruction
    from tutor.practice.created import CreatedTracker


def confirmation_question(api: docker.APIClient, destruction: Destruction,
                          created: CreatedTracker) -> str | None:
    """A question when the command could touch resources the tutor did not create."""
    if destruction.prune or not destruction.targets:
        return (f"This will {destruction.description}, which can include your own "
                "resources outside this lesson. Run it?")
    import docker.errors  # the SDK loads after the first prompt, when practice starts

    own: list[str] = []
    for target in destruction.targets:
        try:
            if destruction.kind == "containers":
                labels = api.inspect_container(target)["Config"].get("Labels") or {}
                fixture = FIXTURE_LABEL in labels
            elif destruction.kind == "images":
                image = api.inspect_image(target)
                image.setdefault("RepoTags", image.get("RepoTags") or [])
                fixture = is_fixture_image(image, target)
            else:
                fixture = False
        except docker.errors.NotFound:  # missing: docker will say so itself
            continue
        if not fixture and not created.made(destruction.kind, target):
            own.append(target)
    if not own:
        return None
    return (f"This will {destruction.description}. {', '.join(own)} "
            f"{'was' if len(own) == 1 else 'were'} not created by the tutor for this step. "
            "Run it?")
