"""Every service checks who is acting: a write without a capability check cannot be merged.

Reads the source (no database): each public function of a `services` module that takes
`acting_user` must have no default for it and must either call `require(acting_user, …)` or
hand `acting_user` on to another function that does (checked the same way).
"""

import ast
from pathlib import Path

import samverkan

ROOT = Path(samverkan.__file__).parent


def _service_modules():
    for path in sorted(ROOT.glob("*/services.py")) + sorted(ROOT.glob("*/services/*.py")):
        if path.parent.name != "core":  # core.services holds the generic audited writes services build on
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _acting_user_functions():
    for path, tree in _service_modules():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                args = node.args.kwonlyargs + node.args.args
                if any(a.arg == "acting_user" for a in args):
                    yield path, node


def _default_of_acting_user(node: ast.FunctionDef):
    for arg, default in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True):
        if arg.arg == "acting_user":
            return default
    return None


def _calls(node: ast.FunctionDef):
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            yield name, call


def _checked_services() -> set[str]:
    """Names of services that call require(acting_user, …), directly or through another such service."""
    functions = {node.name: node for _, node in _acting_user_functions()}
    checked = {
        name
        for name, node in functions.items()
        for callee, call in _calls(node)
        if callee == "require" and call.args and getattr(call.args[0], "id", None) == "acting_user"
    }
    while True:
        more = {
            name
            for name, node in functions.items()
            if name not in checked
            and any(
                callee in checked and any(getattr(k.value, "id", None) == "acting_user" for k in call.keywords)
                for callee, call in _calls(node)
            )
        }
        if not more:
            return checked
        checked |= more


def test_services_exist():
    assert len(list(_acting_user_functions())) > 50


def test_no_service_defaults_acting_user():
    offenders = [f"{p.relative_to(ROOT)}:{n.name}" for p, n in _acting_user_functions() if _default_of_acting_user(n)]
    assert not offenders, offenders


def test_every_service_checks_or_delegates_the_acting_user():
    checked = _checked_services()
    offenders = [f"{p.relative_to(ROOT)}:{n.name}" for p, n in _acting_user_functions() if n.name not in checked]
    assert not offenders, offenders
