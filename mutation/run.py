"""``make mutation``: Cosmic Ray's mutants of the rule modules, each against its fast tests.

Cosmic Ray (``cosmic-ray`` on PyPI) finds the mutants and keeps the session (one SQLite
work database per module under ``var/mutation/``, readable with ``cr-report``). Running
its test command once per mutant would start pytest, Django and the plugins hundreds of
times, so this script executes the session itself: one process imports the libraries once,
and each mutant runs in a forked child that imports the mutated module from memory and runs
the module's tests (listed in ``mutation/modules.toml``) with ``pytest -x``. The working
tree is never written to, so other work in the same tree is safe.

Mutants listed in ``mutation/equivalent.toml`` (no behaviour change, with the reason) are
marked skipped and not counted. The score is killed / (mutants - equivalent).

    .venv/bin/python mutation/run.py                  # every module
    .venv/bin/python mutation/run.py roles hours      # some modules
    .venv/bin/python mutation/run.py --jobs 1 -v roles
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.abc
import importlib.util
import os
import re
import select
import signal
import sqlite3
import sys
import tempfile
import time
import tomllib
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cosmic_ray.plugins
import pytest
from cosmic_ray.ast import ast_nodes, get_ast_from_path
from cosmic_ray.ast.ast_query import ASTQuery
from cosmic_ray.mutating import _make_diff, mutate_code
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import (
    MutationSpec,
    TestOutcome,
    WorkerOutcome,
    WorkItem,
    WorkResult,
)
from django.conf import settings
from django.db.backends.sqlite3.creation import DatabaseCreation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mutation.operators import OPERATORS  # noqa: E402

# Core operators left out: replacing + with <<, ** or ^ (and the like) only makes code
# that crashes on the first call, and ``is`` for ``==`` is not a rule change a test can
# state. Each excluded family would add mutants that every test kills or none can.
EXCLUDED = re.compile(
    r"core/(ReplaceBinaryOperator_\w+_(Pow|LShift|RShift|BitXor|BitAnd|FloorDiv|Mod)"
    r"|ReplaceComparisonOperator_\w+_(Is|IsNot)"
    r"|ReplaceUnaryOperator_\w+_Invert|VariableReplacer|VariableInserter)$"
)
PYTEST_ARGS = ["-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:playwright"]
PRELOAD = (
    "pytest",
    "pytest_django",
    "django",
    "django.test",
    "django.db.models",
    "django.forms",
    "django.template",
    "hypothesis",
    "hypothesis.strategies",
    "faker",
    "factory",
    "factory.django",
    "schemathesis",
    "stdnum.fi.hetu",
    "holidays",
    "zoneinfo",
)


@dataclass
class Module:
    name: str
    path: str
    tests: list[str]
    equivalent: list[dict[str, Any]] = field(default_factory=list)

    @property
    def dotted(self) -> str:
        return self.path.removeprefix("src/").removesuffix(".py").replace("/", ".")


def load_modules() -> list[Module]:
    config = tomllib.loads((ROOT / "mutation/modules.toml").read_text())
    equivalents = tomllib.loads((ROOT / "mutation/equivalent.toml").read_text())
    modules = [Module(name, **spec) for name, spec in config["modules"].items()]
    for entry in equivalents.get("equivalent", []):
        for module in modules:
            if module.path == entry["module"]:
                module.equivalent.append(entry)
    return modules


def operators() -> dict[str, Any]:
    """Cosmic Ray's core operators (less the excluded ones) and Silta's table operators."""
    core = cosmic_ray.plugins.OPERATOR_PROVIDERS["core"]
    return {
        **{f"core/{name}": core[name] for name in core if not EXCLUDED.match(f"core/{name}")},
        **{f"silta/{name}": cls for name, cls in OPERATORS.items()},
    }


def init_session(module: Module, db: WorkDB) -> None:
    """Cosmic Ray's ``init``: one work item per mutation position."""
    db.clear()
    module_ast = get_ast_from_path(ROOT / module.path)
    items = []
    for op_name, op_class in operators().items():
        operator = op_class()
        positions = (
            (node, start, end)
            for node in ast_nodes(module_ast)
            for start, end in operator.mutation_positions(node)
        )
        for occurrence, (node, start, end) in enumerate(positions):
            if _in_annotation(node):
                continue  # annotations are not evaluated (``from __future__ import annotations``)
            spec = MutationSpec(
                module_path=module.path,
                operator_name=op_name,
                operator_args={},
                occurrence=occurrence,
                start_pos=start,
                end_pos=end,
                definition_name=ASTQuery(node).get_definition_name(),
            )
            items.append(WorkItem.single(job_id=uuid.uuid4().hex, mutation=spec))
    db.add_work_items(items)


def _in_annotation(node: Any) -> bool:
    """Is the node a type annotation, or the bare ``*`` of keyword-only parameters?"""
    if node.type == "operator" and node.value == "*" and node.parent.type == "parameters":
        return True
    child, parent = node, node.parent
    while parent is not None:
        siblings = parent.children
        before = siblings[siblings.index(child) - 1] if siblings.index(child) else None
        marker = getattr(before, "value", None)
        if parent.type in ("tfpdef", "annassign") and marker == ":":
            return True
        if parent.type == "funcdef" and marker == "->":
            return True
        child, parent = parent, parent.parent
    return False


def _mutated_line(item: WorkItem, lines: list[str]) -> str:
    """The mutant's version of the line it changes (to tell mutants of one place apart)."""
    mutation = item.mutations[0]
    operator = operators()[mutation.operator_name]()
    mutated = mutate_code("\n".join(lines) + "\n", operator, mutation.occurrence) or ""
    return mutated.splitlines()[mutation.start_pos[0] - 1].strip() if mutated else ""


def mark_equivalent(module: Module, db: WorkDB, lines: list[str]) -> set[str]:
    """Mark the listed equivalent mutants skipped; returns the job ids."""
    skipped = set()
    for item in db.work_items:
        mutation = item.mutations[0]
        text = lines[mutation.start_pos[0] - 1].strip()
        for entry in module.equivalent:
            if (
                entry["operator"] == mutation.operator_name
                and entry["line"] == text
                and entry.get("column", mutation.start_pos[1]) == mutation.start_pos[1]
                and ("mutated" not in entry or entry["mutated"] in _mutated_line(item, lines))
            ):
                db.set_result(
                    item.job_id,
                    WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=entry["reason"]),
                )
                skipped.add(item.job_id)
    return skipped


def _database_from_template(template: Path) -> None:
    """Children start from the baseline's migrated test database instead of migrating.

    Migrating takes most of a child's time. The baseline run (unmutated) migrates the
    in-memory SQLite test database as usual and copies it to ``template``; each mutant's
    child then loads that copy. Mutants cannot change a migration (migrations carry their
    own frozen values), so the copy is the database the child would have built.
    """
    migrate = DatabaseCreation.create_test_db

    def create_test_db(self: Any, *args: Any, **kwargs: Any) -> str:
        if not template.exists():
            name = migrate(self, *args, **kwargs)
            self.connection.ensure_connection()
            with sqlite3.connect(template) as copy:
                self.connection.connection.backup(copy)
            return name
        name = self._get_test_db_name()
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        with sqlite3.connect(template) as source:
            source.backup(self.connection.connection)
        return name

    DatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign]


class _MutatedModule(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports one module from the mutated source held in memory."""

    def __init__(self, name: str, filename: str, source: str) -> None:
        self.name, self.filename, self.source = name, filename, source

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        return importlib.util.spec_from_file_location(fullname, self.filename, loader=self)

    def exec_module(self, module: Any) -> None:
        exec(compile(self.source, self.filename, "exec"), module.__dict__)  # noqa: S102


def fork_test(module: Module, source: str | None, log: Path, template: Path) -> int:
    """Run the module's tests in a child, with ``source`` in place of the module."""
    pid = os.fork()
    if pid:
        return pid
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        _database_from_template(template)
        if source is not None:
            finder = _MutatedModule(module.dotted, str(ROOT / module.path), source)
            sys.meta_path.insert(0, finder)
        os._exit(int(pytest.main([*module.tests, *PYTEST_ARGS])))
    except BaseException:  # a child never returns into the parent's loop
        traceback.print_exc()
        os._exit(99)


def wait_any(running: dict[int, Any], deadline: dict[int, float]) -> tuple[int, int | None]:
    """Wait for a child; a child past its deadline is killed (a timeout counts as killed)."""
    while True:
        for pid in list(running):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return pid, os.waitstatus_to_exitcode(status)
            if time.monotonic() > deadline[pid]:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return pid, None
        select.select([], [], [], 0.05)


def run_module(module: Module, jobs: int, verbose: bool, retry: bool) -> dict[str, Any]:
    started = time.monotonic()
    out_dir = ROOT / "var/mutation"
    out_dir.mkdir(parents=True, exist_ok=True)
    original = (ROOT / module.path).read_text()
    lines = original.splitlines()
    with (
        tempfile.TemporaryDirectory() as tmp,
        use_db(str(out_dir / f"{module.name}.sqlite"), WorkDB.Mode.create) as db,
    ):
        survivors = {j for j, r in db.results if r.test_outcome == TestOutcome.SURVIVED}
        if not retry:
            init_session(module, db)
        skipped = mark_equivalent(module, db, lines)
        baseline_log = Path(tmp) / "baseline.log"
        t0 = time.monotonic()
        template = Path(tmp) / "database.sqlite3"
        pid = fork_test(module, None, baseline_log, template)
        _, code = wait_any({pid: None}, {pid: time.monotonic() + 600})
        baseline = time.monotonic() - t0
        if code != 0:
            print(baseline_log.read_text()[-3000:])
            return {"module": module, "error": f"the tests fail unmutated (exit {code})"}
        timeout = baseline * 4 + 20
        pending = [
            item
            for item in db.work_items
            if item.job_id not in skipped and (not retry or item.job_id in survivors)
        ]
        ops = operators()
        running: dict[int, Any] = {}
        deadline: dict[int, float] = {}
        while pending or running:
            while pending and len(running) < jobs:
                item = pending.pop()
                mutation = item.mutations[0]
                try:
                    operator = ops[mutation.operator_name]()
                    mutated = mutate_code(original, operator, mutation.occurrence)
                except Exception as error:  # an operator that cannot make this mutant
                    print(f"  {mutation.operator_name} #{mutation.occurrence}: {error!r}")
                    db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.EXCEPTION))
                    continue
                if mutated is None:
                    db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.NO_TEST))
                    continue
                try:
                    compile(mutated, module.path, "exec")
                except SyntaxError:
                    db.set_result(
                        item.job_id,
                        WorkResult(
                            worker_outcome=WorkerOutcome.NORMAL,
                            test_outcome=TestOutcome.INCOMPETENT,
                        ),
                    )
                    continue
                pid = fork_test(module, mutated, Path(tmp) / f"{item.job_id}.log", template)
                running[pid] = (item, mutated)
                deadline[pid] = time.monotonic() + timeout
            pid, code = wait_any(running, deadline)
            item, mutated = running.pop(pid)
            deadline.pop(pid)
            survived = code == 0
            diff = "\n".join(_make_diff(original, mutated, module.path))
            db.set_result(
                item.job_id,
                WorkResult(
                    worker_outcome=WorkerOutcome.NORMAL,
                    test_outcome=TestOutcome.SURVIVED if survived else TestOutcome.KILLED,
                    diff=diff,
                    output="timeout" if code is None else f"exit {code}",
                ),
            )
            if survived and verbose:
                print(diff)
        return summary(module, db, lines, time.monotonic() - started)


def summary(module: Module, db: WorkDB, lines: list[str], seconds: float) -> dict[str, Any]:
    """The module's score from its session: killed / (mutants - equivalent)."""
    outcomes = [r.test_outcome for _job, r in db.results]
    survived_ids = {j for j, r in db.results if r.test_outcome == TestOutcome.SURVIVED}
    killed = sum(o in (TestOutcome.KILLED, TestOutcome.INCOMPETENT) for o in outcomes)
    total = killed + len(survived_ids)
    equivalent = sum(r.worker_outcome == WorkerOutcome.SKIPPED for _job, r in db.results)
    return {
        "module": module,
        "total": total,
        "equivalent": equivalent,
        "killed": killed,
        "survived": [item for item in db.work_items if item.job_id in survived_ids],
        "score": 100.0 * killed / total if total else 100.0,
        "seconds": seconds,
        "lines": lines,
    }


def report(result: dict[str, Any]) -> str:
    module = result["module"]
    if "error" in result:
        return f"{module.name:<16} {module.path:<44} ERROR: {result['error']}"
    line = (
        f"{module.name:<16} {module.path:<44} {result['score']:6.1f} %  "
        f"killed {result['killed']}/{result['total']}, equivalent {result['equivalent']}, "
        f"{result['seconds']:.0f} s"
    )
    for item in sorted(result["survived"], key=lambda i: i.mutations[0].start_pos):
        mutation = item.mutations[0]
        row = mutation.start_pos[0]
        text = result["lines"][row - 1].strip()
        name = f"{mutation.operator_name} #{mutation.occurrence}"
        line += f"\n    survived: line {row} {name}: {text}"
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="module names from mutation/modules.toml")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("-v", "--verbose", action="store_true", help="print survivors' diffs")
    parser.add_argument(
        "--retry", action="store_true", help="run only the last session's survivors again"
    )
    args = parser.parse_args()
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # SQLite in memory: each child gets its own test database (PostgreSQL's would be shared).
    os.environ.pop("DATABASE_URL", None)
    for name in PRELOAD:  # once, before forking: the children start warm
        with contextlib.suppress(ImportError):
            __import__(name)
    modules = load_modules()
    unknown = set(args.modules) - {m.name for m in modules}
    if unknown:
        parser.error(f"unknown module(s): {', '.join(sorted(unknown))}")
    by_name = {m.name: m for m in modules}
    chosen = [by_name[name] for name in args.modules] if args.modules else modules
    failed = False
    for module in chosen:
        result = run_module(module, args.jobs, args.verbose, args.retry)
        print(report(result), flush=True)
        failed |= "error" in result
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
