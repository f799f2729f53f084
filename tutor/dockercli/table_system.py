"""docker volume, network, system and context commands, and the top-level
inspect, version and help (Docker CLI 28)."""

from __future__ import annotations

from .flagsets import (
    CONTEXT_ENDPOINT_FLAGS,
    DRIVER_OPTS,
    FILTER_F,
    FILTER_UNTIL,
    FORCE_NO_PROMPT,
    FORMAT,
    FORMAT_F,
    LINK,
    VOLUME_AVAILABILITY,
)
from .spec import CommandSpec, _b, _cmd, _m, _v

SYSTEM_COMMANDS: tuple[CommandSpec, ...] = (
    # --- volume ---
    _cmd(("volume", "create"), "Create a volume", "[VOLUME]",
         args=(0, 1),
         flags=(
             VOLUME_AVAILABILITY,
             _v("driver", "d", 'Specify volume driver name (default "local")'),
             _v("group", "", "Cluster Volume group (cluster volumes)"),
             _m("label", "", "Set metadata for a volume"),
             _v("limit-bytes", "", "Minimum size of the Cluster Volume in bytes"),
             DRIVER_OPTS,
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
             FORMAT_F,
         )),

    _cmd(("volume", "ls"), "List volumes", "",
         aliases=(("volume", "list"),),
         flags=(
             _b("cluster", "", "Display only cluster volumes, and use cluster volume list formatting"),
             _m("filter", "f", 'Provide filter values (e.g. "dangling=true")'),
             FORMAT,
             _b("quiet", "q", "Only display volume names"),
         )),

    _cmd(("volume", "prune"), "Remove unused local volumes", "",
         flags=(
             _b("all", "a", "Remove all unused volumes, not just anonymous ones"),
             _m("filter", "", 'Provide filter values (e.g. "label=<label>")'),
             FORCE_NO_PROMPT,
         )),

    _cmd(("volume", "rm"), "Remove one or more volumes", "VOLUME [VOLUME...]",
         args=(1, None), aliases=(("volume", "remove"),),
         flags=(
             _b("force", "f", "Force the removal of one or more volumes"),
         )),

    _cmd(("volume", "update"), "Update a volume (cluster volumes only)", "[VOLUME]",
         args=(1, 1),
         flags=(
             VOLUME_AVAILABILITY,
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
             LINK,
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
             DRIVER_OPTS,
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
             FORMAT_F,
             _b("verbose", "v", "Verbose output for diagnostics"),
         )),

    _cmd(("network", "ls"), "List networks", "",
         aliases=(("network", "list"),),
         flags=(
             _m("filter", "f", 'Provide filter values (e.g. "driver=bridge")'),
             FORMAT,
             _b("no-trunc", "", "Do not truncate the output"),
             _b("quiet", "q", "Only display network IDs"),
         )),

    _cmd(("network", "prune"), "Remove all unused networks", "",
         flags=(
             FILTER_UNTIL,
             FORCE_NO_PROMPT,
         )),

    _cmd(("network", "rm"), "Remove one or more networks", "NETWORK [NETWORK...]",
         args=(1, None), aliases=(("network", "remove"),),
         flags=(
             _b("force", "f", "Do not error if the network does not exist"),
         )),

    # --- system ---
    _cmd(("system", "df"), "Show docker disk usage", "",
         flags=(
             FORMAT,
             _b("verbose", "v", "Show detailed information on space usage"),
         )),

    _cmd(("system", "events"), "Get real time events from the server", "",
         aliases=(("events",),),
         flags=(
             FILTER_F,
             FORMAT,
             _v("since", "", "Show all events created since timestamp"),
             _v("until", "", "Stream events until this timestamp"),
         )),

    _cmd(("system", "info"), "Display system-wide information", "",
         aliases=(("info",),),
         flags=(
             FORMAT_F,
         )),

    _cmd(("system", "prune"), "Remove unused data", "",
         flags=(
             _b("all", "a", "Remove all unused images not just dangling ones"),
             _m("filter", "", 'Provide filter values (e.g. "label=<key>=<value>")'),
             FORCE_NO_PROMPT,
             _b("volumes", "", "Prune anonymous volumes"),
         )),

    # --- context ---
    _cmd(("context", "create"), "Create a context", "CONTEXT",
         args=(1, 1),
         flags=(
             *CONTEXT_ENDPOINT_FLAGS,
             _v("from", "", "Create context from a named context"),
         )),

    _cmd(("context", "export"), "Export a context to a tar archive FILE or a tar stream on STDOUT", "CONTEXT [FILE|-]",
         args=(1, 2)),

    _cmd(("context", "import"), "Import a context from a tar or zip file", "CONTEXT FILE|-",
         args=(2, 2)),

    _cmd(("context", "inspect"), "Display detailed information on one or more contexts", "[CONTEXT] [CONTEXT...]",
         args=(0, None),
         flags=(
             FORMAT_F,
         )),

    _cmd(("context", "ls"), "List contexts", "",
         aliases=(("context", "list"),),
         flags=(
             FORMAT,
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
         flags=CONTEXT_ENDPOINT_FLAGS),

    _cmd(("context", "use"), "Set the current docker context", "CONTEXT",
         args=(1, 1)),

    _cmd(("version",), "Show the Docker version information", "",
         flags=(
             FORMAT_F,
         )),

    _cmd(("inspect",), "Return low-level information on Docker objects", "NAME|ID [NAME|ID...]",
         args=(1, None),
         flags=(
             FORMAT_F,
             _b("size", "s", "Display total file sizes if the type is container"),
             _v("type", "", "Only inspect objects of the given type"),
         )),

    _cmd(("help",), "Help about any command", "[command]", args=(0, None)),
)
