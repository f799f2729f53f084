"""Declarative model of the docker command line.

The tables mirror ``docker <command> --help`` of Docker CLI 28 (flags, short
letters, argument counts, aliases), so the tutor can understand and complete
what a learner types without running docker.  Every command gets one
``_cmd(...)`` entry; nothing here executes anything.

Conventions:
* paths are tuples of words; the *canonical* path is the management form
  (``("container", "ls")``), aliases are other typed forms (``("ps",)``).
* flag names are stored without dashes (``"publish"``), short flags as a
  single letter (``"p"``).
* ``--help`` is accepted by every command, so it is added automatically
  rather than repeated in each table.
"""

from __future__ import annotations

from collections import namedtuple

# Flag and CommandSpec are named tuples rather than dataclasses: several
# hundred are built at import, and the REPL imports this module at start-up,
# so construction has to be cheap.  They are immutable and hashable all the same.

# --------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------


class Flag(
    namedtuple(
        "Flag",
        "name short takes_value repeatable description aliases",
        defaults=("", False, False, "", ()),
    )
):
    """One command-line option of a docker command.

    name: long name without dashes ("publish"); short: one letter ("p") or "";
    takes_value: False for a boolean switch (--rm, -d); repeatable: values
    accumulate (-p 80:80 -p 443:443) instead of the last one winning;
    aliases: hidden or deprecated long spellings docker still accepts
    (--net for --network).
    """

    __slots__ = ()
    name: str
    short: str
    takes_value: bool
    repeatable: bool
    description: str
    aliases: tuple[str, ...]

    @property
    def spellings(self) -> tuple[str, ...]:
        """How the flag can be written on the command line, long form first."""
        return (f"--{self.name}", f"-{self.short}") if self.short else (f"--{self.name}",)


# Per-spec flag lookup tables, built on first use: {path: (by long name, by letter)}.
_FLAG_INDEX: dict[tuple[str, ...], tuple[dict[str, Flag], dict[str, Flag]]] = {}


class CommandSpec(
    namedtuple(
        "CommandSpec",
        "path description usage flags aliases min_args max_args interspersed is_group",
        defaults=("", (), (), 0, 0, True, False),
    )
):
    """One docker command (or management group such as ``docker container``).

    path: canonical path ("container", "ls"); usage: argument synopsis after
    [OPTIONS] ("IMAGE [COMMAND] [ARG...]"); aliases: other typed paths
    (("ps",), ...); max_args None means unlimited; interspersed False means
    flag parsing stops at the first positional, because what follows belongs
    to another program (docker run IMAGE ls -l); is_group: a management
    command that only holds subcommands.
    """

    __slots__ = ()
    path: tuple[str, ...]
    description: str
    usage: str
    flags: tuple[Flag, ...]
    aliases: tuple[tuple[str, ...], ...]
    min_args: int
    max_args: int | None
    interspersed: bool
    is_group: bool

    def _index(self) -> tuple[dict[str, Flag], dict[str, Flag]]:
        index = _FLAG_INDEX.get(self.path)
        if index is None:
            by_long: dict[str, Flag] = {}
            by_short: dict[str, Flag] = {}
            for flag in self.all_flags:
                by_long[flag.name] = flag
                for alias in flag.aliases:
                    by_long[alias] = flag
                if flag.short:
                    by_short[flag.short] = flag
            index = _FLAG_INDEX[self.path] = (by_long, by_short)
        return index

    @property
    def all_flags(self) -> tuple[Flag, ...]:
        """The command's flags plus the implicit ``--help``."""
        return (*self.flags, HELP_FLAG)

    def long_flag(self, name: str) -> Flag | None:
        """The flag spelled ``--name`` (hidden aliases included), or None."""
        return self._index()[0].get(name)

    def short_flag(self, letter: str) -> Flag | None:
        """The flag spelled ``-letter``, or None."""
        return self._index()[1].get(letter)

    def long_names(self) -> tuple[str, ...]:
        """Every accepted long spelling (names and aliases), without dashes."""
        return tuple(self._index()[0])

    @property
    def name(self) -> str:
        """``docker container ls`` style display name."""
        return " ".join(("docker", *self.path))


# --------------------------------------------------------------------------
# Table helpers: one call per flag keeps the tables compact and readable.
# --------------------------------------------------------------------------


def _b(name: str, short: str, description: str, *aliases: str) -> Flag:
    """A boolean switch: ``--rm``; also accepts ``--rm=false``."""
    return Flag(name, short, False, False, description, aliases)


def _v(name: str, short: str, description: str, *aliases: str) -> Flag:
    """A flag taking one value; given twice, the last value wins (as in docker)."""
    return Flag(name, short, True, False, description, aliases)


def _m(name: str, short: str, description: str, *aliases: str) -> Flag:
    """A flag taking a value that may be repeated: ``-p 80:80 -p 443:443``."""
    return Flag(name, short, True, True, description, aliases)


def _cmd(
    path: tuple[str, ...],
    description: str,
    usage: str = "",
    *,
    args: tuple[int, int | None] = (0, 0),
    aliases: tuple[tuple[str, ...], ...] = (),
    interspersed: bool = True,
    flags: tuple[Flag, ...] = (),
) -> CommandSpec:
    return CommandSpec(path, description, usage, flags, aliases, args[0], args[1], interspersed)


def _group(name: str, description: str) -> CommandSpec:
    return CommandSpec((name,), description, "COMMAND", max_args=None, is_group=True)


HELP_FLAG = _b("help", "", "Print usage")

_FORMAT = _v("format", "", "Format output: 'table', 'table TEMPLATE', 'json' or a Go template")
_FORMAT_F = _v("format", "f", "Format output: 'json' or a Go template")

# Options of the ``docker`` program itself; they go before the command name.
GLOBAL_FLAGS: tuple[Flag, ...] = (
    _v("config", "", "Location of client config files"),
    _v("context", "c", "Name of the context to use to connect to the daemon"),
    _b("debug", "D", "Enable debug mode"),
    _m("host", "H", "Daemon socket to connect to"),
    _v("log-level", "l", 'Set the logging level ("debug", "info", "warn", "error", "fatal")'),
    _b("tls", "", "Use TLS; implied by --tlsverify"),
    _v("tlscacert", "", "Trust certs signed only by this CA"),
    _v("tlscert", "", "Path to TLS certificate file"),
    _v("tlskey", "", "Path to TLS key file"),
    _b("tlsverify", "", "Use TLS and verify the remote"),
    _b("version", "v", "Print version information and quit"),
)

# --------------------------------------------------------------------------
# Flags shared by several commands
# --------------------------------------------------------------------------

# docker create and docker run share these; run adds --detach & co.
_CONTAINER_CONFIG_FLAGS: tuple[Flag, ...] = (
    _m("add-host", "", "Add a custom host-to-IP mapping (host:ip)"),
    _m("annotation", "", "Add an annotation to the container (passed through to the OCI runtime)"),
    _m("attach", "a", "Attach to STDIN, STDOUT or STDERR"),
    _v("blkio-weight", "", "Block IO (relative weight), between 10 and 1000, or 0 to disable"),
    _m("blkio-weight-device", "", "Block IO weight (relative device weight)"),
    _m("cap-add", "", "Add Linux capabilities"),
    _m("cap-drop", "", "Drop Linux capabilities"),
    _v("cgroup-parent", "", "Optional parent cgroup for the container"),
    _v("cgroupns", "", "Cgroup namespace to use (host|private)"),
    _v("cidfile", "", "Write the container ID to the file"),
    _v("cpu-count", "", "CPU count (Windows only)"),
    _v("cpu-percent", "", "CPU percent (Windows only)"),
    _v("cpu-period", "", "Limit CPU CFS (Completely Fair Scheduler) period"),
    _v("cpu-quota", "", "Limit CPU CFS (Completely Fair Scheduler) quota"),
    _v("cpu-rt-period", "", "Limit CPU real-time period in microseconds"),
    _v("cpu-rt-runtime", "", "Limit CPU real-time runtime in microseconds"),
    _v("cpu-shares", "c", "CPU shares (relative weight)"),
    _v("cpus", "", "Number of CPUs"),
    _v("cpuset-cpus", "", "CPUs in which to allow execution (0-3, 0,1)"),
    _v("cpuset-mems", "", "MEMs in which to allow execution (0-3, 0,1)"),
    _m("device", "", "Add a host device to the container"),
    _m("device-cgroup-rule", "", "Add a rule to the cgroup allowed devices list"),
    _m("device-read-bps", "", "Limit read rate (bytes per second) from a device"),
    _m("device-read-iops", "", "Limit read rate (IO per second) from a device"),
    _m("device-write-bps", "", "Limit write rate (bytes per second) to a device"),
    _m("device-write-iops", "", "Limit write rate (IO per second) to a device"),
    _b("disable-content-trust", "", "Skip image verification (default true)"),
    _m("dns", "", "Set custom DNS servers"),
    _m("dns-option", "", "Set DNS options", "dns-opt"),
    _m("dns-search", "", "Set custom DNS search domains"),
    _v("domainname", "", "Container NIS domain name"),
    _v("entrypoint", "", "Overwrite the default ENTRYPOINT of the image"),
    _m("env", "e", "Set environment variables"),
    _m("env-file", "", "Read in a file of environment variables"),
    _m("expose", "", "Expose a port or a range of ports"),
    _v("gpus", "", "GPU devices to add to the container ('all' to pass all GPUs)"),
    _m("group-add", "", "Add additional groups to join"),
    _v("health-cmd", "", "Command to run to check health"),
    _v("health-interval", "", "Time between running the check (ms|s|m|h)"),
    _v("health-retries", "", "Consecutive failures needed to report unhealthy"),
    _v("health-start-interval", "", "Time between running the check during the start period (ms|s|m|h)"),
    _v("health-start-period", "", "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h)"),
    _v("health-timeout", "", "Maximum time to allow one check to run (ms|s|m|h)"),
    _v("hostname", "h", "Container host name"),
    _b("init", "", "Run an init inside the container that forwards signals and reaps processes"),
    _b("interactive", "i", "Keep STDIN open even if not attached"),
    _v("io-maxbandwidth", "", "Maximum IO bandwidth limit for the system drive (Windows only)"),
    _v("io-maxiops", "", "Maximum IOps limit for the system drive (Windows only)"),
    _v("ip", "", "IPv4 address (e.g., 172.30.100.104)"),
    _v("ip6", "", "IPv6 address (e.g., 2001:db8::33)"),
    _v("ipc", "", "IPC mode to use"),
    _v("isolation", "", "Container isolation technology"),
    _v("kernel-memory", "", "Kernel memory limit"),
    _m("label", "l", "Set meta data on a container"),
    _m("label-file", "", "Read in a line delimited file of labels"),
    _m("link", "", "Add link to another container"),
    _m("link-local-ip", "", "Container IPv4/IPv6 link-local addresses"),
    _v("log-driver", "", "Logging driver for the container"),
    _m("log-opt", "", "Log driver options"),
    _v("mac-address", "", "Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
    _v("memory", "m", "Memory limit"),
    _v("memory-reservation", "", "Memory soft limit"),
    _v("memory-swap", "", "Swap limit equal to memory plus swap"),
    _v("memory-swappiness", "", "Tune container memory swappiness (0 to 100)"),
    _m("mount", "", "Attach a filesystem mount to the container"),
    _v("name", "", "Assign a name to the container"),
    _m("network", "", "Connect a container to a network", "net"),
    _m("network-alias", "", "Add network-scoped alias for the container", "net-alias"),
    _b("no-healthcheck", "", "Disable any container-specified HEALTHCHECK"),
    _b("oom-kill-disable", "", "Disable OOM Killer"),
    _v("oom-score-adj", "", "Tune host's OOM preferences (-1000 to 1000)"),
    _v("pid", "", "PID namespace to use"),
    _v("pids-limit", "", "Tune container pids limit (set -1 for unlimited)"),
    _v("platform", "", "Set platform if server is multi-platform capable"),
    _b("privileged", "", "Give extended privileges to this container"),
    _m("publish", "p", "Publish a container's port(s) to the host"),
    _b("publish-all", "P", "Publish all exposed ports to random ports"),
    _v("pull", "", 'Pull the image first: "always", "missing" or "never" (default "missing")'),
    _b("quiet", "q", "Suppress the pull output"),
    _b("read-only", "", "Mount the container's root filesystem as read only"),
    _v("restart", "", 'Restart policy to apply when a container exits (default "no")'),
    _b("rm", "", "Automatically remove the container and its associated anonymous volumes when it exits"),
    _v("runtime", "", "Runtime to use for this container"),
    _m("security-opt", "", "Security Options"),
    _v("shm-size", "", "Size of /dev/shm"),
    _v("stop-signal", "", "Signal to stop the container"),
    _v("stop-timeout", "", "Timeout (in seconds) to stop a container"),
    _m("storage-opt", "", "Storage driver options for the container"),
    _m("sysctl", "", "Sysctl options"),
    _m("tmpfs", "", "Mount a tmpfs directory"),
    _b("tty", "t", "Allocate a pseudo-TTY"),
    _m("ulimit", "", "Ulimit options"),
    _b("use-api-socket", "", "Bind mount Docker API socket and required auth"),
    _v("user", "u", "Username or UID (format: <name|uid>[:<group|gid>])"),
    _v("userns", "", "User namespace to use"),
    _v("uts", "", "UTS namespace to use"),
    _m("volume", "v", "Bind mount a volume"),
    _v("volume-driver", "", "Optional volume driver for the container"),
    _m("volumes-from", "", "Mount volumes from the specified container(s)"),
    _v("workdir", "w", "Working directory inside the container"),
)

# docker build: the union of the classic builder's flags and BuildKit's
# (docker buildx build), because docker 23+ routes `docker build` to buildx
# when it is installed and learners copy examples written for either.
_BUILD_FLAGS: tuple[Flag, ...] = (
    _m("add-host", "", 'Add a custom host-to-IP mapping ("host:ip")'),
    _m("allow", "", "Allow extra privileged entitlement (e.g. network.host)"),
    _m("annotation", "", "Add annotation to the image"),
    _m("attest", "", 'Attestation parameters (format: "type=sbom,generator=image")'),
    _m("build-arg", "", "Set build-time variables"),
    _m("build-context", "", "Additional build contexts (e.g., name=path)"),
    _v("builder", "", "Override the configured builder instance"),
    _m("cache-from", "", "External cache sources (e.g., user/app:cache)"),
    _m("cache-to", "", "Cache export destinations (e.g., type=inline)"),
    _v("call", "", 'Set method for evaluating build ("check", "outline", "targets")'),
    _v("cgroup-parent", "", 'Set the parent cgroup for the "RUN" instructions during build'),
    _b("check", "", "Shorthand for --call=check"),
    _b("compress", "", "Compress the build context using gzip"),
    _v("cpu-period", "", "Limit the CPU CFS (Completely Fair Scheduler) period"),
    _v("cpu-quota", "", "Limit the CPU CFS (Completely Fair Scheduler) quota"),
    _v("cpu-shares", "c", "CPU shares (relative weight)"),
    _v("cpuset-cpus", "", "CPUs in which to allow execution (0-3, 0,1)"),
    _v("cpuset-mems", "", "MEMs in which to allow execution (0-3, 0,1)"),
    _b("disable-content-trust", "", "Skip image verification (default true)"),
    _v("file", "f", 'Name of the Dockerfile (default: "PATH/Dockerfile")'),
    _b("force-rm", "", "Always remove intermediate containers"),
    _v("iidfile", "", "Write the image ID to a file"),
    _v("isolation", "", "Container isolation technology"),
    _m("label", "", "Set metadata for an image"),
    _b("load", "", 'Shorthand for "--output=type=docker"'),
    _v("memory", "m", "Memory limit"),
    _v("memory-swap", "", "Swap limit equal to memory plus swap: -1 to enable unlimited swap"),
    _v("metadata-file", "", "Write build result metadata to a file"),
    _v("network", "", 'Set the networking mode for the "RUN" instructions during build'),
    _b("no-cache", "", "Do not use cache when building the image"),
    _m("no-cache-filter", "", "Do not cache specified stages"),
    _m("output", "o", 'Output destination (format: "type=local,dest=path")'),
    _m("platform", "", "Set target platform for build"),
    _v("progress", "", 'Set type of progress output ("auto", "plain", "tty", "quiet", "rawjson")'),
    _v("provenance", "", "Shorthand for --attest=type=provenance"),
    _b("pull", "", "Always attempt to pull all referenced images"),
    _b("push", "", 'Shorthand for "--output=type=registry"'),
    _b("quiet", "q", "Suppress the build output and print image ID on success"),
    _b("rm", "", "Remove intermediate containers after a successful build (default true)"),
    _v("sbom", "", "Shorthand for --attest=type=sbom"),
    _m("secret", "", 'Secret to expose to the build (format: "id=mysecret[,src=/local/secret]")'),
    _m("security-opt", "", "Security options"),
    _v("shm-size", "", 'Size of "/dev/shm"'),
    _b("squash", "", "Squash newly built layers into a single new layer"),
    _m("ssh", "", 'SSH agent socket or keys to expose to the build (format: "default|<id>[=<socket>|<key>[,<key>]]")'),
    _m("tag", "t", 'Name and optionally a tag (format: "name:tag")'),
    _v("target", "", "Set the target build stage to build"),
    _m("ulimit", "", "Ulimit options"),
)

# --------------------------------------------------------------------------
# The commands
# --------------------------------------------------------------------------

ROOT = CommandSpec(
    (), "A self-sufficient runtime for containers", "COMMAND", GLOBAL_FLAGS,
    max_args=None, interspersed=False, is_group=True,
)

GROUPS: tuple[CommandSpec, ...] = (
    _group("builder", "Manage builds"),
    _group("buildx", "Docker Buildx (only 'docker buildx build' is covered here)"),
    _group("container", "Manage containers"),
    _group("context", "Manage contexts"),
    _group("image", "Manage images"),
    _group("network", "Manage networks"),
    _group("system", "Manage Docker"),
    _group("volume", "Manage volumes"),
)

COMMANDS: tuple[CommandSpec, ...] = (
    # --- container ---
    _cmd(("container", "attach"), "Attach local standard input, output, and error streams to a running container", "CONTAINER",
         args=(1, 1), aliases=(("attach",),),
         flags=(
             _v("detach-keys", "", "Override the key sequence for detaching a container"),
             _b("no-stdin", "", "Do not attach STDIN"),
             _b("sig-proxy", "", "Proxy all received signals to the process (default true)"),
         )),

    _cmd(("container", "commit"), "Create a new image from a container's changes", "CONTAINER [REPOSITORY[:TAG]]",
         args=(1, 2), aliases=(("commit",),), interspersed=False,
         flags=(
             _v("author", "a", 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")'),
             _m("change", "c", "Apply Dockerfile instruction to the created image"),
             _v("message", "m", "Commit message"),
             _b("pause", "p", "Pause container during commit (default true)"),
         )),

    _cmd(("container", "cp"), "Copy files/folders between a container and the local filesystem", "CONTAINER:SRC_PATH DEST_PATH|-",
         args=(2, 2), aliases=(("cp",),),
         flags=(
             _b("archive", "a", "Archive mode (copy all uid/gid information)"),
             _b("follow-link", "L", "Always follow symbol link in SRC_PATH"),
             _b("quiet", "q", "Suppress progress output during copy"),
         )),

    _cmd(("container", "create"), "Create a new container", "IMAGE [COMMAND] [ARG...]",
         args=(1, None), aliases=(("create",),), interspersed=False,
         flags=_CONTAINER_CONFIG_FLAGS),

    _cmd(("container", "diff"), "Inspect changes to files or directories on a container's filesystem", "CONTAINER",
         args=(1, 1), aliases=(("diff",),)),

    _cmd(("container", "exec"), "Execute a command in a running container", "CONTAINER COMMAND [ARG...]",
         args=(2, None), aliases=(("exec",),), interspersed=False,
         flags=(
             _b("detach", "d", "Detached mode: run command in the background"),
             _v("detach-keys", "", "Override the key sequence for detaching a container"),
             _m("env", "e", "Set environment variables"),
             _m("env-file", "", "Read in a file of environment variables"),
             _b("interactive", "i", "Keep STDIN open even if not attached"),
             _b("privileged", "", "Give extended privileges to the command"),
             _b("tty", "t", "Allocate a pseudo-TTY"),
             _v("user", "u", 'Username or UID (format: "<name|uid>[:<group|gid>]")'),
             _v("workdir", "w", "Working directory inside the container"),
         )),

    _cmd(("container", "export"), "Export a container's filesystem as a tar archive", "CONTAINER",
         args=(1, 1), aliases=(("export",),),
         flags=(
             _v("output", "o", "Write to a file, instead of STDOUT"),
         )),

    _cmd(("container", "inspect"), "Display detailed information on one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None),
         flags=(
             _FORMAT_F,
             _b("size", "s", "Display total file sizes"),
         )),

    _cmd(("container", "kill"), "Kill one or more running containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("kill",),),
         flags=(
             _v("signal", "s", "Signal to send to the container"),
         )),

    _cmd(("container", "logs"), "Fetch the logs of a container", "CONTAINER",
         args=(1, 1), aliases=(("logs",),),
         flags=(
             _b("details", "", "Show extra details provided to logs"),
             _b("follow", "f", "Follow log output"),
             _v("since", "", "Show logs since a timestamp (2013-01-02T13:23:37Z) or relative time (42m)"),
             _v("tail", "n", 'Number of lines to show from the end of the logs (default "all")'),
             _b("timestamps", "t", "Show timestamps"),
             _v("until", "", "Show logs before a timestamp (2013-01-02T13:23:37Z) or relative time (42m)"),
         )),

    _cmd(("container", "ls"), "List containers", "",
         aliases=(("container", "list"), ("container", "ps"), ("ps",)),
         flags=(
             _b("all", "a", "Show all containers (default shows just running)"),
             _m("filter", "f", "Filter output based on conditions provided"),
             _FORMAT,
             _v("last", "n", "Show n last created containers (includes all states)"),
             _b("latest", "l", "Show the latest created container (includes all states)"),
             _b("no-trunc", "", "Don't truncate output"),
             _b("quiet", "q", "Only display container IDs"),
             _b("size", "s", "Display total file sizes"),
         )),

    _cmd(("container", "pause"), "Pause all processes within one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("pause",),)),

    _cmd(("container", "port"), "List port mappings or a specific mapping for the container", "CONTAINER [PRIVATE_PORT[/PROTO]]",
         args=(1, 2), aliases=(("port",),)),

    _cmd(("container", "prune"), "Remove all stopped containers", "",
         flags=(
             _m("filter", "", 'Provide filter values (e.g. "until=<timestamp>")'),
             _b("force", "f", "Do not prompt for confirmation"),
         )),

    _cmd(("container", "rename"), "Rename a container", "CONTAINER NEW_NAME",
         args=(2, 2), aliases=(("rename",),)),

    _cmd(("container", "restart"), "Restart one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("restart",),),
         flags=(
             _v("signal", "s", "Signal to send to the container"),
             _v("timeout", "t", "Seconds to wait before killing the container", "time"),
         )),

    _cmd(("container", "rm"), "Remove one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("container", "remove"), ("rm",)),
         flags=(
             _b("force", "f", "Force the removal of a running container (uses SIGKILL)"),
             _b("link", "l", "Remove the specified link"),
             _b("volumes", "v", "Remove anonymous volumes associated with the container"),
         )),

    _cmd(("container", "run"), "Create and run a new container from an image", "IMAGE [COMMAND] [ARG...]",
         args=(1, None), aliases=(("run",),), interspersed=False,
         flags=(
             *_CONTAINER_CONFIG_FLAGS,
             _b("detach", "d", "Run container in background and print container ID"),
             _v("detach-keys", "", "Override the key sequence for detaching a container"),
             _b("sig-proxy", "", "Proxy received signals to the process (default true)"),
         )),

    _cmd(("container", "start"), "Start one or more stopped containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("start",),),
         flags=(
             _b("attach", "a", "Attach STDOUT/STDERR and forward signals"),
             _v("checkpoint", "", "Restore from this checkpoint"),
             _v("checkpoint-dir", "", "Use a custom checkpoint storage directory"),
             _v("detach-keys", "", "Override the key sequence for detaching a container"),
             _b("interactive", "i", "Attach container's STDIN"),
         )),

    _cmd(("container", "stats"), "Display a live stream of container(s) resource usage statistics", "[CONTAINER...]",
         args=(0, None), aliases=(("stats",),),
         flags=(
             _b("all", "a", "Show all containers (default shows just running)"),
             _FORMAT,
             _b("no-stream", "", "Disable streaming stats and only pull the first result"),
             _b("no-trunc", "", "Do not truncate output"),
         )),

    _cmd(("container", "stop"), "Stop one or more running containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("stop",),),
         flags=(
             _v("signal", "s", "Signal to send to the container"),
             _v("timeout", "t", "Seconds to wait before killing the container", "time"),
         )),

    _cmd(("container", "top"), "Display the running processes of a container", "CONTAINER [ps OPTIONS]",
         args=(1, None), aliases=(("top",),), interspersed=False),

    _cmd(("container", "unpause"), "Unpause all processes within one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("unpause",),)),

    _cmd(("container", "update"), "Update configuration of one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("update",),),
         flags=(
             _v("blkio-weight", "", "Block IO (relative weight), between 10 and 1000, or 0 to disable"),
             _v("cpu-period", "", "Limit CPU CFS (Completely Fair Scheduler) period"),
             _v("cpu-quota", "", "Limit CPU CFS (Completely Fair Scheduler) quota"),
             _v("cpu-rt-period", "", "Limit the CPU real-time period in microseconds"),
             _v("cpu-rt-runtime", "", "Limit the CPU real-time runtime in microseconds"),
             _v("cpu-shares", "c", "CPU shares (relative weight)"),
             _v("cpus", "", "Number of CPUs"),
             _v("cpuset-cpus", "", "CPUs in which to allow execution (0-3, 0,1)"),
             _v("cpuset-mems", "", "MEMs in which to allow execution (0-3, 0,1)"),
             _v("memory", "m", "Memory limit"),
             _v("memory-reservation", "", "Memory soft limit"),
             _v("memory-swap", "", "Swap limit equal to memory plus swap: -1 to enable unlimited swap"),
             _v("pids-limit", "", "Tune container pids limit (set -1 for unlimited)"),
             _v("restart", "", "Restart policy to apply when a container exits"),
         )),

    _cmd(("container", "wait"), "Block until one or more containers stop, then print their exit codes", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("wait",),)),

    # --- image ---
    _cmd(("image", "history"), "Show the history of an image", "IMAGE",
         args=(1, 1), aliases=(("history",),),
         flags=(
             _FORMAT,
             _b("human", "H", "Print sizes and dates in human readable format (default true)"),
             _b("no-trunc", "", "Don't truncate output"),
             _v("platform", "", "Show history for the given platform"),
             _b("quiet", "q", "Only show image IDs"),
         )),

    _cmd(("image", "import"), "Import the contents from a tarball to create a filesystem image", "file|URL|- [REPOSITORY[:TAG]]",
         args=(1, None), aliases=(("import",),),
         flags=(
             _m("change", "c", "Apply Dockerfile instruction to the created image"),
             _v("message", "m", "Set commit message for imported image"),
             _v("platform", "", "Set platform if server is multi-platform capable"),
         )),

    _cmd(("image", "inspect"), "Display detailed information on one or more images", "IMAGE [IMAGE...]",
         args=(1, None),
         flags=(
             _FORMAT_F,
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
             _m("filter", "f", "Filter output based on conditions provided"),
             _FORMAT,
             _b("no-trunc", "", "Don't truncate output"),
             _b("quiet", "q", "Only show image IDs"),
             _b("tree", "", "List multi-platform images as a tree (EXPERIMENTAL)"),
         )),

    _cmd(("image", "prune"), "Remove unused images", "",
         flags=(
             _b("all", "a", "Remove all unused images, not just dangling ones"),
             _m("filter", "", 'Provide filter values (e.g. "until=<timestamp>")'),
             _b("force", "f", "Do not prompt for confirmation"),
         )),

    _cmd(("image", "pull"), "Download an image from a registry", "NAME[:TAG|@DIGEST]",
         args=(1, 1), aliases=(("pull",),),
         flags=(
             _b("all-tags", "a", "Download all tagged images in the repository"),
             _b("disable-content-trust", "", "Skip image verification (default true)"),
             _v("platform", "", "Set platform if server is multi-platform capable"),
             _b("quiet", "q", "Suppress verbose output"),
         )),

    _cmd(("image", "push"), "Upload an image to a registry", "NAME[:TAG]",
         args=(1, 1), aliases=(("push",),),
         flags=(
             _b("all-tags", "a", "Push all tags of an image to the repository"),
             _b("disable-content-trust", "", "Skip image signing (default true)"),
             _v("platform", "", "Push a platform-specific manifest as a single-platform image to the registry"),
             _b("quiet", "q", "Suppress verbose output"),
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
             _v("output", "o", "Write to a file, instead of STDOUT"),
             _v("platform", "", "Save only the given platform variant"),
         )),

    _cmd(("image", "tag"), "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
         args=(2, 2), aliases=(("tag",),)),

    # --- volume ---
    _cmd(("volume", "create"), "Create a volume", "[VOLUME]",
         args=(0, 1),
         flags=(
             _v("availability", "", 'Cluster Volume availability ("active", "pause", "drain") (default "active")'),
             _v("driver", "d", 'Specify volume driver name (default "local")'),
             _v("group", "", "Cluster Volume group (cluster volumes)"),
             _m("label", "", "Set metadata for a volume"),
             _v("limit-bytes", "", "Minimum size of the Cluster Volume in bytes"),
             _m("opt", "o", "Set driver specific options"),
             _v("required-bytes", "", "Maximum size of the Cluster Volume in bytes"),
             _v("scope", "", 'Cluster Volume access scope ("single", "multi") (default "single")'),
             _m("secret", "", "Cluster Volume secrets"),
             _v("sharing", "", 'Cluster Volume access sharing ("none", "readonly", "onewriter", "all") (default "none")'),
             _m("topology-preferred", "", "A topology that the Cluster Volume would be preferred in"),
             _m("topology-required", "", "A topology that the Cluster Volume must be accessible from"),
             _v("type", "", 'Cluster Volume access type ("mount", "block") (default "block")'),
         )),

    _cmd(("volume", "inspect"), "Display detailed information on one or more volumes", "VOLUME [VOLUME...]",
         args=(1, None),
         flags=(
             _FORMAT_F,
         )),

    _cmd(("volume", "ls"), "List volumes", "",
         aliases=(("volume", "list"),),
         flags=(
             _b("cluster", "", "Display only cluster volumes, and use cluster volume list formatting"),
             _m("filter", "f", 'Provide filter values (e.g. "dangling=true")'),
             _FORMAT,
             _b("quiet", "q", "Only display volume names"),
         )),

    _cmd(("volume", "prune"), "Remove unused local volumes", "",
         flags=(
             _b("all", "a", "Remove all unused volumes, not just anonymous ones"),
             _m("filter", "", 'Provide filter values (e.g. "label=<label>")'),
             _b("force", "f", "Do not prompt for confirmation"),
         )),

    _cmd(("volume", "rm"), "Remove one or more volumes", "VOLUME [VOLUME...]",
         args=(1, None), aliases=(("volume", "remove"),),
         flags=(
             _b("force", "f", "Force the removal of one or more volumes"),
         )),

    _cmd(("volume", "update"), "Update a volume (cluster volumes only)", "[VOLUME]",
         args=(1, 1),
         flags=(
             _v("availability", "", 'Cluster Volume availability ("active", "pause", "drain") (default "active")'),
         )),

    # --- network ---
    _cmd(("network", "connect"), "Connect a container to a network", "NETWORK CONTAINER",
         args=(2, 2),
         flags=(
             _m("alias", "", "Add network-scoped alias for the container"),
             _m("driver-opt", "", "Driver options for the network"),
             _v("gw-priority", "", "Highest gw-priority provides the default gateway"),
             _v("ip", "", 'IPv4 address (e.g., "172.30.100.104")'),
             _v("ip6", "", 'IPv6 address (e.g., "2001:db8::33")'),
             _m("link", "", "Add link to another container"),
             _m("link-local-ip", "", "Add a link-local address for the container"),
         )),

    _cmd(("network", "create"), "Create a network", "NETWORK",
         args=(1, 1),
         flags=(
             _b("attachable", "", "Enable manual container attachment"),
             _m("aux-address", "", "Auxiliary IPv4 or IPv6 addresses used by Network driver"),
             _v("config-from", "", "The network from which to copy the configuration"),
             _b("config-only", "", "Create a configuration only network"),
             _v("driver", "d", 'Driver to manage the Network (default "bridge")'),
             _m("gateway", "", "IPv4 or IPv6 Gateway for the master subnet"),
             _b("ingress", "", "Create swarm routing-mesh network"),
             _b("internal", "", "Restrict external access to the network"),
             _m("ip-range", "", "Allocate container ip from a sub-range"),
             _v("ipam-driver", "", 'IP Address Management Driver (default "default")'),
             _m("ipam-opt", "", "Set IPAM driver specific options"),
             _b("ipv4", "", "Enable or disable IPv4 address assignment (default true)"),
             _b("ipv6", "", "Enable or disable IPv6 address assignment"),
             _m("label", "", "Set metadata on a network"),
             _m("opt", "o", "Set driver specific options"),
             _v("scope", "", "Control the network's scope"),
             _m("subnet", "", "Subnet in CIDR format that represents a network segment"),
         )),

    _cmd(("network", "disconnect"), "Disconnect a container from a network", "NETWORK CONTAINER",
         args=(2, 2),
         flags=(
             _b("force", "f", "Force the container to disconnect from a network"),
         )),

    _cmd(("network", "inspect"), "Display detailed information on one or more networks", "NETWORK [NETWORK...]",
         args=(1, None),
         flags=(
             _FORMAT_F,
             _b("verbose", "v", "Verbose output for diagnostics"),
         )),

    _cmd(("network", "ls"), "List networks", "",
         aliases=(("network", "list"),),
         flags=(
             _m("filter", "f", 'Provide filter values (e.g. "driver=bridge")'),
             _FORMAT,
             _b("no-trunc", "", "Do not truncate the output"),
             _b("quiet", "q", "Only display network IDs"),
         )),

    _cmd(("network", "prune"), "Remove all unused networks", "",
         flags=(
             _m("filter", "", 'Provide filter values (e.g. "until=<timestamp>")'),
             _b("force", "f", "Do not prompt for confirmation"),
         )),

    _cmd(("network", "rm"), "Remove one or more networks", "NETWORK [NETWORK...]",
         args=(1, None), aliases=(("network", "remove"),),
         flags=(
             _b("force", "f", "Do not error if the network does not exist"),
         )),

    # --- system ---
    _cmd(("system", "df"), "Show docker disk usage", "",
         flags=(
             _FORMAT,
             _b("verbose", "v", "Show detailed information on space usage"),
         )),

    _cmd(("system", "events"), "Get real time events from the server", "",
         aliases=(("events",),),
         flags=(
             _m("filter", "f", "Filter output based on conditions provided"),
             _FORMAT,
             _v("since", "", "Show all events created since timestamp"),
             _v("until", "", "Stream events until this timestamp"),
         )),

    _cmd(("system", "info"), "Display system-wide information", "",
         aliases=(("info",),),
         flags=(
             _FORMAT_F,
         )),

    _cmd(("system", "prune"), "Remove unused data", "",
         flags=(
             _b("all", "a", "Remove all unused images not just dangling ones"),
             _m("filter", "", 'Provide filter values (e.g. "label=<key>=<value>")'),
             _b("force", "f", "Do not prompt for confirmation"),
             _b("volumes", "", "Prune anonymous volumes"),
         )),

    # --- context ---
    _cmd(("context", "create"), "Create a context", "CONTEXT",
         args=(1, 1),
         flags=(
             _v("description", "", "Description of the context"),
             _m("docker", "", "Set the docker endpoint"),
             _v("from", "", "Create context from a named context"),
         )),

    _cmd(("context", "export"), "Export a context to a tar archive FILE or a tar stream on STDOUT", "CONTEXT [FILE|-]",
         args=(1, 2)),

    _cmd(("context", "import"), "Import a context from a tar or zip file", "CONTEXT FILE|-",
         args=(2, 2)),

    _cmd(("context", "inspect"), "Display detailed information on one or more contexts", "[CONTEXT] [CONTEXT...]",
         args=(0, None),
         flags=(
             _FORMAT_F,
         )),

    _cmd(("context", "ls"), "List contexts", "",
         aliases=(("context", "list"),),
         flags=(
             _FORMAT,
             _b("quiet", "q", "Only show context names"),
         )),

    _cmd(("context", "rm"), "Remove one or more contexts", "CONTEXT [CONTEXT...]",
         args=(1, None), aliases=(("context", "remove"),),
         flags=(
             _b("force", "f", "Force the removal of a context in use"),
         )),

    _cmd(("context", "show"), "Print the name of the current context", ""),

    _cmd(("context", "update"), "Update a context", "CONTEXT",
         args=(1, 1),
         flags=(
             _v("description", "", "Description of the context"),
             _m("docker", "", "Set the docker endpoint"),
         )),

    _cmd(("context", "use"), "Set the current docker context", "CONTEXT",
         args=(1, 1)),

    # --- builder ---
    _cmd(("builder", "prune"), "Remove build cache", "",
         flags=(
             _b("all", "a", "Remove all unused build cache, not just dangling ones"),
             _m("filter", "", 'Provide filter values (e.g. "until=24h")'),
             _b("force", "f", "Do not prompt for confirmation"),
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
             _m("filter", "f", "Filter output based on conditions provided"),
             _FORMAT,
             _v("limit", "", "Max number of search results"),
             _b("no-trunc", "", "Don't truncate output"),
         )),

    _cmd(("version",), "Show the Docker version information", "",
         flags=(
             _FORMAT_F,
         )),

    _cmd(("inspect",), "Return low-level information on Docker objects", "NAME|ID [NAME|ID...]",
         args=(1, None),
         flags=(
             _FORMAT_F,
             _b("size", "s", "Display total file sizes if the type is container"),
             _v("type", "", "Only inspect objects of the given type"),
         )),

    _cmd(("image", "build"), "Build an image from a Dockerfile", "PATH | URL | -",
         args=(1, 1),
         aliases=(("build",), ("builder", "build"), ("buildx", "build"), ("buildx", "b")),
         flags=_BUILD_FLAGS),

    _cmd(("help",), "Help about any command", "[COMMAND]", args=(0, None)),
)

# Real docker commands (mostly plugins and Swarm) that this model does not
# describe; parse() reports them as unsupported rather than as typos.
UNCOVERED: frozenset[str] = frozenset({
    "ai", "checkpoint", "compose", "config", "debug", "desktop", "extension",
    "init", "manifest", "model", "node", "offload", "plugin", "sbom", "scout",
    "secret", "service", "stack", "swarm", "trust",
})
# Groups of which only some subcommands are modelled.
PARTIAL_GROUPS: frozenset[str] = frozenset({"buildx", "builder"})

# --------------------------------------------------------------------------
# Indexes (built once at import; a few hundred dict entries)
# --------------------------------------------------------------------------

BY_PATH: dict[tuple[str, ...], CommandSpec] = {
    spec.path: spec for spec in (ROOT, *GROUPS, *COMMANDS)
}
# Every typed form (canonical or alias) -> canonical path.
_TYPED: dict[tuple[str, ...], tuple[str, ...]] = {}
# Typed prefix -> words that may follow it (for completion and suggestions).
_CHILDREN: dict[tuple[str, ...], set[str]] = {}

for _spec in BY_PATH.values():
    for _typed in (_spec.path, *_spec.aliases):
        _TYPED[_typed] = _spec.path
        if _typed:
            _CHILDREN.setdefault(_typed[:-1], set()).add(_typed[-1])
del _spec, _typed


def canonical_path(path: tuple[str, ...] | list[str]) -> tuple[str, ...] | None:
    """Canonical path for a typed path (``("ps",)`` -> ``("container", "ls")``)."""
    return _TYPED.get(tuple(path))


def lookup(path: tuple[str, ...] | list[str]) -> CommandSpec | None:
    """The spec for a typed or canonical path, or None if unknown."""
    canonical = _TYPED.get(tuple(path))
    return None if canonical is None else BY_PATH[canonical]


def subcommand_names(prefix_path: tuple[str, ...] | list[str] = ()) -> tuple[str, ...]:
    """Words that can follow ``docker <prefix_path...>``, sorted.

    ``subcommand_names(())`` lists top-level commands and groups (including
    shortcuts such as ``ps``); ``subcommand_names(("container",))`` lists
    ``attach ... ls list ps ...``.  Unknown prefixes give ``()``.
    """
    return tuple(sorted(_CHILDREN.get(tuple(prefix_path), ())))


def flags_for(path: tuple[str, ...] | list[str]) -> tuple[Flag, ...]:
    """All flags (including ``--help``) of a typed or canonical command path.

    ``flags_for(())`` gives docker's global options.  Unknown paths give ``()``
    so a completer can call this on half-typed input without guarding.
    """
    spec = lookup(path)
    return () if spec is None else spec.all_flags


def describe(path: tuple[str, ...] | list[str]) -> str | None:
    """One-line description of a typed or canonical command path, or None."""
    spec = lookup(path)
    return None if spec is None else spec.description
