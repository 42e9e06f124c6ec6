"""The set-up of Odoo under .local/ (scripts/bootstrap.py), on a local git repository that
stands in for Odoo's source: real clones, the pip and venv commands recorded."""

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import bootstrap


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def odoo_repo(tmp_path):
    """A git repository shaped like Odoo's (branch 19.0 with odoo/release.py and a
    requirements.txt), and a 'master' branch that must not be the one cloned."""
    repo = tmp_path / "odoo-src"
    (repo / "odoo").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "master")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / "odoo" / "release.py").write_text("version_info = (18, 0, 0, 'final', 0, '')\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "18")
    git(repo, "checkout", "-q", "-b", "19.0")
    (repo / "odoo" / "release.py").write_text("version_info = (19, 0, 0, 'final', 0, '')\n")
    (repo / "requirements.txt").write_text("requests\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "19")
    git(repo, "checkout", "-q", "master")
    return repo


class Recorder:
    """Runs git for real; records pip and venv commands, creating the venv's python."""

    def __init__(self, fail_on=None):
        self.commands, self.fail_on = [], fail_on

    def __call__(self, cmd, **kwargs):
        self.commands.append(cmd)
        if self.fail_on and self.fail_on in cmd:
            return 1
        if cmd[0] == "git":
            return subprocess.run(cmd, check=False, capture_output=True).returncode
        if cmd[1:3] == ["-m", "venv"]:
            python = Path(cmd[3]) / "bin" / "python"
            python.parent.mkdir(parents=True)
            python.write_text("")
        return 0


def run_bootstrap(local, source, recorder):
    lines = []
    python = bootstrap.Bootstrap(local, source, say=lines.append, run=recorder).ensure()
    return python, lines


def test_source_resolution(tmp_path, odoo_repo):
    assert bootstrap.resolve_source(None) == bootstrap.Source("git", "https://github.com/odoo/odoo.git")
    assert bootstrap.resolve_source("  ") == bootstrap.Source("git", "https://github.com/odoo/odoo.git")
    assert bootstrap.resolve_source("https://git.example.com/odoo.git").kind == "git"
    assert bootstrap.resolve_source("git@example.com:me/odoo") == bootstrap.Source("git", "git@example.com:me/odoo")
    assert bootstrap.resolve_source(str(odoo_repo)) == bootstrap.Source("git", str(odoo_repo))
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(odoo_repo), str(bare))
    assert bootstrap.resolve_source(str(bare)) == bootstrap.Source("git", str(bare))
    tree = tmp_path / "tree"
    (tree / "odoo").mkdir(parents=True)
    (tree / "odoo" / "release.py").write_text("")
    assert bootstrap.resolve_source(str(tree)) == bootstrap.Source("tree", str(tree))
    with pytest.raises(SystemExit, match="neither a git repository nor an Odoo tree"):
        bootstrap.resolve_source(str(tmp_path / "tree" / "odoo"))
    with pytest.raises(SystemExit, match="no such directory, and not a git URL"):
        bootstrap.resolve_source("odoo-somewhere")


def test_first_run_clones_branch_19_and_installs_then_second_run_reuses_everything(tmp_path, odoo_repo):
    local = tmp_path / ".local"
    recorder = Recorder()
    python, lines = run_bootstrap(local, bootstrap.resolve_source(str(odoo_repo)), recorder)
    assert python == local / "venv" / "bin" / "python"
    assert "(19, 0, 0" in (local / "odoo" / "odoo" / "release.py").read_text(), "branch 19.0, not the default"
    assert subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=local / "odoo", capture_output=True,
                          text=True, check=True).stdout.strip() == "1", "a shallow clone"
    kinds = [" ".join(cmd[1:4]) if cmd[0] != "git" else "git clone" for cmd in recorder.commands]
    assert kinds == ["-m venv " + str(local / "venv"), "git clone", "-m pip install", "-m pip install",
                     "-m pip install", "-m pip install"]
    assert recorder.commands[3][-2:] == ["-r", str(local / "odoo" / "requirements.txt")]
    assert recorder.commands[4][-2:] == ["-e", str(local / "odoo")]
    assert [line.split(":")[0] for line in lines] == [f"bootstrap {n}/5" for n in range(1, 6)]
    assert (local / "build-constraints.txt").read_text() == "setuptools<70\n"

    again = Recorder()
    _python, lines = run_bootstrap(local, bootstrap.resolve_source(str(odoo_repo)), again)
    assert again.commands == []
    assert all(line.endswith("(kept)") or "(kept)" in line for line in lines), lines


def test_changed_requirements_are_installed_again_and_nothing_else(tmp_path, odoo_repo):
    local = tmp_path / ".local"
    run_bootstrap(local, bootstrap.resolve_source(str(odoo_repo)), Recorder())
    (local / "odoo" / "requirements.txt").write_text("requests\nlxml\n")
    again = Recorder()
    run_bootstrap(local, bootstrap.resolve_source(str(odoo_repo)), again)
    assert again.commands[-1][-2:] == ["-r", str(local / "odoo" / "requirements.txt")]
    assert len(again.commands) == 2, "wheel, then the requirements; no venv, clone or other install"


def test_a_failed_step_says_which_and_the_next_run_resumes_there(tmp_path, odoo_repo):
    local = tmp_path / ".local"
    with pytest.raises(SystemExit, match="while installing Odoo's requirements"):
        run_bootstrap(local, bootstrap.resolve_source(str(odoo_repo)), Recorder(fail_on="-r"))
    resumed = Recorder()
    run_bootstrap(local, bootstrap.resolve_source(str(odoo_repo)), resumed)
    assert not any(cmd[0] == "git" or "venv" in cmd for cmd in resumed.commands), "clone and venv kept"
    assert any("-r" in cmd for cmd in resumed.commands)


def test_a_local_tree_is_used_in_place(tmp_path):
    tree = tmp_path / "odoo-tree"
    (tree / "odoo").mkdir(parents=True)
    (tree / "odoo" / "release.py").write_text("")
    local = tmp_path / ".local"
    recorder = Recorder()
    run_bootstrap(local, bootstrap.resolve_source(str(tree)), recorder)
    assert not (local / "odoo").exists()
    assert not any(cmd[0] == "git" for cmd in recorder.commands)
    assert any(cmd[-2:] == ["-e", str(tree)] for cmd in recorder.commands)


def test_missing_system_packages_are_named_with_the_command_that_installs_them(tmp_path):
    lines, runs = [], []
    boot = bootstrap.Bootstrap(tmp_path, bootstrap.Source("git", "x"), say=lines.append,
                               run=lambda cmd, **kw: runs.append(cmd) or 0)
    nothing = {"which": lambda name: None, "exists": lambda path: False}
    blocking = boot.system_packages(None, is_root=False, **nothing)
    assert [p.name for p in blocking] == ["postgresql", "libpq-dev", "libldap2-dev", "libsasl2-dev"]
    assert lines[-1] == "install with: apt-get update && apt-get install -y postgresql libpq-dev libldap2-dev " \
                        "libsasl2-dev chromium"
    assert any("headless browser" in line for line in lines)
    assert runs == [], "not root: nothing installed"

    # only the browser missing: said, but the set-up goes on
    lines.clear()
    only_browser = {"which": lambda name: None if name.startswith(("chrom", "google")) else "/usr/bin/" + name,
                    "exists": lambda path: True}
    assert boot.system_packages("/usr/lib/postgresql/15/bin", is_root=False, **only_browser) == []
    assert lines[-1] == "install with: apt-get update && apt-get install -y chromium"

    # as root where apt-get exists: installed
    lines.clear()
    with_apt = {"which": lambda name: "/usr/bin/apt-get" if name == "apt-get" else None, "exists": lambda path: False}
    assert boot.system_packages(None, is_root=True, **with_apt) == []
    assert runs == [["sh", "-c", "apt-get update && apt-get install -y postgresql libpq-dev libldap2-dev libsasl2-dev "
                                 "chromium"]]


def test_headers_are_not_asked_for_once_the_requirements_are_built(tmp_path):
    (tmp_path / "bootstrap-requirements.done").write_text("x")
    lines = []
    boot = bootstrap.Bootstrap(tmp_path, bootstrap.Source("git", "x"), say=lines.append, run=lambda cmd, **kw: 0)
    present = {"which": lambda name: "/usr/bin/" + name if name != "pg_config" else None, "exists": lambda path: False}
    assert boot.system_packages("/usr/lib/postgresql/15/bin", is_root=False, **present) == []
    assert lines == []
