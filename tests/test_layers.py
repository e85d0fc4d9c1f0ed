"""Layer rules that import-linter cannot express (its contract is in ``.importlinter``).

* Views and API modules read through selectors and write through services: none of them
  touches a model manager (``Model.objects``) itself.
* No view module imports another app's view module: what two apps' pages share lives in
  a non-view module (``core.forms``, ``clients.pages``, ``organisations.selectors``).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "silta"
# Web and API entry points: views.py, *_views.py, api.py of every app.
ENTRY_POINTS = sorted(
    path for pattern in ("*/views.py", "*/*_views.py", "*/api.py") for path in SRC.glob(pattern)
)
VIEW_MODULES = [p for p in ENTRY_POINTS if p.name.endswith("views.py")]

# Allowed for now, each with its reason; a new entry needs one too.
MANAGER_USE_ALLOWED = {
    # The TOTP enrolment page finds the user of the pending sign-in by the id kept in the
    # session; moves to accounts.selectors with the login throttling work (issue 10).
    ("accounts/views.py", "User.objects"),
}


def _module_name(path: Path) -> str:
    return "silta." + ".".join(path.relative_to(SRC).with_suffix("").parts)


def _manager_uses(path: Path, root: Path = SRC) -> set[tuple[str, str, int]]:
    """(module path, ``Name.objects``, line) of every ``<expr>.objects`` in the module."""
    return {
        (str(path.relative_to(root)), ast.unparse(node.value) + ".objects", node.lineno)
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    }


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_the_entry_points_are_found():
    names = {str(p.relative_to(SRC)) for p in ENTRY_POINTS}
    assert {"exchange/views.py", "exchange/api.py", "referrals/api.py"} <= names


def test_no_view_or_api_module_uses_a_model_manager():
    uses = {use for path in ENTRY_POINTS for use in _manager_uses(path)}
    unexpected = sorted(use for use in uses if use[:2] not in MANAGER_USE_ALLOWED)
    assert not unexpected, f"read through a selector, write through a service: {unexpected}"
    stale = MANAGER_USE_ALLOWED - {use[:2] for use in uses}
    assert not stale, f"remove from MANAGER_USE_ALLOWED: {sorted(stale)}"


def test_the_manager_check_sees_a_manager_call(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("def page(r):\n    return Thing.objects.filter(pk=1).first()\n")
    assert _manager_uses(sample, tmp_path) == {("views.py", "Thing.objects", 2)}


def test_no_view_imports_another_apps_view():
    # core.views holds the shared view helpers (is_htmx, service_errors): the bottom layer.
    view_names = {_module_name(p) for p in VIEW_MODULES} - {"silta.core.views"}
    crossing = sorted(
        (_module_name(path), imported)
        for path in VIEW_MODULES
        for imported in _imported_modules(path)
        if imported in view_names and imported.split(".")[1] != _module_name(path).split(".")[1]
    )
    assert not crossing, f"move what the pages share out of the view module: {crossing}"
