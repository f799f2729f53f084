"""Flags that several docker commands share, defined once.

A row that appears in two commands' ``--help`` with the same spelling and
meaning is a constant here; the ``table_*`` modules use it by name.  Flags are
immutable named tuples, so sharing one object between commands is safe.
"""

from __future__ import annotations

from .spec import Flag, _b, _m, _v

# Output and listing
FORMAT = _v("format", "", "Format output: 'table', 'table TEMPLATE', 'json' or a Go template")
FORMAT_F = _v("format", "f", "Format output: 'json' or a Go template")
FILTER_F = _m("filter", "f", "Filter output based on conditions provided")
FILTER_UNTIL = _m("filter", "", 'Provide filter values (e.g. "until=<timestamp>")')
NO_TRUNC = _b("no-trunc", "", "Don't truncate output")
SIZE = _b("size", "s", "Display total file sizes")
QUIET_VERBOSE = _b("quiet", "q", "Suppress verbose output")
QUIET_IMAGE_IDS = _b("quiet", "q", "Only show image IDs")
ALL_CONTAINERS = _b("all", "a", "Show all containers (default shows just running)")
OUTPUT_FILE = _v("output", "o", "Write to a file, instead of STDOUT")
FORCE_NO_PROMPT = _b("force", "f", "Do not prompt for confirmation")

# Logs (docker logs, docker compose logs)
FOLLOW = _b("follow", "f", "Follow log output")
TIMESTAMPS = _b("timestamps", "t", "Show timestamps")

# Running and stopping containers
CAP_ADD = _m("cap-add", "", "Add Linux capabilities")
CAP_DROP = _m("cap-drop", "", "Drop Linux capabilities")
DETACH_RUN = _b("detach", "d", "Run container in background and print container ID")
NAME = _v("name", "", "Assign a name to the container")
PUBLISH = _m("publish", "p", "Publish a container's port(s) to the host")
VOLUME = _m("volume", "v", "Bind mount a volume")
DETACH_KEYS = _v("detach-keys", "", "Override the key sequence for detaching a container")
ENV = _m("env", "e", "Set environment variables")
ENV_FILE = _m("env-file", "", "Read in a file of environment variables")
INTERACTIVE = _b("interactive", "i", "Keep STDIN open even if not attached")
TTY = _b("tty", "t", "Allocate a pseudo-TTY")
WORKDIR = _v("workdir", "w", "Working directory inside the container")
LINK = _m("link", "", "Add link to another container")
SIGNAL = _v("signal", "s", "Signal to send to the container")
STOP_TIMEOUT = _v("timeout", "t", "Seconds to wait before killing the container", "time")
# docker stop and docker restart take the same flags.
STOP_FLAGS: tuple[Flag, ...] = (SIGNAL, STOP_TIMEOUT)

# Resource limits (docker run/create, update, build)
BLKIO_WEIGHT = _v("blkio-weight", "", "Block IO (relative weight), between 10 and 1000, or 0 to disable")
CPU_PERIOD = _v("cpu-period", "", "Limit CPU CFS (Completely Fair Scheduler) period")
CPU_QUOTA = _v("cpu-quota", "", "Limit CPU CFS (Completely Fair Scheduler) quota")
CPU_SHARES = _v("cpu-shares", "c", "CPU shares (relative weight)")
CPUS = _v("cpus", "", "Number of CPUs")
CPUSET_CPUS = _v("cpuset-cpus", "", "CPUs in which to allow execution (0-3, 0,1)")
CPUSET_MEMS = _v("cpuset-mems", "", "MEMs in which to allow execution (0-3, 0,1)")
MEMORY = _v("memory", "m", "Memory limit")
MEMORY_RESERVATION = _v("memory-reservation", "", "Memory soft limit")
MEMORY_SWAP = _v("memory-swap", "", "Swap limit equal to memory plus swap: -1 to enable unlimited swap")
PIDS_LIMIT = _v("pids-limit", "", "Tune container pids limit (set -1 for unlimited)")
ULIMIT = _m("ulimit", "", "Ulimit options")
ISOLATION = _v("isolation", "", "Container isolation technology")
CPUSET_FLAGS: tuple[Flag, ...] = (CPUSET_CPUS, CPUSET_MEMS)

# Images
NO_CACHE = _b("no-cache", "", "Do not use cache when building the image")
PLATFORM = _v("platform", "", "Set platform if server is multi-platform capable")
DISABLE_CONTENT_TRUST = _b("disable-content-trust", "", "Skip image verification (default true)")
CHANGE = _m("change", "c", "Apply Dockerfile instruction to the created image")

# Volumes, networks, contexts
VOLUME_AVAILABILITY = _v("availability", "", 'Cluster Volume availability ("active", "pause", "drain") (default "active")')
DRIVER_OPTS = _m("opt", "o", "Set driver specific options")
CONTEXT_DESCRIPTION = _v("description", "", "Description of the context")
CONTEXT_DOCKER = _m("docker", "", "Set the docker endpoint")
# docker context create and docker context update: where the context points.
CONTEXT_ENDPOINT_FLAGS: tuple[Flag, ...] = (CONTEXT_DESCRIPTION, CONTEXT_DOCKER)

# docker create and docker run share these; run adds --detach & co.
CONTAINER_CONFIG_FLAGS: tuple[Flag, ...] = (
    _m("add-host", "", "Add a custom host-to-IP mapping (host:ip)"),
    _m("annotation", "", "Add an annotation to the container (passed through to the OCI runtime)"),
    _m("attach", "a", "Attach to STDIN, STDOUT or STDERR"),
    BLKIO_WEIGHT,
    _m("blkio-weight-device", "", "Block IO weight (relative device weight)"),
    CAP_ADD,
    CAP_DROP,
    _v("cgroup-parent", "", "Optional parent cgroup for the container"),
    _v("cgroupns", "", "Cgroup namespace to use (host|private)"),
    _v("cidfile", "", "Write the container ID to the file"),
    _v("cpu-count", "", "CPU count (Windows only)"),
    _v("cpu-percent", "", "CPU percent (Windows only)"),
    CPU_PERIOD,
    CPU_QUOTA,
    _v("cpu-rt-period", "", "Limit CPU real-time period in microseconds"),
    _v("cpu-rt-runtime", "", "Limit CPU real-time runtime in microseconds"),
    CPU_SHARES,
    CPUS,
    *CPUSET_FLAGS,
    _m("device", "", "Add a host device to the container"),
    _m("device-cgroup-rule", "", "Add a rule to the cgroup allowed devices list"),
    _m("device-read-bps", "", "Limit read rate (bytes per second) from a device"),
    _m("device-read-iops", "", "Limit read rate (IO per second) from a device"),
    _m("device-write-bps", "", "Limit write rate (bytes per second) to a device"),
    _m("device-write-iops", "", "Limit write rate (IO per second) to a device"),
    DISABLE_CONTENT_TRUST,
    _m("dns", "", "Set custom DNS servers"),
    _m("dns-option", "", "Set DNS options", "dns-opt"),
    _m("dns-search", "", "Set custom DNS search domains"),
    _v("domainname", "", "Container NIS domain name"),
    _v("entrypoint", "", "Overwrite the default ENTRYPOINT of the image"),
    ENV,
    ENV_FILE,
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
    INTERACTIVE,
    _v("io-maxbandwidth", "", "Maximum IO bandwidth limit for the system drive (Windows only)"),
    _v("io-maxiops", "", "Maximum IOps limit for the system drive (Windows only)"),
    _v("ip", "", "IPv4 address (e.g., 172.30.100.104)"),
    _v("ip6", "", "IPv6 address (e.g., 2001:db8::33)"),
    _v("ipc", "", "IPC mode to use"),
    ISOLATION,
    _v("kernel-memory", "", "Kernel memory limit"),
    _m("label", "l", "Set meta data on a container"),
    _m("label-file", "", "Read in a line delimited file of labels"),
    LINK,
    _m("link-local-ip", "", "Container IPv4/IPv6 link-local addresses"),
    _v("log-driver", "", "Logging driver for the container"),
    _m("log-opt", "", "Log driver options"),
    _v("mac-address", "", "Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
    MEMORY,
    MEMORY_RESERVATION,
    _v("memory-swap", "", "Swap limit equal to memory plus swap"),
    _v("memory-swappiness", "", "Tune container memory swappiness (0 to 100)"),
    _m("mount", "", "Attach a filesystem mount to the container"),
    NAME,
    _m("network", "", "Connect a container to a network", "net"),
    _m("network-alias", "", "Add network-scoped alias for the container", "net-alias"),
    _b("no-healthcheck", "", "Disable any container-specified HEALTHCHECK"),
    _b("oom-kill-disable", "", "Disable OOM Killer"),
    _v("oom-score-adj", "", "Tune host's OOM preferences (-1000 to 1000)"),
    _v("pid", "", "PID namespace to use"),
    PIDS_LIMIT,
    PLATFORM,
    _b("privileged", "", "Give extended privileges to this container"),
    PUBLISH,
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
    TTY,
    ULIMIT,
    _b("use-api-socket", "", "Bind mount Docker API socket and required auth"),
    _v("user", "u", "Username or UID (format: <name|uid>[:<group|gid>])"),
    _v("userns", "", "User namespace to use"),
    _v("uts", "", "UTS namespace to use"),
    VOLUME,
    _v("volume-driver", "", "Optional volume driver for the container"),
    _m("volumes-from", "", "Mount volumes from the specified container(s)"),
    WORKDIR,
)

# The flags of BUILD_FLAGS that only BuildKit (docker buildx build) knows; the
# classic builder, used when buildx is not installed, rejects them.
BUILDKIT_ONLY_BUILD_FLAGS: frozenset[str] = frozenset({
    "allow", "annotation", "attest", "build-context", "builder", "cache-to", "call",
    "check", "load", "metadata-file", "no-cache-filter", "output", "progress",
    "provenance", "push", "sbom", "secret", "ssh",
})

# docker build: the union of the classic builder's flags and BuildKit's
# (docker buildx build), because docker 23+ routes `docker build` to buildx
# when it is installed and learners copy examples written for either.
BUILD_FLAGS: tuple[Flag, ...] = (
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
    CPU_SHARES,
    *CPUSET_FLAGS,
    DISABLE_CONTENT_TRUST,
    _v("file", "f", 'Name of the Dockerfile (default: "PATH/Dockerfile")'),
    _b("force-rm", "", "Always remove intermediate containers"),
    _v("iidfile", "", "Write the image ID to a file"),
    ISOLATION,
    _m("label", "", "Set metadata for an image"),
    _b("load", "", 'Shorthand for "--output=type=docker"'),
    MEMORY,
    MEMORY_SWAP,
    _v("metadata-file", "", "Write build result metadata to a file"),
    _v("network", "", 'Set the networking mode for the "RUN" instructions during build'),
    NO_CACHE,
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
    ULIMIT,
)
