"""docker container ...: the container commands and their flags (Docker CLI 28)."""

from __future__ import annotations

from .flagsets import (
    ALL_CONTAINERS,
    BLKIO_WEIGHT,
    CHANGE,
    CONTAINER_CONFIG_FLAGS,
    CPU_PERIOD,
    CPU_QUOTA,
    CPU_SHARES,
    CPUS,
    CPUSET_FLAGS,
    DETACH_KEYS,
    DETACH_RUN,
    ENV,
    ENV_FILE,
    FILTER_F,
    FILTER_UNTIL,
    FOLLOW,
    FORCE_NO_PROMPT,
    FORMAT,
    FORMAT_F,
    INTERACTIVE,
    MEMORY,
    MEMORY_RESERVATION,
    MEMORY_SWAP,
    NO_TRUNC,
    OUTPUT_FILE,
    PIDS_LIMIT,
    SIGNAL,
    SIZE,
    STOP_FLAGS,
    TIMESTAMPS,
    TTY,
    WORKDIR,
)
from .spec import CommandSpec, _b, _cmd, _v

CONTAINER_COMMANDS: tuple[CommandSpec, ...] = (
    # --- container ---
    _cmd(("container", "attach"), "Attach local standard input, output, and error streams to a running container", "CONTAINER",
         args=(1, 1), aliases=(("attach",),),
         flags=(
             DETACH_KEYS,
             _b("no-stdin", "", "Do not attach STDIN"),
             _b("sig-proxy", "", "Proxy all received signals to the process (default true)"),
         )),

    _cmd(("container", "commit"), "Create a new image from a container's changes", "CONTAINER [REPOSITORY[:TAG]]",
         args=(1, 2), aliases=(("commit",),), interspersed=False,
         flags=(
             _v("author", "a", 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")'),
             CHANGE,
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
         flags=CONTAINER_CONFIG_FLAGS),

    _cmd(("container", "diff"), "Inspect changes to files or directories on a container's filesystem", "CONTAINER",
         args=(1, 1), aliases=(("diff",),)),

    _cmd(("container", "exec"), "Execute a command in a running container", "CONTAINER COMMAND [ARG...]",
         args=(2, None), aliases=(("exec",),), interspersed=False,
         flags=(
             _b("detach", "d", "Detached mode: run command in the background"),
             DETACH_KEYS,
             ENV,
             ENV_FILE,
             INTERACTIVE,
             _b("privileged", "", "Give extended privileges to the command"),
             TTY,
             _v("user", "u", 'Username or UID (format: "<name|uid>[:<group|gid>]")'),
             WORKDIR,
         )),

    _cmd(("container", "export"), "Export a container's filesystem as a tar archive", "CONTAINER",
         args=(1, 1), aliases=(("export",),),
         flags=(
             OUTPUT_FILE,
         )),

    _cmd(("container", "inspect"), "Display detailed information on one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None),
         flags=(
             FORMAT_F,
             SIZE,
         )),

    _cmd(("container", "kill"), "Kill one or more running containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("kill",),),
         flags=(
             SIGNAL,
         )),

    _cmd(("container", "logs"), "Fetch the logs of a container", "CONTAINER",
         args=(1, 1), aliases=(("logs",),),
         flags=(
             _b("details", "", "Show extra details provided to logs"),
             FOLLOW,
             _v("since", "", "Show logs since a timestamp (2013-01-02T13:23:37Z) or relative time (42m)"),
             _v("tail", "n", 'Number of lines to show from the end of the logs (default "all")'),
             TIMESTAMPS,
             _v("until", "", "Show logs before a timestamp (2013-01-02T13:23:37Z) or relative time (42m)"),
         )),

    _cmd(("container", "ls"), "List containers", "",
         aliases=(("container", "list"), ("container", "ps"), ("ps",)),
         flags=(
             ALL_CONTAINERS,
             FILTER_F,
             FORMAT,
             _v("last", "n", "Show n last created containers (includes all states)"),
             _b("latest", "l", "Show the latest created container (includes all states)"),
             NO_TRUNC,
             _b("quiet", "q", "Only display container IDs"),
             SIZE,
         )),

    _cmd(("container", "pause"), "Pause all processes within one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("pause",),)),

    _cmd(("container", "port"), "List port mappings or a specific mapping for the container", "CONTAINER [PRIVATE_PORT[/PROTO]]",
         args=(1, 2), aliases=(("port",),)),

    _cmd(("container", "prune"), "Remove all stopped containers", "",
         flags=(
             FILTER_UNTIL,
             FORCE_NO_PROMPT,
         )),

    _cmd(("container", "rename"), "Rename a container", "CONTAINER NEW_NAME",
         args=(2, 2), aliases=(("rename",),)),

    _cmd(("container", "restart"), "Restart one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("restart",),),
         flags=STOP_FLAGS),

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
             *CONTAINER_CONFIG_FLAGS,
             DETACH_RUN,
             DETACH_KEYS,
             _b("sig-proxy", "", "Proxy received signals to the process (default true)"),
         )),

    _cmd(("container", "start"), "Start one or more stopped containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("start",),),
         flags=(
             _b("attach", "a", "Attach STDOUT/STDERR and forward signals"),
             _v("checkpoint", "", "Restore from this checkpoint"),
             _v("checkpoint-dir", "", "Use a custom checkpoint storage directory"),
             DETACH_KEYS,
             _b("interactive", "i", "Attach container's STDIN"),
         )),

    _cmd(("container", "stats"), "Display a live stream of container(s) resource usage statistics", "[CONTAINER...]",
         args=(0, None), aliases=(("stats",),),
         flags=(
             ALL_CONTAINERS,
             FORMAT,
             _b("no-stream", "", "Disable streaming stats and only pull the first result"),
             _b("no-trunc", "", "Do not truncate output"),
         )),

    _cmd(("container", "stop"), "Stop one or more running containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("stop",),),
         flags=STOP_FLAGS),

    _cmd(("container", "top"), "Display the running processes of a container", "CONTAINER [ps OPTIONS]",
         args=(1, None), aliases=(("top",),), interspersed=False),

    _cmd(("container", "unpause"), "Unpause all processes within one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("unpause",),)),

    _cmd(("container", "update"), "Update configuration of one or more containers", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("update",),),
         flags=(
             BLKIO_WEIGHT,
             CPU_PERIOD,
             CPU_QUOTA,
             _v("cpu-rt-period", "", "Limit the CPU real-time period in microseconds"),
             _v("cpu-rt-runtime", "", "Limit the CPU real-time runtime in microseconds"),
             CPU_SHARES,
             CPUS,
             *CPUSET_FLAGS,
             MEMORY,
             MEMORY_RESERVATION,
             MEMORY_SWAP,
             PIDS_LIMIT,
             _v("restart", "", "Restart policy to apply when a container exits"),
         )),

    _cmd(("container", "wait"), "Block until one or more containers stop, then print their exit codes", "CONTAINER [CONTAINER...]",
         args=(1, None), aliases=(("wait",),)),
)
