"""The few engine calls checks make, with engine failures turned into EngineUnavailable.

``docker.errors.NotFound`` is an answer ("no such thing"), so the helpers that
expect it return None instead; any other API error, or a broken connection,
means the engine cannot be asked and becomes ``EngineUnavailable``.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

import docker.errors
import requests.exceptions

from tutor.checks.base import EngineUnavailable

T = TypeVar("T")

ENGINE_ERRORS = (docker.errors.DockerException, requests.exceptions.RequestException, OSError)


def call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call the engine; NotFound passes through, every other failure is EngineUnavailable."""
    try:
        return function(*args, **kwargs)
    except docker.errors.NotFound:
        raise
    except ENGINE_ERRORS as error:
        raise EngineUnavailable(describe_error(error)) from error


def describe_error(error: BaseException) -> str:
    if isinstance(error, docker.errors.APIError):
        explanation = error.explanation or str(error)
        return f"the Docker engine answered with an error: {explanation}"
    if isinstance(error, requests.exceptions.ConnectionError):
        return "the Docker engine is not reachable (connection failed)"
    return f"the Docker engine could not be asked: {error}"


def list_containers(api: Any) -> list[dict]:
    return list(call(api.containers, all=True) or [])


def inspect_container(api: Any, container_id: str) -> dict | None:
    try:
        return call(api.inspect_container, container_id)
    except docker.errors.NotFound:
        return None  # removed between listing and inspecting


def inspect_image(api: Any, ref: str) -> dict | None:
    try:
        return call(api.inspect_image, ref)
    except docker.errors.NotFound:
        return None
    except EngineUnavailable as error:
        # An invalid reference ("Busybox", "a b") is a 400: the image cannot exist.
        cause = error.__cause__
        if isinstance(cause, docker.errors.APIError) and cause.status_code == 400:
            return None
        raise


def list_images(api: Any) -> list[dict]:
    return list(call(api.images) or [])


# -- container names ------------------------------------------------------------------


def container_name(summary_or_inspect: dict) -> str:
    """The container's own name without the leading "/" (links add "/other/alias" names)."""
    if "Name" in summary_or_inspect and isinstance(summary_or_inspect["Name"], str):
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
    from tutor.checks.base import name_list, quote  # noqa: PLC0415

    names = [container_name(s) for s in summaries]
    if not names:
        return f"no container named {quote(name)} exists (there are no containers)"
    return f"no container named {quote(name)} exists (containers: {name_list(names)})"


def find_container(api: Any, name: str) -> tuple[dict | None, str]:
    """(inspect data, "") for the container named ``name``, or (None, why not)."""
    summaries = list_containers(api)
    summary = find_named(summaries, name)
    if summary is None:
        return None, missing_container(name, summaries)
    details = inspect_container(api, summary["Id"])
    if details is None:
        return None, missing_container(name, [s for s in summaries if s is not summary])
    return details, ""
