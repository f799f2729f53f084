"""The few engine calls checks make, with engine failures turned into our own errors.

"No such thing" (HTTP 404) is an answer and becomes :class:`Missing`; the helpers
that expect it return None instead. Any other API error, or a broken connection,
means the engine cannot be asked and becomes :class:`EngineUnavailable`.

The docker SDK is never imported here at module level: lesson files are parsed
(and these modules loaded) before the first prompt, when the SDK is not needed
yet. An exception of the SDK's can only exist once the SDK is loaded.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from tutor.checks.base import EngineUnavailable, Missing, name_list, quote

T = TypeVar("T")


def call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call the engine; a 404 becomes Missing, every other failure EngineUnavailable."""
    try:
        return function(*args, **kwargs)
    except Exception as error:
        translated = translate(error)
        if translated is error:
            raise
        raise translated from error


def translate(error: BaseException) -> BaseException:
    """Missing or EngineUnavailable for an error of the SDK, the HTTP stack or the socket;
    anything else (a bug) as it is."""
    errors = sys.modules.get("docker.errors")
    requests_errors = sys.modules.get("requests.exceptions")
    if errors is not None and isinstance(error, errors.NotFound):
        return Missing(str(error))
    if errors is not None and isinstance(error, errors.APIError):
        explanation = error.explanation or str(error)
        return EngineUnavailable(f"the Docker engine answered with an error: {explanation}",
                                 status=error.status_code)
    if requests_errors is not None and isinstance(error, requests_errors.ConnectionError):
        return EngineUnavailable("the Docker engine is not reachable (connection failed)")
    engine_errors: tuple[type[BaseException], ...] = (OSError,)
    if errors is not None:
        engine_errors += (errors.DockerException,)
    if requests_errors is not None:
        engine_errors += (requests_errors.RequestException,)
    if isinstance(error, engine_errors):
        return EngineUnavailable(f"the Docker engine could not be asked: {error}")
    return error


# Podman's Docker-compatible API names itself in /version's Components (as
# tutor.engine.product reads it for doctor). Asked once per client.
PODMAN_COMPONENT = "Podman Engine"
_podman_clients: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()


def is_podman(api: Any) -> bool:
    """Whether the engine behind ``api`` is Podman (its Docker-compatible API)."""
    try:
        return _podman_clients[api]
    except (KeyError, TypeError):
        pass
    version = call(api.version)
    components = version.get("Components") if isinstance(version, dict) else None
    podman = any(isinstance(c, dict) and c.get("Name") == PODMAN_COMPONENT
                 for c in components or ())
    try:
        _podman_clients[api] = podman
    except TypeError:  # a stand-in client that cannot be weakly referenced
        pass
    return podman


def list_containers(api: Any) -> list[dict]:
    return list(call(api.containers, all=True) or [])


def inspect_container(api: Any, container_id: str) -> dict | None:
    try:
        return call(api.inspect_container, container_id)
    except Missing:
        return None  # removed between listing and inspecting


def inspect_image(api: Any, ref: str) -> dict | None:
    try:
        return call(api.inspect_image, ref)
    except Missing:
        return None
    except EngineUnavailable as error:
        # An invalid reference ("Busybox", "a b") is a 400: the image cannot exist.
        if error.status == 400:
            return None
        raise


def list_images(api: Any) -> list[dict]:
    return list(call(api.images) or [])


# -- container names ------------------------------------------------------------------


def container_name(summary_or_inspect: dict) -> str:
    """The container's own name without the leading "/" (links add "/other/alias" names)."""
    # Inspect data has "Name"; Podman's summaries have it too, empty.
    if isinstance(summary_or_inspect.get("Name"), str) and summary_or_inspect["Name"]:
        return summary_or_inspect["Name"].lstrip("/")
    names = summary_or_inspect.get("Names") or []
    own = [n for n in names if n.count("/") == 1] or names
    return own[0].lstrip("/") if own else summary_or_inspect.get("Id", "?")[:12]


def find_named(summaries: list[dict], name: str) -> dict | None:
    """The container whose name is exactly ``name`` (the engine's name filter is a regex)."""
    wanted = "/" + name.lstrip("/")
    for summary in summaries:
        if wanted in (summary.get("Names") or []):
            return summary
    return None


def missing_container(name: str, summaries: list[dict]) -> str:
    names = [container_name(s) for s in summaries]
    if not names:
        return f"no container named {quote(name)} exists (there are no containers)"
    return f"no container named {quote(name)} exists (containers: {name_list(names)})"


def inspect_named(api: Any, name: str) -> dict | None:
    """The inspect data of the container named exactly ``name``, or None: one call that
    the engine answers from its index of names, however many containers there are. The
    engine also takes an ID prefix for a name ("cafe"), so the name is confirmed."""
    details = inspect_container(api, name.lstrip("/"))
    if details is None or (details.get("Name") or "").lstrip("/") != name.lstrip("/"):
        return None
    return details


def find_container(api: Any, name: str,
                   learner_label: tuple[str, str] | None = None) -> tuple[dict | None, str]:
    """(inspect data, "") for the container named ``name``, or (None, why not)."""
    details = inspect_named(api, name)
    if details is None:
        # Only a failure lists the containers, to say which ones there are.
        return None, missing_container(name, not_others(list_containers(api), learner_label))
    return details, ""


def not_others(summaries: list[dict], learner_label: tuple[str, str] | None) -> list[dict]:
    """The containers that are not another learner's (``CheckContext.learner_label``)."""
    if learner_label is None:
        return summaries
    key, value = learner_label
    return [s for s in summaries if (s.get("Labels") or {}).get(key, value) == value]
