"""docker image ..., docker build, builder and registry commands (Docker CLI 28)."""

from __future__ import annotations

from .flagsets import (
    BUILD_FLAGS,
    CHANGE,
    DISABLE_CONTENT_TRUST,
    FILTER_F,
    FILTER_UNTIL,
    FORCE_NO_PROMPT,
    FORMAT,
    FORMAT_F,
    NO_TRUNC,
    OUTPUT_FILE,
    PLATFORM,
    QUIET_IMAGE_IDS,
    QUIET_VERBOSE,
)
from .spec import CommandSpec, _b, _cmd, _m, _v

IMAGE_COMMANDS: tuple[CommandSpec, ...] = (
    # --- image ---
    _cmd(("image", "history"), "Show the history of an image", "IMAGE",
         args=(1, 1), aliases=(("history",),),
         flags=(
             FORMAT,
             _b("human", "H", "Print sizes and dates in human readable format (default true)"),
             NO_TRUNC,
             _v("platform", "", "Show history for the given platform"),
             QUIET_IMAGE_IDS,
         )),

    _cmd(("image", "import"), "Import the contents from a tarball to create a filesystem image", "file|URL|- [REPOSITORY[:TAG]]",
         args=(1, None), aliases=(("import",),),
         flags=(
             CHANGE,
             _v("message", "m", "Set commit message for imported image"),
             PLATFORM,
         )),

    _cmd(("image", "inspect"), "Display detailed information on one or more images", "IMAGE [IMAGE...]",
         args=(1, None),
         flags=(
             FORMAT_F,
             _v("platform", "", "Inspect a specific platform of the multi-platform image"),
         )),

    _cmd(("image", "load"), "Load an image from a tar archive or STDIN", "",
         aliases=(("load",),),
         flags=(
             _v("input", "i", "Read from tar archive file, instead of STDIN"),
             _v("platform", "", "Load only the given platform variant"),
             _b("quiet", "q", "Suppress the load output"),
         )),

    _cmd(("image", "ls"), "List images", "[REPOSITORY[:TAG]]",
         args=(0, 1), aliases=(("image", "list"), ("images",)),
         flags=(
             _b("all", "a", "Show all images (default hides intermediate images)"),
             _b("digests", "", "Show digests"),
             FILTER_F,
             FORMAT,
             NO_TRUNC,
             QUIET_IMAGE_IDS,
             _b("tree", "", "List multi-platform images as a tree (EXPERIMENTAL)"),
         )),

    _cmd(("image", "prune"), "Remove unused images", "",
         flags=(
             _b("all", "a", "Remove all unused images, not just dangling ones"),
             FILTER_UNTIL,
             FORCE_NO_PROMPT,
         )),

    _cmd(("image", "pull"), "Download an image from a registry", "NAME[:TAG|@DIGEST]",
         args=(1, 1), aliases=(("pull",),),
         flags=(
             _b("all-tags", "a", "Download all tagged images in the repository"),
             DISABLE_CONTENT_TRUST,
             PLATFORM,
             QUIET_VERBOSE,
         )),

    _cmd(("image", "push"), "Upload an image to a registry", "NAME[:TAG]",
         args=(1, 1), aliases=(("push",),),
         flags=(
             _b("all-tags", "a", "Push all tags of an image to the repository"),
             _b("disable-content-trust", "", "Skip image signing (default true)"),
             _v("platform", "", "Push a platform-specific manifest as a single-platform image to the registry"),
             QUIET_VERBOSE,
         )),

    _cmd(("image", "rm"), "Remove one or more images", "IMAGE [IMAGE...]",
         args=(1, None), aliases=(("image", "remove"), ("rmi",)),
         flags=(
             _b("force", "f", "Force removal of the image"),
             _b("no-prune", "", "Do not delete untagged parents"),
             _m("platform", "", "Remove only the given platform variant"),
         )),

    _cmd(("image", "save"), "Save one or more images to a tar archive (streamed to STDOUT by default)", "IMAGE [IMAGE...]",
         args=(1, None), aliases=(("save",),),
         flags=(
             OUTPUT_FILE,
             _v("platform", "", "Save only the given platform variant"),
         )),

    _cmd(("image", "tag"), "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
         args=(2, 2), aliases=(("tag",),)),

    # --- builder ---
    _cmd(("builder", "prune"), "Remove build cache", "",
         flags=(
             _b("all", "a", "Remove all unused build cache, not just dangling ones"),
             _m("filter", "", 'Provide filter values (e.g. "until=24h")'),
             FORCE_NO_PROMPT,
             _v("keep-storage", "", "Amount of disk space to keep for cache"),
         )),

    # --- top ---
    _cmd(("login",), "Authenticate to a registry (Docker Hub by default)", "[SERVER]",
         args=(0, 1),
         flags=(
             _v("password", "p", "Password or Personal Access Token (PAT)"),
             _b("password-stdin", "", "Take the Password or Personal Access Token (PAT) from stdin"),
             _v("username", "u", "Username"),
         )),

    _cmd(("logout",), "Log out from a registry", "[SERVER]",
         args=(0, 1)),

    _cmd(("search",), "Search Docker Hub for images", "TERM",
         args=(1, 1),
         flags=(
             FILTER_F,
             FORMAT,
             _v("limit", "", "Max number of search results"),
             NO_TRUNC,
         )),

    _cmd(("image", "build"), "Build an image from a Dockerfile", "PATH | URL | -",
         args=(1, 1),
         aliases=(("build",), ("builder", "build"), ("buildx", "build"), ("buildx", "b")),
         flags=BUILD_FLAGS),
)
