"""docker compose (Compose v2, a docker CLI plugin): the common subcommands.

Mirrors ``docker compose <command> --help`` of Compose v2 (2.40).  The old
standalone ``docker-compose`` (v1) takes the same commands and flags for
everything here, so parse() reads ``docker-compose up -d`` as
``docker compose up --detach``.

Compose's own options (``-f FILE``, ``-p NAME``, ``--project-directory``) go
between ``compose`` and the subcommand; they are the flags of the group spec.
``--dry-run`` belongs to compose itself but is accepted after every subcommand
as well, so each subcommand lists it.  Flags marked "(hidden)" are not in the
help any more but Compose still accepts them for docker-compose v1 scripts.
"""

from __future__ import annotations

from .flagsets import (
    CAP_ADD,
    CAP_DROP,
    DETACH_RUN,
    ENV,
    FOLLOW,
    NAME,
    NO_CACHE,
    NO_TRUNC,
    PUBLISH,
    TIMESTAMPS,
    VOLUME,
    WORKDIR,
)
from .spec import CommandSpec, _b, _cmd, _group, _m, _v

# The major version of Compose whose --help these tables mirror.
COMPOSE_MAJOR_VERSION = 2

DRY_RUN = _b("dry-run", "", "Execute command in dry run mode")

COMPOSE_GROUP = _group(
    "compose", "Define and run multi-container applications with Docker",
    flags=(
        _b("all-resources", "", "Include all resources, even those not used by services"),
        _v("ansi", "", 'Control when to print ANSI control characters ("never"|"always"|"auto") (default "auto")'),
        _b("compatibility", "", "Run compose in backward compatibility mode"),
        DRY_RUN,
        _m("env-file", "", "Specify an alternate environment file"),
        _m("file", "f", "Compose configuration files"),
        _b("no-ansi", "", "Do not print ANSI control characters (hidden; use --ansi never)"),
        _v("parallel", "", "Control max parallelism, -1 for unlimited (default -1)"),
        _m("profile", "", "Specify a profile to enable"),
        _v("progress", "", "Set type of progress output (auto, tty, plain, json, quiet)"),
        _v("project-directory", "", "Specify an alternate working directory (default: the folder of the first Compose file)", "workdir"),
        _v("project-name", "p", "Project name"),
        _b("verbose", "", "Show more output (hidden)"),
        _b("version", "v", "Show the Docker Compose version information (hidden; like docker compose version)"),
    ),
)

_FORMAT_TABLE_JSON = _v("format", "", 'Format the output. Values: [table | json] (default "table")')
_NO_COLOR = _b("no-color", "", "Produce monochrome output")
_NO_DEPS = _b("no-deps", "", "Don't start linked services")
_NO_LOG_PREFIX = _b("no-log-prefix", "", "Don't print prefix in logs")
_PULL_POLICY = _v("pull", "", 'Pull image before running ("always"|"missing"|"never") (default "policy")')
_QUIET_PULL = _b("quiet-pull", "", "Pull without printing progress information")
_REMOVE_ORPHANS = _b("remove-orphans", "", "Remove containers for services not defined in the Compose file")
_SHUTDOWN_TIMEOUT = _v("timeout", "t", "Specify a shutdown timeout in seconds")
_INDEX = _v("index", "", "Index of the container if service has multiple replicas")
_QUIET_IDS = _b("quiet", "q", "Only display IDs")

COMPOSE_COMMANDS: tuple[CommandSpec, ...] = (
    _cmd(("compose", "build"), "Build or rebuild services", "[SERVICE...]",
         args=(0, None),
         flags=(
             _m("build-arg", "", "Set build-time variables for services"),
             _v("builder", "", "Set builder to use"),
             _b("check", "", "Check build configuration"),
             _b("compress", "", "Compress the build context using gzip (hidden; docker-compose v1)"),
             DRY_RUN,
             _b("force-rm", "", "Always remove intermediate containers (hidden; docker-compose v1)"),
             _v("memory", "m", "Set memory limit for the build container. Not supported by BuildKit."),
             NO_CACHE,
             _b("no-rm", "", "Do not remove intermediate containers (hidden; docker-compose v1)"),
             _b("parallel", "", "Build images in parallel (hidden; always on)"),
             _b("print", "", "Print equivalent bake file"),
             _v("progress", "", "Set type of progress output (hidden; use docker compose --progress)"),
             _v("provenance", "", "Add a provenance attestation"),
             _b("pull", "", "Always attempt to pull a newer version of the image"),
             _b("push", "", "Push service images"),
             _b("quiet", "q", "Suppress the build output"),
             _v("sbom", "", "Add a SBOM attestation"),
             _v("ssh", "", "Set SSH authentications used when building service images. (use 'default' for using your default SSH Agent)"),
             _b("with-dependencies", "", "Also build dependencies (transitively)"),
         )),

    _cmd(("compose", "config"), "Parse, resolve and render compose file in canonical format", "[SERVICE...]",
         args=(0, None),
         flags=(
             DRY_RUN,
             _b("environment", "", "Print environment used for interpolation."),
             _v("format", "", "Format the output. Values: [yaml | json]"),
             _v("hash", "", "Print the service config hash, one per line."),
             _b("images", "", "Print the image names, one per line."),
             _b("lock-image-digests", "", "Produces an override file with image digests"),
             _b("models", "", "Print the model names, one per line."),
             _b("networks", "", "Print the network names, one per line."),
             _b("no-consistency", "", "Don't check model consistency - warning: may produce invalid Compose output"),
             _b("no-env-resolution", "", "Don't resolve service env files"),
             _b("no-interpolate", "", "Don't interpolate environment variables"),
             _b("no-normalize", "", "Don't normalize compose model"),
             _b("no-path-resolution", "", "Don't resolve file paths"),
             _v("output", "o", "Save to file (default to stdout)"),
             _b("profiles", "", "Print the profile names, one per line."),
             _b("quiet", "q", "Only validate the configuration, don't print anything"),
             _b("resolve-image-digests", "", "Pin image tags to digests"),
             _b("services", "", "Print the service names, one per line."),
             _b("variables", "", "Print model variables and default values."),
             _b("volumes", "", "Print the volume names, one per line."),
         )),

    _cmd(("compose", "down"), "Stop and remove containers, networks", "[SERVICES]",
         args=(0, None),
         flags=(
             DRY_RUN,
             _REMOVE_ORPHANS,
             _v("rmi", "", 'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")'),
             _SHUTDOWN_TIMEOUT,
             _b("volumes", "v", 'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers'),
         )),

    _cmd(("compose", "exec"), "Execute a command in a running container", "SERVICE COMMAND [ARGS...]",
         args=(2, None), interspersed=False,
         flags=(
             _b("detach", "d", "Detached mode: Run command in the background"),
             DRY_RUN,
             ENV,
             _INDEX,
             _b("interactive", "i", "Keep STDIN open (hidden; always on, kept for docker exec habits)"),
             _b("no-tty", "T", "Disable pseudo-TTY allocation. By default 'docker compose exec' allocates a TTY."),
             _b("privileged", "", "Give extended privileges to the process"),
             _b("tty", "t", "Allocate a pseudo-TTY (hidden; already the default)"),
             _v("user", "u", "Run the command as this user"),
             _v("workdir", "w", "Path to workdir directory for this command"),
         )),

    _cmd(("compose", "images"), "List images used by the created containers", "[SERVICE...]",
         args=(0, None),
         flags=(
             DRY_RUN,
             _FORMAT_TABLE_JSON,
             _QUIET_IDS,
         )),

    _cmd(("compose", "logs"), "View output from containers", "[SERVICE...]",
         args=(0, None),
         flags=(
             DRY_RUN,
             FOLLOW,
             _INDEX,
             _NO_COLOR,
             _NO_LOG_PREFIX,
             _v("since", "", "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)"),
             _v("tail", "n", 'Number of lines to show from the end of the logs for each container (default "all")'),
             TIMESTAMPS,
             _v("until", "", "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)"),
         )),

    _cmd(("compose", "ls"), "List running compose projects", "",
         flags=(
             _b("all", "a", "Show all stopped Compose projects"),
             DRY_RUN,
             _m("filter", "", "Filter output based on conditions provided"),
             _FORMAT_TABLE_JSON,
             _b("quiet", "q", "Only display project names"),
         )),

    _cmd(("compose", "ps"), "List containers", "[SERVICE...]",
         args=(0, None),
         flags=(
             _b("all", "a", "Show all stopped containers (including those created by the run command)"),
             DRY_RUN,
             _v("filter", "", "Filter services by a property (supported filters: status)"),
             _v("format", "", "Format output: 'table', 'table TEMPLATE', 'json' or a Go template (default \"table\")"),
             NO_TRUNC,
             _b("orphans", "", "Include orphaned services (not declared by project) (default true)"),
             _QUIET_IDS,
             _b("services", "", "Display services"),
             _m("status", "", "Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]"),
         )),

    _cmd(("compose", "pull"), "Pull service images", "[SERVICE...]",
         args=(0, None),
         flags=(
             DRY_RUN,
             _b("ignore-buildable", "", "Ignore images that can be built"),
             _b("ignore-pull-failures", "", "Pull what it can and ignores images with pull failures"),
             _b("include-deps", "", "Also pull services declared as dependencies"),
             _b("no-parallel", "", "Pull one image at a time (hidden; docker-compose v1)"),
             _b("parallel", "", "Pull images in parallel (hidden; always on)"),
             _v("policy", "", 'Apply pull policy ("missing"|"always")'),
             _b("quiet", "q", "Pull without printing progress information"),
         )),

    _cmd(("compose", "push"), "Push service images", "[SERVICE...]",
         args=(0, None),
         flags=(
             DRY_RUN,
             _b("ignore-push-failures", "", "Push what it can and ignores images with push failures"),
             _b("include-deps", "", "Also push images of services declared as dependencies"),
             _b("quiet", "q", "Push without printing progress information"),
         )),

    _cmd(("compose", "restart"), "Restart service containers", "[SERVICE...]",
         args=(0, None),
         flags=(
             DRY_RUN,
             _b("no-deps", "", "Don't restart dependent services"),
             _SHUTDOWN_TIMEOUT,
         )),

    _cmd(("compose", "rm"), "Removes stopped service containers", "[SERVICE...]",
         args=(0, None),
         flags=(
             _b("all", "a", "Deprecated - no effect (hidden)"),
             DRY_RUN,
             _b("force", "f", "Don't ask to confirm removal"),
             _b("stop", "s", "Stop the containers, if required, before removing"),
             _b("volumes", "v", "Remove any anonymous volumes attached to containers"),
         )),

    _cmd(("compose", "run"), "Run a one-off command on a service", "SERVICE [COMMAND] [ARGS...]",
         args=(1, None), interspersed=False,
         flags=(
             _b("build", "", "Build image before starting container"),
             CAP_ADD,
             CAP_DROP,
             DETACH_RUN,
             DRY_RUN,
             _v("entrypoint", "", "Override the entrypoint of the image"),
             ENV,
             _m("env-from-file", "", "Set environment variables from file"),
             _b("interactive", "i", "Keep STDIN open even if not attached (default true)"),
             _m("label", "l", "Add or override a label"),
             NAME,
             _b("no-TTY", "T", "Disable pseudo-TTY allocation (default: auto-detected)"),
             _NO_DEPS,
             PUBLISH,
             _PULL_POLICY,
             _b("quiet", "q", "Don't print anything to STDOUT"),
             _b("quiet-build", "", "Suppress progress output from the build process"),
             _QUIET_PULL,
             _REMOVE_ORPHANS,
             _b("rm", "", "Automatically remove the container when it exits"),
             _b("service-ports", "P", "Run command with all service's ports enabled and mapped to the host"),
             _b("tty", "t", "Allocate a pseudo-TTY (hidden; already the default on a terminal)"),
             _b("use-aliases", "", "Use the service's network useAliases in the network(s) the container connects to"),
             _v("user", "u", "Run as specified username or uid"),
             VOLUME,
             WORKDIR,
         )),

    _cmd(("compose", "start"), "Start services", "[SERVICE...]",
         args=(0, None),
         flags=(
             DRY_RUN,
         )),

    _cmd(("compose", "stop"), "Stop services", "[SERVICE...]",
         args=(0, None),
         flags=(
             DRY_RUN,
             _SHUTDOWN_TIMEOUT,
         )),

    _cmd(("compose", "top"), "Display the running processes", "[SERVICES...]",
         args=(0, None),
         flags=(
             DRY_RUN,
         )),

    _cmd(("compose", "up"), "Create and start containers", "[SERVICE...]",
         args=(0, None),
         flags=(
             _b("abort-on-container-exit", "", "Stops all containers if any container was stopped. Incompatible with -d"),
             _b("abort-on-container-failure", "", "Stops all containers if any container exited with failure. Incompatible with -d"),
             _b("always-recreate-deps", "", "Recreate dependent containers. Incompatible with --no-recreate."),
             _m("attach", "", "Restrict attaching to the specified services. Incompatible with --attach-dependencies."),
             _b("attach-dependencies", "", "Automatically attach to log output of dependent services"),
             _b("build", "", "Build images before starting containers"),
             _b("detach", "d", "Detached mode: Run containers in the background"),
             DRY_RUN,
             _v("exit-code-from", "", "Return the exit code of the selected service container. Implies --abort-on-container-exit"),
             _b("force-recreate", "", "Recreate containers even if their configuration and image haven't changed"),
             _b("menu", "", "Enable interactive shortcuts when running attached. Incompatible with --detach."),
             _m("no-attach", "", "Do not attach (stream logs) to the specified services"),
             _b("no-build", "", "Don't build an image, even if it's policy"),
             _NO_COLOR,
             _NO_DEPS,
             _NO_LOG_PREFIX,
             _b("no-recreate", "", "If containers already exist, don't recreate them. Incompatible with --force-recreate."),
             _b("no-start", "", "Don't start the services after creating them"),
             _PULL_POLICY,
             _b("quiet-build", "", "Suppress the build output"),
             _QUIET_PULL,
             _REMOVE_ORPHANS,
             _b("renew-anon-volumes", "V", "Recreate anonymous volumes instead of retrieving data from the previous containers"),
             _m("scale", "", "Scale SERVICE to NUM instances. Overrides the scale setting in the Compose file if present."),
             _v("timeout", "t", "Use this timeout in seconds for container shutdown when attached or when containers are already running"),
             _b("timestamps", "", "Show timestamps"),
             _b("wait", "", "Wait for services to be running|healthy. Implies detached mode."),
             _v("wait-timeout", "", "Maximum duration in seconds to wait for the project to be running|healthy"),
             _b("watch", "w", "Watch source code and rebuild/refresh containers when files are updated."),
             _b("yes", "y", 'Assume "yes" as answer to all prompts and run non-interactively'),
         )),

    _cmd(("compose", "version"), "Show the Docker Compose version information", "",
         flags=(
             DRY_RUN,
             _v("format", "f", "Format the output. Values: [pretty | json]. (Default: pretty)"),
             _b("short", "", "Shows only Compose's version number"),
         )),
)
