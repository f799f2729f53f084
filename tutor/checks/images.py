"""`image`: an image with exactly that reference exists (or not), with that config."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tutor.checks.base import Check, CheckContext, CheckResult, join_phrases, quote
from tutor.checks.queries import inspect_image, list_images
from tutor.checks.reading import ParseContext
from tutor.checks.refs import (
    familiar,
    is_image_id,
    local_name,
    normalize,
    parse_ref,
    reference_problem,
    short_id,
)
from tutor.course.placeholders import has_placeholder, render_value


def json_list(words: Any) -> str:
    return json.dumps(list(words or []))


def port_key(port: Any) -> str:
    """``80`` -> ``80/tcp``; ``53/udp`` stays."""
    text = str(port).strip()
    return text if "/" in text else f"{text}/tcp"


@dataclass(frozen=True, kw_only=True)
class ImageCheck(Check):
    kind = "image"
    ref: str
    absent: bool = False
    cmd: tuple[str, ...] | None = None
    entrypoint: tuple[str, ...] | None = None
    exposed_ports: tuple[str, ...] | None = None
    workdir: str | None = None
    env: tuple[tuple[str, str], ...] | None = None
    labels: tuple[tuple[str, str], ...] | None = None
    digest_from: str | None = None

    def image_refs(self) -> set[str]:
        return set() if has_placeholder(self.ref) else {self.ref}

    def check(self, ctx: CheckContext) -> CheckResult:
        ref = render_value(self.ref, ctx.values)
        shown = quote(ref)
        image = find_image(ctx.api, ref)
        if self.absent:
            if image is None:
                return CheckResult.ok()
            return CheckResult.fail(f"image {shown} still exists (ID {short_id(image['Id'])}); "
                                    f"expected it to be removed")
        if image is None:
            return CheckResult.fail(f"image {shown} does not exist{other_tags(ctx.api, ref)}")
        phrases = self.config_phrases(image, ctx)
        if phrases:
            return CheckResult.fail(join_phrases(f"image {shown}", phrases))
        return CheckResult.ok()

    def config_phrases(self, image: dict, ctx: CheckContext) -> list[str]:
        config = image.get("Config") or {}
        phrases: list[str] = []
        values = ctx.values
        for what, wanted, actual in (("CMD", self.cmd, config.get("Cmd")),
                                     ("ENTRYPOINT", self.entrypoint, config.get("Entrypoint"))):
            if wanted is None:
                continue
            wanted_words = list(render_value(wanted, values))
            actual = list(actual or [])
            if actual == wanted_words:
                continue
            if not actual:
                phrases.append(f"has no {what}; expected {json_list(wanted_words)}")
                continue
            phrase = f"runs {json_list(actual)} via {what}"
            if actual[:2] == ["/bin/sh", "-c"]:
                phrase += f" (shell form; the JSON form {what} {json_list(wanted_words)} runs it directly)"
            phrases.append(f"{phrase}; expected {json_list(wanted_words)}")
        if self.exposed_ports is not None:
            exposed = set(config.get("ExposedPorts") or {})
            wanted_ports = [port_key(p) for p in render_value(self.exposed_ports, values)]
            missing = [p for p in wanted_ports if p not in exposed]
            if missing:
                found = ", ".join(sorted(exposed)) if exposed else "nothing"
                phrases.append(f"exposes {found}; expected {', '.join(wanted_ports)}")
        if self.workdir is not None:
            wanted_dir = render_value(self.workdir, values)
            actual_dir = config.get("WorkingDir") or ""
            if actual_dir.rstrip("/") != wanted_dir.rstrip("/"):
                found = actual_dir or "no WORKDIR (so /)"
                phrases.append(f"has WORKDIR {found}; expected {wanted_dir}"
                               if actual_dir else f"has {found}; expected WORKDIR {wanted_dir}")
        if self.env is not None:
            actual_env = env_dict(config.get("Env"))
            phrases.extend(subset_phrases("ENV", render_value(self.env, values), actual_env))
        if self.labels is not None:
            phrases.extend(subset_phrases("LABEL", render_value(self.labels, values),
                                          config.get("Labels") or {}))
        if self.digest_from is not None:
            missing_digest = digest_phrase(render_value(self.digest_from, values),
                                           image.get("RepoDigests") or [])
            if missing_digest:
                phrases.append(missing_digest)
        return phrases


def find_image(api: Any, ref: str) -> dict | None:
    """The image with exactly this reference (``busybox`` means ``busybox:latest``)."""
    image = inspect_image(api, ref)
    if image is None or is_image_id(ref) or "@" in ref:
        return image
    # The engine resolves IDs and ID prefixes too; a tag must really be one of its tags.
    wanted = normalize(ref)
    tags = {normalize(tag) for tag in image.get("RepoTags") or []}
    if wanted in tags:
        return image
    # Podman names an image built with `podman build -t hello:1` localhost/hello:1 and
    # resolves the short name hello:1 to it: that is the image the learner meant. (Docker
    # never resolves hello:1 to an image named only localhost/hello:1.)
    local = local_name(ref)
    return image if local is not None and local in tags else None


def other_tags(api: Any, ref: str) -> str:
    """`` (myapp has tags: latest)`` or `` (no image named myapp is present)``."""
    if is_image_id(ref):
        return ""
    wanted = parse_ref(ref)
    tags = set()
    for image in list_images(api):
        for tag in image.get("RepoTags") or []:
            if tag == "<none>:<none>":
                continue
            parsed = parse_ref(tag)
            if parsed.repository == wanted.repository and parsed.tag:
                tags.add(parsed.tag)
    name = wanted.familiar_repository
    if not tags:
        return f" (no image named {name} is present)"
    return f" ({name} has tags: {', '.join(sorted(tags))})"


def env_dict(env: Any) -> dict[str, str]:
    result = {}
    for entry in env or []:
        key, _, value = str(entry).partition("=")
        result[key] = value
    return result


def subset_phrases(what: str, wanted: Any, actual: dict[str, str]) -> list[str]:
    """Mismatch phrases for a wanted subset of ENV / LABEL pairs."""
    phrases = []
    noun = {"ENV": "ENV", "LABEL": "LABEL", "env": "environment variable",
            "label": "label"}[what]
    for key, value in wanted:
        if key not in actual:
            phrases.append(f"has no {noun} {key}; expected {key}={value}")
        elif actual[key] != value:
            phrases.append(f"has {noun} {key}={actual[key]}; expected {key}={value}")
    return phrases


def digest_phrase(registry_ref: str, repo_digests: list[str]) -> str | None:
    """None when the image's RepoDigests hold a digest from that registry repository."""
    wanted = parse_ref(registry_ref)
    matching = [d for d in repo_digests if parse_ref(d).repository == wanted.repository]
    if wanted.digest:
        if any(parse_ref(d).digest == wanted.digest for d in matching):
            return None
    elif matching:
        return None
    found = ", ".join(familiar(d) for d in repo_digests) if repo_digests else "none"
    where = familiar(wanted.repository)
    if wanted.digest:
        return f"has no digest {wanted.digest} from {where}; its digests: {found}"
    return (f"has no digest from {where} (it was not pushed there or pulled from there); "
            f"its digests: {found}")


def parse_image(value: Any, pc: ParseContext) -> ImageCheck | None:
    if isinstance(value, str):  # shorthand: image: busybox
        if not pc.check_placeholders(value, pc.where, pc.line):
            return None
        if not value.strip():
            pc.problem("must name an image reference")
            return None
        problem = None if has_placeholder(value) else reference_problem(value.strip())
        if problem:
            pc.problem(problem)
            return None
        return ImageCheck(ref=value.strip())
    fields = pc.fields(value)
    if not fields.ok:
        return None
    ref = fields.image_ref("ref")
    absent = fields.flag("absent")
    cmd = fields.word_list("cmd", required=False, example='["python", "app.py"]')
    entrypoint = fields.word_list("entrypoint", required=False, example='["python"]')
    exposed = fields.text_items("exposed_ports", required=False)
    workdir = fields.template_text("workdir", required=False)
    env = fields.string_map("env")
    labels = fields.string_map("labels")
    digest_from = fields.image_ref("digest_from", required=False)
    if absent:
        for name in ("cmd", "entrypoint", "exposed_ports", "workdir", "env", "labels",
                     "digest_from"):
            if fields.has(name):
                fields.field_problem(name, "cannot be checked on an image that must be absent")
    fields.finish()
    if ref is None:
        return None
    return ImageCheck(ref=ref, absent=absent, cmd=cmd, entrypoint=entrypoint,
                      exposed_ports=exposed, workdir=workdir, env=env, labels=labels,
                      digest_from=digest_from)
