"""What the learner's own commands created in a lesson, kept in the lesson record for
its cleanup step and for deciding which removals need a question."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tutor.practice.protocol import describe_created

if TYPE_CHECKING:
    import docker

    from tutor.practice.place import LessonPlace


class CreatedTracker:
    def __init__(self, place: LessonPlace) -> None:
        self.place = place

    @property
    def items(self) -> list[dict[str, str]]:
        return self.place.record.created

    # -- when the engine went away while a command ran --------------------------------------

    def mark_pending(self, since: float, images: dict[str, str | None]) -> None:
        """The command ran but what it made could not be looked at: note when, and the
        image names it gave with what they named before, to look later."""
        refs = "|".join(f"{ref}={old or ''}" for ref, old in images.items())
        self.items.append({"kind": "pending", "since": f"{since:.3f}", "refs": refs})

    def resume(self, api: Any, learner: str) -> None:
        """Find what pending commands made, now that the engine answers again: containers
        by the learner's label (created since), image names by looking them up."""
        from tutor.practice.recording import image_id, learner_filter

        pending = [item for item in self.items if item.get("kind") == "pending"]
        if not pending:
            return
        since = min(float(item["since"]) for item in pending) - 1
        found: list[dict[str, str]] = []
        for container in api.containers(all=True, filters=learner_filter(learner)):
            if float(container.get("Created") or 0) >= since:
                name = (container.get("Names") or ["/" + container["Id"][:12]])[0].lstrip("/")
                found.append({"kind": "container", "id": container["Id"], "name": name})
        for item in pending:
            for pair in filter(None, item.get("refs", "").split("|")):
                ref, _, old = pair.partition("=")
                new = image_id(api, ref)
                if new is not None and new != old:
                    found.append({"kind": "image", "ref": ref, "id": new,
                                  **({"replaced": old} if old else {})})
        self.items[:] = [item for item in self.items if item.get("kind") != "pending"]
        self.remember(found)

    def remember(self, items: list[dict[str, str]]) -> None:
        known = {_key(i) for i in self.items}
        for item in items:
            if _key(item) not in known:
                self.items.append(item)
                known.add(_key(item))

    def made_container(self, container_id: str) -> bool:
        """True for a container the learner's own commands made in this lesson."""
        return any(item.get("kind") == "container" and item.get("id") == container_id
                   for item in self.items)

    def made_image(self, ref: str) -> bool:
        """True for an image name the learner's own commands created in this lesson
        (not one they moved: that name was theirs before)."""
        wanted = ref if ":" in ref.rsplit("/", 1)[-1] else f"{ref}:latest"
        return any(item.get("kind") == "image" and item.get("ref") == wanted
                   and not item.get("replaced") for item in self.items)

    def made_volume(self, name: str) -> bool:
        return any(item.get("kind") == "volume" and item.get("name") == name
                   for item in self.items)

    def made_network(self, name_or_id: str) -> bool:
        return any(item.get("kind") == "network" and name_or_id in (
            item.get("name"), item.get("id")) for item in self.items)

    def still_there(self, api: docker.APIClient) -> list[dict[str, str]]:
        """What the learner's commands made in this lesson and is still there, and the
        Compose projects they started in its workspace."""
        import docker.errors  # the SDK loads after the first prompt, when practice starts

        from tutor.practice.compose_projects import projects_in

        present = projects_in(api, self.place.workspace)
        for item in self.items:
            try:
                if item["kind"] == "container":
                    api.inspect_container(item["id"])
                elif item["kind"] == "image":
                    api.inspect_image(item["ref"])
                elif item["kind"] == "volume":
                    api.inspect_volume(item["name"])
                elif item["kind"] == "network":
                    api.inspect_network(item["id"])
                else:
                    continue  # pending: looked at when the engine answers again
            except docker.errors.NotFound:
                continue
            present.append(item)
        return present

    def remove(self, api: docker.APIClient, items: list[dict[str, str]],
               warn: Callable[[str], None]) -> list[str]:
        """Remove the given resources, containers first (volumes, networks and images may
        be in use by them); returns what was removed."""
        import docker.errors

        removed = []
        ordered = sorted(items, key=lambda item: REMOVAL_ORDER.get(item["kind"], 9))
        for item in ordered:
            try:
                if item["kind"] == "container":
                    api.remove_container(item["id"], force=True, v=True)
                elif item["kind"] == "compose":
                    from tutor.practice.compose_projects import remove_project

                    remove_project(api, item["name"], self.place.workspace)
                elif item["kind"] == "volume":
                    api.remove_volume(item["name"])
                elif item["kind"] == "network":
                    api.remove_network(item["id"])
                else:
                    api.remove_image(item["ref"])
            except docker.errors.NotFound:
                pass
            except docker.errors.APIError as error:
                warn(f"Could not remove {describe_created(item)}: {error.explanation or error}")
                continue
            removed.append(describe_created(item))
        self.items[:] = [i for i in self.items if i not in ordered]
        return removed


REMOVAL_ORDER = {"compose": 0, "container": 0, "network": 1, "volume": 2, "image": 3}


def _key(item: dict[str, str]) -> tuple[str | None, str | None]:
    """Containers and networks by ID; image names and volumes by name (two names of one
    image are two records)."""
    if item.get("kind") == "image":
        return ("image", item.get("ref"))
    if item.get("kind") == "volume":
        return ("volume", item.get("name"))
    return (item.get("kind"), item.get("id") or item.get("ref"))
