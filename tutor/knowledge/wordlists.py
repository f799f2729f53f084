"""How the tutor reads a learner's question (``tutor.knowledge.words``): the word lists.
Data, not code: add a short form or a learner's spelling here.

Python, not YAML: the lessons' index is built in every session, and a YAML file would
bring PyYAML and its parse (about 1.2 MiB) into a session that, its lessons read from
the parse cache, needs neither.
"""

# Words that say nothing about what a question is about. They are neither searched
# nor counted when the tutor judges whether the lessons answer a question.
_STOP_WORDS = """
    a an the and or but if then else so than too very just also only even i im ive id me my
    mine we our you your youre u ur he she it its they them their this that these those
    there here what whats wat wht which who whom whose when where why how hows whether is
    isnt are arent am was wasnt were be been being r do does doesnt did didnt dont done
    doing have has hasnt had having can cant cannot could couldnt will wont would wouldnt
    shall should shouldnt may might must need needs want wants wanna gonna get gets got
    getting make makes made use used using work works happen happens mean means meaning to 2
    of in on at by for with without from into onto about as like some any all each every no
    not yes more most other another such same again up out off over under after before while
    during way ways thing things stuff one ones s t d ll re ve m o e g eg ie etc ok okay
    please pls plz thanks thank hi hello hey help explain tell know difference different
    differ diff vs versus compare compared comparison between btw betwen exactly actually
    really basically anyway kind sort give gives go goes going put try many much purpose
    reason say says call called now besides instead right possible good better best problem
    problems issue issues people someone somebody anyone everyone today
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Short forms, other names and learner spellings. The word on the left is also
# searched as each entry on the right (an entry may be several words).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "img": ("image",),
    "imgs": ("image",),
    "imge": ("image",),
    "ctr": ("container",),
    "ctrs": ("container",),
    "cntr": ("container",),
    "ctnr": ("container",),
    "vm": ("vms", "virtual machine"),
    "vms": ("vm", "virtual machine"),
    "small": ("mini", "tiny", "light"),
    "mini": ("small",),
    "lightweight": ("light",),
    "machine": ("host",),
    "host": ("machine",),
    "repo": ("repository",),
    "repos": ("repository",),
    "reg": ("registry",),
    "k8s": ("kubernetes",),
    "kube": ("kubernetes",),
    "env": ("environment",),
    "envvar": ("environment variable",),
    "dir": ("folder", "directory"),
    "directory": ("folder",),
    "folder": ("directory",),
    "config": ("configuration",),
    "cfg": ("configuration",),
    "db": ("database",),
    "creds": ("credentials", "login"),
    "password": ("secrets", "credentials"),
    "passwords": ("secrets", "credentials"),
    "prod": ("production",),
    "dev": ("development",),
    "app": ("application",),
    "apps": ("application",),
    "deamon": ("daemon",),
    "demon": ("daemon",),
    "daemon": ("dockerd",),
    "dockerd": ("daemon",),
    "delete": ("remove", "rm"),
    "deleting": ("remove", "rm"),
    "erase": ("remove", "rm"),
    "remove": ("rm", "delete"),
    "control": ("drive", "manage"),
    "kill": ("stop",),
    "stop": ("exit",),
    "exit": ("stop",),
    "see": ("list", "show"),
    "show": ("list", "see"),
    "view": ("see", "list", "show"),
    "list": ("show", "see"),
    "find": ("list", "see"),
    "download": ("pull",),
    "upload": ("push",),
    "logs": ("log",),
    "log": ("logs",),
    "mac": ("macos",),
    "osx": ("macos",),
    "win": ("windows",),
    "port": ("publish",),
    "ports": ("publish",),
    "name": ("reference",),
    "background": ("detach", "-d"),
    "shell": ("sh",),
    "ssh": ("shell", "exec"),
    "untagged": ("dangling", "none"),
    "unnamed": ("dangling", "none"),
    "nameless": ("dangling", "none"),
}

# Phrases read as one word before anything else (both in lessons and in questions).
PHRASES: dict[str, str] = {
    "the point of": "",
    "instead of": "prefer over",
    "rather than": "prefer over",
    "should i use": "prefer",
    "when to use": "prefer",
    "which is better": "prefer",
    "full name": "fully qualified name",
    "log in": "login",
    "log into": "login",
    "logged in": "login",
    "sign in": "login",
    "signed in": "login",
    "docker file": "dockerfile",
    "docker files": "dockerfile",
    "docker ignore": "dockerignore",
    "port forwarding": "port publishing",
    "port forward": "port publishing",
    "forward a port": "publish a port",
    "port mapping": "port publishing",
    "map a port": "publish a port",
    "multi arch": "multi-arch",
    "multiarch": "multi-arch",
    "multi platform": "multi-arch",
}
