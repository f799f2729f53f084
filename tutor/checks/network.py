"""Network checks: `http` (a published port answers) and `registry_tag` (a pushed tag)."""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from tutor.checks.base import (
    POLL_SECONDS,
    Check,
    CheckContext,
    CheckResult,
    excerpt,
    quote,
    to_int,
)
from tutor.checks.queries import inspect_image
from tutor.checks.reading import ParseContext
from tutor.checks.refs import parse_ref
from tutor.course.placeholders import has_placeholder, render_value

HTTP_TIMEOUT = 2.0
# Where a local engine's published ports answer (CheckContext.http_host's usual values).
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
REGISTRY_TIMEOUT = 3.0
REGISTRY_STARTING_SECONDS = 5.0
MAX_BODY = 1 << 20
MANIFEST_TYPES = ", ".join((
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is reported as the answer, never followed (it could leave the machine)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


@dataclass
class Answer:
    status: int | None = None
    body: bytes = b""
    headers: Any = None
    problem: str | None = None  # why there is no answer, in words
    # The port took the connection and dropped it: a proxy (docker-proxy, rootlesskit,
    # Podman's) in front of a program that does not listen yet, or not on that port.
    dropped: bool = False


def fetch(url: str, timeout: float, method: str = "GET",
          headers: dict[str, str] | None = None) -> Answer:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Answer(response.status, response.read(MAX_BODY), response.headers)
    except urllib.error.HTTPError as error:
        try:
            body = error.read(MAX_BODY)
        except Exception:
            body = b""
        return Answer(error.code, body, error.headers)
    except urllib.error.URLError as error:
        return Answer(problem=_describe_network_error(error.reason, timeout),
                      dropped=_dropped(error.reason))
    except (http.client.HTTPException, ConnectionError, TimeoutError, OSError) as error:
        return Answer(problem=_describe_network_error(error, timeout), dropped=_dropped(error))


def _dropped(reason: Any) -> bool:
    return isinstance(reason, (http.client.RemoteDisconnected, ConnectionResetError,
                               http.client.BadStatusLine))


def _describe_network_error(reason: Any, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused: nothing listens there"
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, (http.client.RemoteDisconnected, ConnectionResetError,
                           http.client.BadStatusLine)):
        return ("the port accepts connections but nothing answered HTTP "
                "(is the program in the container listening on the published port?)")
    return str(reason)


@dataclass(frozen=True, kw_only=True)
class HttpCheck(Check):
    kind = "http"
    port: int | str
    path: str = "/"
    status: int | str = 200
    contains: str | None = None

    def check(self, ctx: CheckContext) -> CheckResult:
        port = to_int(render_value(self.port, ctx.values), "port")
        path = render_value(self.path, ctx.values)
        status = to_int(render_value(self.status, ctx.values), "status")
        host = f"[{ctx.http_host}]" if ":" in ctx.http_host else ctx.http_host
        url = f"http://{host}:{port}{path if path.startswith('/') else '/' + path}"
        answer = fetch(url, HTTP_TIMEOUT)
        if answer.status is None:
            elsewhere = "" if ctx.http_host in LOCAL_HOSTS else (
                f"; the engine runs on {ctx.http_host}, so the tutor asked there: a port "
                f"published only on that machine's 127.0.0.1 (-p 127.0.0.1:{port}:...), or "
                "behind a firewall, cannot be reached from this machine")
            return CheckResult.fail(f"GET {url} got no answer ({answer.problem}); "
                                    f"expected HTTP {status}{elsewhere}")
        if answer.status != status:
            return CheckResult.fail(f"GET {url} answered {answer.status}; expected {status}")
        if self.contains is not None:
            wanted = render_value(self.contains, ctx.values)
            text = answer.body.decode("utf-8", errors="replace")
            if wanted not in text:
                found = f"it starts with {quote(excerpt(text, 80))}" if text.strip() else (
                    "the page is empty")
                return CheckResult.fail(f"GET {url} answered {answer.status} but the page does "
                                        f"not contain {quote(wanted)}; {found}")
        return CheckResult.ok()


def parse_http(value: Any, pc: ParseContext) -> HttpCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    port = fields.template_int("port", minimum=1, maximum=65535)
    path = fields.template_text("path", required=False, default="/")
    status = fields.template_int("status", required=False, default=200, minimum=100, maximum=599)
    contains = fields.template_text("contains", required=False)
    fields.finish()
    if len(pc.problems) != before or port is None:
        return None
    return HttpCheck(port=port, path=path or "/", status=status if status is not None else 200,
                     contains=contains)


def short_digest(digest: str) -> str:
    algorithm, _, value = digest.partition(":")
    return f"{algorithm}:{value[:12]}…" if value else digest


@dataclass(frozen=True, kw_only=True)
class RegistryTagCheck(Check):
    kind = "registry_tag"
    registry: str
    repository: str
    tag: str
    digest_of: str | None = None

    def image_refs(self) -> set[str]:
        return {self.digest_of} if self.digest_of and not has_placeholder(self.digest_of) else set()

    def check(self, ctx: CheckContext) -> CheckResult:
        registry = render_value(self.registry, ctx.values)
        repository = render_value(self.repository, ctx.values).strip("/")
        tag = render_value(self.tag, ctx.values)
        base = f"http://{registry}/v2/{repository}"
        answer = fetch(f"{base}/tags/list", REGISTRY_TIMEOUT, headers={"Accept": "application/json"})
        # A registry container that was just started (by a step's setup) may not listen
        # yet behind its published port: give it a moment before saying it is not there.
        deadline = ctx.clock() + REGISTRY_STARTING_SECONDS
        while answer.dropped and ctx.clock() < deadline:
            ctx.sleep(POLL_SECONDS)
            answer = fetch(f"{base}/tags/list", REGISTRY_TIMEOUT,
                           headers={"Accept": "application/json"})
        if answer.status is None:
            return CheckResult.fail(f"cannot reach the registry at {registry} ({answer.problem}); "
                                    f"expected it to list {repository}:{tag}")
        if answer.status == 404:
            return CheckResult.fail(f"registry {registry} has no repository {quote(repository)}; "
                                    f"expected tag {tag} (push {registry}/{repository}:{tag})")
        if answer.status in (401, 403):
            return CheckResult.fail(f"registry {registry} refused to list {repository} "
                                    f"(HTTP {answer.status}: it needs a login)")
        if answer.status != 200:
            return CheckResult.fail(f"registry {registry} answered HTTP {answer.status} when "
                                    f"asked for the tags of {repository}")
        try:
            tags = json.loads(answer.body or b"{}").get("tags") or []
        except (ValueError, AttributeError):
            return CheckResult.fail(f"registry {registry} sent an unreadable tag list for "
                                    f"{repository}")
        if tag not in tags:
            found = f"tags: {', '.join(sorted(tags))}" if tags else "no tags"
            return CheckResult.fail(f"registry {registry} has {repository} with {found}; "
                                    f"expected {tag}")
        if self.digest_of is None:
            return CheckResult.ok()
        return self._compare_digest(ctx, registry, repository, tag, base)

    def _compare_digest(self, ctx: CheckContext, registry: str, repository: str, tag: str,
                        base: str) -> CheckResult:
        local_ref = render_value(self.digest_of, ctx.values)
        remote = remote_digest(f"{base}/manifests/{tag}")
        pushed = f"{registry}/{repository}:{tag}"
        if remote is None:
            return CheckResult.fail(f"registry {registry} lists {repository}:{tag} but would not "
                                    f"give its manifest digest")
        image = inspect_image(ctx.api, local_ref)
        if image is None:
            return CheckResult.fail(f"local image {quote(local_ref)} does not exist, so it cannot "
                                    f"be compared with {pushed}")
        repository_ref = parse_ref(f"{registry}/{repository}").repository
        local = [digest for d in image.get("RepoDigests") or []
                 if parse_ref(d).repository == repository_ref
                 and (digest := parse_ref(d).digest) is not None]
        if remote in local:
            return CheckResult.ok()
        # Podman keeps no digest of what it pushed (it compresses the layers anew, which
        # makes another manifest): the manifest's config is the local image all the same.
        if remote_config_digest(f"{base}/manifests/{tag}") == image.get("Id"):
            return CheckResult.ok()
        if not local:
            return CheckResult.fail(
                f"registry {registry} has {repository}:{tag} ({short_digest(remote)}), but local "
                f"image {quote(local_ref)} was never pushed there; expected "
                f"{quote(local_ref)} pushed as {pushed}")
        return CheckResult.fail(
            f"registry {registry} has {repository}:{tag} as {short_digest(remote)}; local image "
            f"{quote(local_ref)} was pushed as {', '.join(short_digest(d) for d in local)}; "
            f"expected the same image (push it again)")


def remote_digest(url: str) -> str | None:
    headers = {"Accept": MANIFEST_TYPES}
    for method in ("HEAD", "GET"):
        answer = fetch(url, REGISTRY_TIMEOUT, method=method, headers=headers)
        if answer.status != 200:
            continue
        digest = answer.headers.get("Docker-Content-Digest") if answer.headers else None
        if digest:
            return digest
        if method == "GET" and answer.body:
            return "sha256:" + hashlib.sha256(answer.body).hexdigest()
    return None


def remote_config_digest(url: str) -> str | None:
    """The config digest of an image manifest (an image's ID is its config's digest);
    None for a manifest list or an unreadable answer."""
    answer = fetch(url, REGISTRY_TIMEOUT, headers={"Accept": MANIFEST_TYPES})
    if answer.status != 200:
        return None
    try:
        config = json.loads(answer.body).get("config") or {}
    except (ValueError, AttributeError):
        return None
    digest = config.get("digest") if isinstance(config, dict) else None
    return digest if isinstance(digest, str) else None


def parse_registry_tag(value: Any, pc: ParseContext) -> RegistryTagCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    registry = fields.template_text("registry")
    repository = fields.template_text("repository")
    tag = fields.template_text("tag")
    digest_of = fields.image_ref("digest_of", required=False)
    if registry and "/" in registry and not has_placeholder(registry):
        fields.field_problem("registry", f"'{registry}' must be just host:port, such as "
                                         f"127.0.0.1:5000 (the repository goes in 'repository')")
    if tag and (":" in tag or "/" in tag) and not has_placeholder(tag):
        fields.field_problem("tag", f"'{tag}' must be just the tag, such as 1.0")
    fields.finish()
    if len(pc.problems) != before or registry is None or repository is None or tag is None:
        return None
    return RegistryTagCheck(registry=registry, repository=repository, tag=tag,
                            digest_of=digest_of)
