"""Set up Odoo 19 under .local/ when this Python cannot import it.

One step after another, each printed as it starts and each skipped when a previous run
did it already (a second run reuses everything):

1. a virtual environment, .local/venv;
2. Odoo 19.0 Community from its official source repository (a shallow clone of branch
   19.0 into .local/odoo), or from ``ODOO_SOURCE``: another git URL or local repository
   (cloned the same way), or a local directory holding an Odoo tree (used in place);
3. Odoo's requirements.txt, with the build constraints it needs (``setuptools<70``: some of
   its pinned packages do not build with newer ones on Python 3.11/3.12);
4. Odoo itself, installed in development mode (``pip install -e``);
5. what the addon and its tests need beyond Odoo.

System packages cannot come from pip: the missing ones are named with the exact command
that installs them, and installed by this script only when it runs as root where
``apt-get`` exists. Odoo is never vendored or committed: .local/ is ignored by git.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

OFFICIAL_SOURCE = "https://github.com/odoo/odoo.git"
BRANCH = "19.0"
BUILD_CONSTRAINTS = "setuptools<70\n"
ADDON_REQUIREMENTS = ("phonenumbers", "twilio", "requests", "pytest", "pytest-odoo", "websocket-client", "freezegun")


@dataclass(frozen=True)
class Source:
    """Where Odoo comes from: ``kind`` is "git" (cloned) or "tree" (used in place)."""

    kind: str
    location: str


@dataclass(frozen=True)
class SystemPackage:
    """A system package Odoo needs, how to tell it is here, and what it is for."""

    name: str  # the Debian/Ubuntu package
    purpose: str
    needed_for: str  # "install" (nothing works without it) or "tours"


def resolve_source(value=None):
    """The source named by ``ODOO_SOURCE`` (``value``), else the official repository."""
    value = (value or "").strip()
    if not value:
        return Source("git", OFFICIAL_SOURCE)
    path = Path(value).expanduser()
    if path.is_dir():
        if (path / ".git").exists() or ((path / "HEAD").is_file() and (path / "objects").is_dir()):
            return Source("git", str(path.resolve()))  # a checkout or a bare repository
        if (path / "odoo" / "release.py").is_file():
            return Source("tree", str(path.resolve()))
        raise SystemExit(f"ODOO_SOURCE={value}: this directory is neither a git repository nor an Odoo tree "
                         "(no odoo/release.py in it).")
    if "://" in value or value.startswith("git@") or value.endswith(".git"):
        return Source("git", value)
    raise SystemExit(f"ODOO_SOURCE={value}: no such directory, and not a git URL.")


def missing_system_packages(which=shutil.which, exists=os.path.exists, pg_bindir=None, building=True):
    """The system packages that are not here, in the order they matter; the headers only
    while Odoo's requirements are still to be built (``building``)."""
    missing = []
    if not pg_bindir:
        missing.append(SystemPackage("postgresql", "the PostgreSQL server (initdb, pg_ctl) the demo and tests run on",
                                     "install"))
    if building:
        missing += _missing_headers(which, exists)
    if not (which("chromium") or which("chromium-browser") or which("google-chrome")):
        missing.append(SystemPackage("chromium", "the headless browser the tours (UI tests) run in", "tours"))
    return missing


def _missing_headers(which, exists):
    missing = []
    if not which("pg_config"):
        missing.append(SystemPackage("libpq-dev", "PostgreSQL's client headers, to build psycopg2", "install"))
    if not exists("/usr/include/ldap.h"):
        missing.append(SystemPackage("libldap2-dev", "LDAP headers, to build python-ldap", "install"))
    if not exists("/usr/include/sasl/sasl.h"):
        missing.append(SystemPackage("libsasl2-dev", "SASL headers, to build python-ldap", "install"))
    return missing


def install_command(packages):
    return "apt-get update && apt-get install -y " + " ".join(package.name for package in packages)


class Bootstrap:
    """Odoo 19 in .local/, step by step. ``run`` executes a command (a list) and returns
    its exit code; ``say`` prints a line."""

    STEPS = 5

    def __init__(self, local, source, *, say=print, run=None, python=sys.executable):
        self.local = Path(local)
        self.source = source
        self.say = say
        self.run = run or (lambda cmd, **kwargs: subprocess.run(cmd, check=False, **kwargs).returncode)
        self.python = python
        self.venv = self.local / "venv"
        self.venv_python = self.venv / "bin" / "python"
        self.tree = Path(source.location) if source.kind == "tree" else self.local / "odoo"

    def step(self, number, text):
        self.say(f"bootstrap {number}/{self.STEPS}: {text}")

    def check(self, cmd, what, **kwargs):
        code = self.run([str(part) for part in cmd], **kwargs)
        if code:
            raise SystemExit(f"bootstrap failed while {what} (exit code {code}); run again once fixed: "
                             "the steps already done are kept.")

    def marker(self, name, content):
        """True when step ``name`` was done with the same ``content``."""
        path = self.local / f"bootstrap-{name}.done"
        return path.exists() and path.read_text() == content

    def mark(self, name, content):
        (self.local / f"bootstrap-{name}.done").write_text(content)

    def system_packages(self, pg_bindir, *, is_root=None, which=shutil.which, exists=os.path.exists):
        """Name what is missing; install it when running as root with apt-get. Returns
        what is still missing for the install (an empty list: go on)."""
        building = not (self.local / "bootstrap-requirements.done").exists()
        missing = missing_system_packages(which=which, exists=exists, pg_bindir=pg_bindir, building=building)
        if not missing:
            return []
        is_root = (os.geteuid() == 0) if is_root is None else is_root
        if is_root and which("apt-get"):
            self.say("installing system packages: " + ", ".join(f"{p.name} ({p.purpose})" for p in missing))
            code = self.run(["sh", "-c", install_command(missing)], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            if not code:
                return []
        for package in missing:
            self.say(f"missing: {package.purpose} ({package.name})")
        self.say(f"install with: {install_command(missing)}")
        return [package for package in missing if package.needed_for == "install"]

    def ensure(self):
        """Run the steps not done yet; returns the Python that imports Odoo."""
        self.local.mkdir(parents=True, exist_ok=True)
        self._venv()
        self._source()
        self._requirements()
        self._odoo()
        self._addon()
        return self.venv_python

    def _venv(self):
        if self.venv_python.exists():
            self.step(1, f"virtual environment {self.venv} (kept)")
        else:
            self.step(1, f"creating a virtual environment in {self.venv}")
            self.check([self.python, "-m", "venv", self.venv], "creating the virtual environment")

    def _source(self):
        if self.source.kind == "tree":
            self.step(2, f"Odoo from the tree {self.tree} (used in place)")
        elif (self.tree / "odoo" / "release.py").is_file():
            self.step(2, f"Odoo {BRANCH} in {self.tree} (kept)")
        else:
            self.step(2, f"cloning Odoo {BRANCH} from {self.source.location} (shallow) into {self.tree}")
            if self.tree.exists():  # an interrupted clone
                shutil.rmtree(self.tree)
            # a local repository is named by a file:// URL, or git ignores --depth
            url = Path(self.source.location).as_uri() if Path(self.source.location).is_absolute() else self.source.location
            self.check(["git", "clone", "--depth", "1", "--branch", BRANCH, "--single-branch", url, self.tree],
                       f"cloning {self.source.location}")

    def _requirements(self):
        requirements = self.tree / "requirements.txt"
        content = hashlib.sha256(requirements.read_bytes()).hexdigest() if requirements.exists() else "none"
        if self.marker("requirements", content):
            self.step(3, "Odoo's requirements (kept)")
        else:
            self.step(3, "installing Odoo's requirements (several minutes the first time)")
            constraints = self.local / "build-constraints.txt"
            constraints.write_text(BUILD_CONSTRAINTS)
            env = {**os.environ, "PIP_CONSTRAINT": str(constraints)}
            self.check([self.venv_python, "-m", "pip", "install", "-q", "wheel", "setuptools<70"], "installing wheel",
                       env=env)
            if requirements.exists():
                self.check([self.venv_python, "-m", "pip", "install", "-q", "-r", requirements],
                           "installing Odoo's requirements", env=env)
            self.mark("requirements", content)

    def _odoo(self):
        if self.marker("odoo", str(self.tree)):
            self.step(4, "Odoo installed in the virtual environment (kept)")
        else:
            self.step(4, f"installing Odoo from {self.tree} in development mode")
            self.check([self.venv_python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e",
                        self.tree], "installing Odoo")
            self.mark("odoo", str(self.tree))

    def _addon(self):
        wanted = " ".join(ADDON_REQUIREMENTS)
        if self.marker("addon", wanted):
            self.step(5, "the addon's own dependencies (kept)")
        else:
            self.step(5, "installing the addon's own dependencies: " + wanted)
            self.check([self.venv_python, "-m", "pip", "install", "-q", *ADDON_REQUIREMENTS],
                       "installing the addon's dependencies")
            self.mark("addon", wanted)
