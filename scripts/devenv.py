#!/usr/bin/env python3
"""Run and test recruit_sms against Odoo 19 installed in this Python environment.

    python3 scripts/devenv.py run     # local PostgreSQL + demo database, Odoo on :8069
    python3 scripts/devenv.py test    # pure suite, then the Odoo suite when Odoo imports
    python3 scripts/devenv.py core-compare  # core's SMS and recruitment suites without, then with recruit_sms

Both start a PostgreSQL cluster of their own under .local/ (ignored by git) unless PGHOST
is set, in which case that server is used (with PGPORT, PGUSER, PGPASSWORD).
"""

import argparse
import contextlib
import glob
import http.client
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bootstrap import Bootstrap, resolve_source

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
ADDON = "recruit_sms"
# the addon and its bridge to the website's job pages (installs the website): what `run`
# serves, the Odoo suite tests and `pot` exports
ADDONS = (ADDON, "recruit_sms_website")
# pip name -> module it provides
PURE_DEPS = {"pytest": "pytest", "phonenumbers": "phonenumbers", "twilio": "twilio", "requests": "requests"}
ODOO_TEST_DEPS = {"pytest-odoo": "pytest_odoo", "websocket-client": "websocket", "freezegun": "freezegun"}
# core modules whose own suites must pass the same with recruit_sms installed as without it
CORE_MODULES = ("sms", "sms_twilio", "test_mail_sms", "mass_mailing_sms", "phone_validation", "hr_recruitment",
                "website_hr_recruitment")


def say(message):
    print(f"[{ADDON}] {message}", flush=True)


def fail(message, code=2):
    say(message)
    sys.exit(code)


def odoo_importable():
    """(True, None) when Odoo 19 imports, else (False, why)."""
    try:
        spec = importlib.util.find_spec("odoo.release")
    except (ImportError, ValueError) as error:
        return False, str(error)
    if spec is None:
        return False, "no module named 'odoo' in " + sys.executable
    from odoo import release

    if release.version_info[0] != 19:
        return False, f"Odoo {release.version} found, recruit_sms needs 19.0"
    return True, None


def bootstrap_odoo(command):
    """When Odoo 19 does not import here, set it up under .local/ and run ``command`` again
    with the Python that imports it. Returns only when that could not be done: ``run``
    and the commands that need Odoo stop, ``test`` goes on with the pure suite."""
    ok, why = odoo_importable()
    if ok or os.environ.get("RECRUIT_SMS_BOOTSTRAPPED"):
        return why
    say(f"Odoo 19 is not importable ({why}): setting it up under .local/ (ODOO_SOURCE names another source)")
    try:
        boot = Bootstrap(LOCAL, resolve_source(os.environ.get("ODOO_SOURCE")), say=say)
        if boot.system_packages(pg_bindir() if not os.environ.get("PGHOST") else "external"):
            raise SystemExit("install the system packages named above, then run again")
        python = boot.ensure()
    except SystemExit as error:
        message = f"Odoo could not be set up: {error}"
        if command != "test":
            fail(message)
        say(message)
        return message
    say(f"Odoo is set up; running `{command}` with {python}")
    os.execve(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]],
              {**os.environ, "RECRUIT_SMS_BOOTSTRAPPED": "1"})
    return None  # not reached


def pip_install(packages):
    missing = [name for name, module in packages.items() if importlib.util.find_spec(module) is None]
    if not missing:
        return
    say("installing test dependencies: " + " ".join(missing))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *missing], check=False)


# ----------------------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------------------

def pg_bindir():
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a folder of ours, reached on 127.0.0.1."""

    def __init__(self, path, port):
        self.path = Path(path)
        self.port = port
        self.bindir = pg_bindir()
        if not self.bindir:
            fail("PostgreSQL server binaries (initdb, pg_ctl) not found: install them, e.g. "
                 "`apt-get install postgresql` on Debian/Ubuntu, or set PGHOST to use a running server.")
        self.run_as = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self.run_as = "postgres"
            try:
                pwd.getpwnam(self.run_as)
            except KeyError:
                subprocess.run(["useradd", "--system", "--no-create-home", self.run_as], check=True)

    def _cmd(self, *args):
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        return cmd

    def start(self):
        self.path.mkdir(parents=True, exist_ok=True)
        if self.run_as:
            shutil.chown(self.path, self.run_as)
            os.chmod(self.path.parent, 0o755)
        data = self.path / "data"
        if not (data / "PG_VERSION").exists():
            subprocess.run(self._cmd("initdb", "-D", str(data), "-U", "odoo", "--auth=trust", "-E", "UTF8",
                                     "--locale=C.UTF-8"), check=True, stdout=subprocess.DEVNULL)
        options = f"-k {self.path} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(self._cmd("pg_ctl", "-D", str(data), "-l", str(self.path / "postgres.log"), "-o", options,
                                 "-w", "start"), check=True, stdout=subprocess.DEVNULL)
        return self

    def stop(self):
        subprocess.run(self._cmd("pg_ctl", "-D", str(self.path / "data"), "-m", "fast", "-w", "stop"),
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def is_running(self):
        return subprocess.run(self._cmd("pg_ctl", "-D", str(self.path / "data"), "status"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode == 0

    def db_options(self):
        return {"db_host": "127.0.0.1", "db_port": str(self.port), "db_user": "odoo", "db_password": ""}


def external_db_options():
    return {
        "db_host": os.environ["PGHOST"],
        "db_port": os.environ.get("PGPORT", "5432"),
        "db_user": os.environ.get("PGUSER", "odoo"),
        "db_password": os.environ.get("PGPASSWORD", ""),
    }


def write_config(path, db_options, data_dir, **extra):
    lines = ["[options]", f"addons_path = {ROOT}", f"data_dir = {data_dir}", "http_interface = 127.0.0.1"]
    lines += [f"{key} = {value}" for key, value in {**db_options, **extra}.items()]
    Path(path).write_text("\n".join(lines) + "\n")
    return path


def odoo(config, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "odoo", "-c", str(config), *args], check=False, **kwargs)


@contextlib.contextmanager
def odoo_server(config, database, workers=2, port=None):
    """Serve ``database`` (``workers`` processes; 0: threaded) until the block ends; yields
    its URL once it answers."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "odoo", "-c", str(config), "-d", database, f"--workers={workers}",
         "--max-cron-threads=0", f"--http-port={port}", f"--gevent-port={free_port()}", "--log-level=warn", "--limit-time-real=600",
         "--limit-memory-hard=4294967296", "--limit-memory-soft=3221225472"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/web/webclient/version_info")
                if connection.getresponse().status < 500:
                    break
            time.sleep(0.5)
        else:
            fail("Odoo did not start within two minutes")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


# ----------------------------------------------------------------------------------
# Commands
# ----------------------------------------------------------------------------------

def cmd_run(args):
    ok, why = odoo_importable()
    if not ok:
        fail(f"Odoo 19 is not importable ({why}): install Odoo 19 in this Python environment "
             f"(`{sys.executable} -m pip install -e <odoo 19 source tree>`) and run again.")
    pip_install({k: v for k, v in PURE_DEPS.items() if k != "pytest"})
    LOCAL.mkdir(exist_ok=True)
    if os.environ.get("PGHOST"):
        db_options, cluster = external_db_options(), None
    else:
        cluster = Cluster(LOCAL / "postgres", int(os.environ.get("RECRUIT_SMS_PGPORT", "54329")))
        if not cluster.is_running():
            cluster.start()
        db_options = cluster.db_options()
    config = write_config(LOCAL / "odoo.conf", db_options, LOCAL / "data", http_port=args.port,
                          db_name=args.database, dbfilter=f"^{args.database}$")
    marker = LOCAL / f"{args.database}.installed"
    if not marker.exists():
        say(f"creating database {args.database!r} with demo data and {', '.join(ADDONS)} (a few minutes the first time)")
        step = ("-i", ",".join(ADDONS), "--with-demo")
    else:
        say(f"updating {', '.join(ADDONS)} in database {args.database!r} to this checkout")
        step = ("-u", ",".join(ADDONS))
    result = odoo(config, "-d", args.database, *step, "--stop-after-init", "--log-level=warn")
    if result.returncode:
        fail(f"installing {', '.join(ADDONS)} failed: see the log above", result.returncode)
    marker.touch()
    say(f"Odoo is starting on http://localhost:{args.port}  (login: admin, password: admin; "
        "a second recruiter: rebecca / rebecca)")
    say("the SMS provider is the sandbox: nothing leaves this machine; stop with Ctrl+C")
    say("three things to try:")
    say("  1. the phone icon at the top right: conversations waiting for you and the team; open a red one and answer")
    say("  2. Recruitment > Applications > an applicant > Communications: send a text, then 'Simulate a reply'")
    say("  3. Recruitment > Text campaigns > Open day invitation: review who gets it and why not, then Send")
    try:
        odoo(config, "-d", args.database)
    except KeyboardInterrupt:
        pass
    finally:
        if cluster and not args.keep_postgres:
            cluster.stop()


def junit_outcomes(path):
    """{(classname, name): status} of a junit file, status one of passed, skipped,
    failures, errors; one per test function (subtests are folded into their test, as
    pytest's own summary counts them, the worst outcome winning). None when unreadable."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    outcome = {}
    rank = {"passed": 0, "skipped": 1, "failures": 2, "errors": 3}
    for case in root.iter("testcase"):
        key = (case.get("classname"), case.get("name"))
        status = "passed"
        for child, name in (("skipped", "skipped"), ("failure", "failures"), ("error", "errors")):
            if case.find(child) is not None:
                status = name
        if rank[status] >= rank[outcome.get(key, "passed")]:
            outcome[key] = status
    return outcome


def junit_counts(path):
    """Tests, failures, errors and skips of a junit file, one per test function."""
    outcome = junit_outcomes(path)
    if outcome is None:
        return None
    statuses = list(outcome.values())
    return {
        "tests": len(statuses),
        "failures": statuses.count("failures"),
        "errors": statuses.count("errors"),
        "skipped": statuses.count("skipped"),
    }


def run_pytest(args, junit, rootdir=ROOT):
    return subprocess.run([sys.executable, "-m", "pytest", f"--rootdir={rootdir}", "-c", str(ROOT / "pyproject.toml"),
                           f"--junitxml={junit}", *args],
                          cwd=ROOT, check=False).returncode


def cmd_test(args):
    results = {}
    LOCAL.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="test-", dir=LOCAL))
    try:
        pip_install(PURE_DEPS)
        say("pure suite (recruit_sms/tools, no Odoo)")
        pure_junit = workdir / "pure.xml"
        code = run_pytest(["-p", "no:odoo", "-p", "no:cacheprovider", "tests"], pure_junit)
        results["pure"] = (code, junit_counts(pure_junit))

        ok, why = odoo_importable()
        if not ok:
            say(f"Odoo suite did not run: Odoo 19 is not importable ({why}).")
        else:
            pip_install(ODOO_TEST_DEPS)
            results["odoo"] = run_odoo_suite(workdir, args)
    finally:
        summary(results)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if results and all(code == 0 for code, _counts in results.values()) else 1)


def throwaway_server(workdir):
    """(cluster to stop or None, connection options): the PGHOST server when set, else a new
    cluster under ``workdir``."""
    if os.environ.get("PGHOST"):
        return None, external_db_options()
    cluster = Cluster(workdir / "postgres", free_port()).start()
    return cluster, cluster.db_options()


def run_odoo_suite(workdir, args):
    cluster, db_options = throwaway_server(workdir)
    database = f"recruit_sms_test_{os.getpid()}"
    config = write_config(workdir / "odoo.conf", db_options, workdir / "data")
    try:
        say(f"Odoo suite: installing {', '.join(ADDONS)} with demo data in a fresh database {database!r}")
        started = time.monotonic()
        install = odoo(config, "-d", database, "-i", ",".join(ADDONS), "--with-demo", "--stop-after-init",
                       "--log-level=warn")
        if install.returncode:
            say(f"Odoo suite failed: {', '.join(ADDONS)} did not install (see the log above).")
            return 1, None
        say(f"installed in {time.monotonic() - started:.0f} s; running the Odoo suite")
        junit = workdir / "odoo.xml"
        pytest_args = [
            "-p", "no:cacheprovider", f"--odoo-config={config}", f"--odoo-database={database}",
            "--odoo-http", "--odoo-log-level=warn", *(f"{addon}/tests" for addon in ADDONS),
        ]
        if args.k:
            pytest_args += ["-k", args.k]
        code = run_pytest(pytest_args, junit)
        return code, junit_counts(junit)
    finally:
        if cluster:
            cluster.stop()


def core_test_paths(config):
    """The tests folder of each core module, where Odoo imports it from (its package's
    ``__path__`` on the addons path of ``config``)."""
    from odoo.modules.module import initialize_sys_path
    from odoo.tools import config as odoo_config

    odoo_config.parse_config(["-c", str(config)])
    initialize_sys_path()
    paths = []
    for module in CORE_MODULES:
        spec = importlib.util.find_spec(f"odoo.addons.{module}")
        locations = list(spec.submodule_search_locations) if spec else []
        folder = next((Path(p) / "tests" for p in locations if (Path(p) / "tests").is_dir()), None)
        if folder is None:
            fail(f"core module {module} has no tests folder (looked in {locations})")
        paths.append(str(folder))
    return paths


def core_side(label, outcomes):
    statuses = list(outcomes.values())
    failed = statuses.count("failures") + statuses.count("errors")
    say(f"{label}: {len(statuses)} tests, {statuses.count('passed')} passed, {failed} failed, "
        f"{statuses.count('skipped')} skipped")


def cmd_core_compare(args):
    """Core's own suites on a database without recruit_sms (A), then on one with it (B):
    every test that passes on A must pass on B."""
    ok, why = odoo_importable()
    if not ok:
        fail(f"Odoo 19 is not importable ({why}): core's suites run on Odoo itself.")
    pip_install(ODOO_TEST_DEPS)
    LOCAL.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="core-compare-", dir=LOCAL))
    started = time.monotonic()
    cluster, db_options = throwaway_server(workdir)
    config = write_config(workdir / "odoo.conf", db_options, workdir / "data")
    core = ",".join(CORE_MODULES)
    sides = {
        "A": (f"core_compare_a_{os.getpid()}", core, "core only"),
        "B": (f"core_compare_b_{os.getpid()}", f"{core},{ADDON}", f"core + {ADDON}"),
    }
    results = {}
    try:
        # both databases install at once (one process each: two cores), no demo data:
        # core's tests of these modules make their own records
        say(f"installing {core} in database A, the same plus {ADDON} in database B")
        installs = {
            side: subprocess.Popen([sys.executable, "-m", "odoo", "-c", str(config), "-d", database, "-i", modules,
                                    "--stop-after-init", "--log-level=warn"])
            for side, (database, modules, _label) in sides.items()
        }
        failed = [side for side, process in installs.items() if process.wait()]
        if failed:
            fail(f"installing database(s) {', '.join(failed)} failed: see the log above", 1)
        say(f"installed in {time.monotonic() - started:.0f} s")
        paths = core_test_paths(config)
        # test ids name their module: sms and test_mail_sms both have a test_sms_composer.py
        addons = os.path.commonpath([str(Path(path).parent.parent) for path in paths])
        for side, (database, _modules, label) in sides.items():
            say(f"running core's suites on {side} ({label})")
            junit = workdir / f"core-{side}.xml"
            run_pytest(["-p", "no:cacheprovider", f"--odoo-config={config}", f"--odoo-database={database}",
                        "--odoo-http", f"--odoo-log-level={args.log_level}", *paths, *(["-k", args.k] if args.k else [])],
                       junit, rootdir=addons)
            outcomes = junit_outcomes(junit)
            if outcomes is None:
                fail(f"no result from core's suites on {side}: see the log above", 1)
            # ids as module.tests.file.Class::test
            results[side] = {f"{classname}::{name}": status for (classname, name), status in outcomes.items()}
    finally:
        if cluster:
            cluster.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    a, b = results["A"], results["B"]
    core_side("A (core only)", a)
    core_side(f"B (core + {ADDON})", b)
    bad = ("failures", "errors")
    regressions = sorted(test for test, status in a.items() if status == "passed" and b.get(test, "errors") in bad)
    both = sorted(test for test, status in a.items() if status in bad and b.get(test) in bad)
    fixed = sorted(test for test, status in a.items() if status in bad and b.get(test) == "passed")
    for title, tests in (("pass without " + ADDON + ", fail with it", regressions),
                         ("fail on both sides (not caused by " + ADDON + ")", both),
                         ("fail without " + ADDON + ", pass with it", fixed)):
        if tests:
            say(f"{len(tests)} test(s) {title}:")
            for test in tests:
                print(f"  {test}" + ("" if test in b else "  (not run on B)"), flush=True)
    passed = sum(1 for test, status in a.items() if status == "passed" and b.get(test) == "passed")
    say(f"took {time.monotonic() - started:.0f} s")
    print(f"core-compare: {passed} passed, {len(regressions)} failed", flush=True)
    sys.exit(1 if regressions else 0)


def cmd_pot(_args):
    """Regenerate the addon's translation template from a fresh install."""
    ok, why = odoo_importable()
    if not ok:
        fail(f"Odoo 19 is not importable ({why}): the template is exported by Odoo itself.")
    LOCAL.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="pot-", dir=LOCAL))
    cluster, db_options = throwaway_server(workdir)
    try:
        config = write_config(workdir / "odoo.conf", db_options, workdir / "data")
        database = f"recruit_sms_pot_{os.getpid()}"
        if odoo(config, "-d", database, "-i", ",".join(ADDONS), "--stop-after-init", "--log-level=warn").returncode:
            fail(f"installing {', '.join(ADDONS)} failed: see the log above")
        for addon in ADDONS:  # one template per module, as Odoo loads them
            target = ROOT / addon / "i18n" / f"{addon}.pot"
            export = [sys.executable, "-m", "odoo", "i18n", "export", "-c", str(config), "-d", database, "-l", "pot",
                      "-o", str(target), addon]
            if subprocess.run(export, check=False).returncode:
                fail("exporting the translation template failed: see the log above")
            say(f"wrote {target.relative_to(ROOT)}")
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def summary(results):
    grand = {"passed": 0, "failed": 0, "skipped": 0}
    for name, (code, counts) in results.items():
        if counts is None:
            say(f"{name} suite: no result (exit code {code})")
            grand["failed"] += 1 if code else 0
            continue
        failed = counts["failures"] + counts["errors"]
        passed = counts["tests"] - failed - counts["skipped"]
        say(f"{name} suite: {passed} passed, {failed} failed, {counts['skipped']} skipped")
        grand["passed"] += passed
        grand["failed"] += failed
        grand["skipped"] += counts["skipped"]
    print(f"total: {grand['passed']} passed, {grand['failed']} failed, {grand['skipped']} skipped", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve Odoo with recruit_sms on a demo database")
    run.add_argument("--database", default="recruit_sms")
    run.add_argument("--port", type=int, default=8069)
    run.add_argument("--keep-postgres", action="store_true", help="leave the local PostgreSQL running on exit")
    run.set_defaults(func=cmd_run)
    test = commands.add_parser("test", help="run the pure suite, then the Odoo suite when Odoo imports")
    test.add_argument("-k", help="only Odoo tests matching this pytest expression")
    test.add_argument("--keep", action="store_true", help="keep the throwaway cluster folder for inspection")
    test.set_defaults(func=cmd_test)
    compare = commands.add_parser("core-compare",
                                  help="core's SMS and recruitment suites without, then with recruit_sms: no new failure")
    compare.add_argument("-k", help="only core tests matching this pytest expression")
    compare.add_argument("--log-level", default="warn", help="Odoo's log level while the suites run")
    compare.add_argument("--keep", action="store_true", help="keep the throwaway cluster folder and junit files")
    compare.set_defaults(func=cmd_core_compare)
    pot = commands.add_parser("pot", help="regenerate the translation template (recruit_sms/i18n/recruit_sms.pot)")
    pot.set_defaults(func=cmd_pot)
    args = parser.parse_args()
    bootstrap_odoo(args.command)
    with contextlib.suppress(KeyboardInterrupt):
        args.func(args)


if __name__ == "__main__":
    main()
