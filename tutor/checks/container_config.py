"""Fields of `container` about how it was started and how it has fared since:
``restart_policy``, ``restarts`` (the engine's restart count), ``cmd`` and
``entrypoint``. Kept apart from containers.py, which matches names, states and ports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.checks.base import CheckValueError, to_int
from tutor.checks.images import json_list
from tutor.course.placeholders import has_placeholder, render_value

RESTART_POLICIES = ("no", "on-failure", "always", "unless-stopped")


@dataclass(frozen=True)
class ConfigSpec:
    """What is expected; any field may still hold placeholders."""

    restart_policy: str | None = None  # "on-failure", "on-failure:3", "always", ...
    restarts: int | str | None = None  # at least this many restarts
    cmd: tuple[str, ...] | None = None
    entrypoint: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return self == ConfigSpec()

    def rendered(self, values: Any) -> ConfigSpec:
        restarts = (None if self.restarts is None
                    else to_int(render_value(self.restarts, values), "restarts"))
        policy = render_value(self.restart_policy, values)
        if policy is not None and restart_policy_problem(policy):
            raise CheckValueError(f"restart_policy: {restart_policy_problem(policy)}")
        return ConfigSpec(policy, restarts, render_value(self.cmd, values),
                          render_value(self.entrypoint, values))

    def words(self) -> list[str]:
        """The expectation in words, for "no container matches (...)"."""
        parts = []
        if self.restart_policy is not None:
            parts.append(f"with restart policy {self.restart_policy}")
        if self.restarts is not None:
            parts.append(f"restarted at least {_times(self.restarts)}")
        if self.cmd is not None:
            parts.append(f"with command {json_list(self.cmd)}")
        if self.entrypoint is not None:
            parts.append(f"with entrypoint {json_list(self.entrypoint)}")
        return parts


def _times(count: Any) -> str:
    return "once" if str(count) == "1" else f"{count} times"


def restart_policy_problem(text: str) -> str | None:
    """Why ``text`` is not a restart policy as ``docker run --restart`` takes it, or None."""
    name, colon, retries = text.strip().partition(":")
    if name not in RESTART_POLICIES:
        return f"'{text}' is not a restart policy; use one of {', '.join(RESTART_POLICIES)}"
    if colon and (name != "on-failure" or not retries.isdigit()):
        return (f"'{text}': only on-failure takes a count of retries, such as on-failure:3")
    return None


def describe_policy(host_config: dict) -> str:
    policy = host_config.get("RestartPolicy") or {}
    name = policy.get("Name") or "no"
    retries = policy.get("MaximumRetryCount") or 0
    return f"{name}:{retries}" if name == "on-failure" and retries else name


def config_phrases(spec: ConfigSpec, details: dict) -> list[str]:
    """Mismatches between the rendered ``spec`` and an inspected container."""
    config = details.get("Config") or {}
    host_config = details.get("HostConfig") or {}
    phrases: list[str] = []
    policy_phrases = ([] if spec.restart_policy is None
                      else _policy_phrases(spec.restart_policy, host_config))
    phrases.extend(policy_phrases)
    if spec.restarts is not None:
        count = int(details.get("RestartCount") or 0)
        if count < int(spec.restarts):
            # Why it did not restart is said once: by the policy's phrase when there is one.
            phrases.append(_restarts_phrase(count, int(spec.restarts), details,
                                            explain=not policy_phrases))
    for what, wanted, actual in (("command", spec.cmd, config.get("Cmd")),
                                 ("entrypoint", spec.entrypoint, config.get("Entrypoint"))):
        if wanted is None:
            continue
        actual_words = list(actual or [])
        if actual_words != list(wanted):
            found = json_list(actual_words) if actual_words else "none"
            phrases.append(f"has {what} {found}; expected {json_list(wanted)}")
    return phrases


def _policy_phrases(wanted: str, host_config: dict) -> list[str]:
    actual = describe_policy(host_config)
    wanted_name, _, wanted_retries = wanted.partition(":")
    actual_name, _, actual_retries = actual.partition(":")
    if actual_name != wanted_name:
        why = " (it is never restarted)" if actual_name == "no" else ""
        return [f"has restart policy {actual}{why}; expected {wanted}"]
    if wanted_retries and wanted_retries != (actual_retries or "0"):
        limit = f"at most {actual_retries} retries" if actual_retries else "unlimited retries"
        return [f"has restart policy {actual} ({limit}); expected {wanted}"]
    return []


def _restarts_phrase(count: int, wanted: int, details: dict, explain: bool = True) -> str:
    state = details.get("State") or {}
    policy = describe_policy(details.get("HostConfig") or {})
    text = f"has restarted {_times(count)}; expected at least {_times(wanted)}"
    if not explain:
        return text
    if policy == "no":
        return text + " (its restart policy is no, so the engine never restarts it)"
    if policy.startswith("on-failure") and state.get("Status") == "exited" \
            and state.get("ExitCode") == 0:
        return text + " (it exited with code 0, and on-failure restarts only after a failure)"
    return text


def parse_config_fields(fields: Any) -> ConfigSpec | None:
    """Read the fields from a `container` check's CheckFields; None when one is wrong."""
    before = len(fields.problems)
    policy = fields.template_text("restart_policy", required=False)
    if policy is not None and not has_placeholder(policy):
        problem = restart_policy_problem(policy)
        if problem:
            fields.field_problem("restart_policy", problem)
    restarts = fields.template_int("restarts", required=False, minimum=1, maximum=1000)
    cmd = fields.word_list("cmd", required=False, example='[echo, hello]')
    entrypoint = fields.word_list("entrypoint", required=False, example='[echo]')
    if len(fields.problems) != before:
        return None
    return ConfigSpec(policy.strip() if policy else None, restarts, cmd, entrypoint)
