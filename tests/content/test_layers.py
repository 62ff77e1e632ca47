"""The content layer's place, read from the code's own imports (a small AST walk).

Base modules (lms.sources, lms.markup, lms.video) import no feature; features never
import lms.content nor another feature's loader or sync; lms.content sits above them all;
and the packages of lms import each other without a cycle through the content layer.
"""

import ast
from pathlib import Path

LMS = Path(__file__).resolve().parents[2] / "lms"
BASE = {"lms.sources", "lms.markup", "lms.video"}
FEATURES = {"courses", "quizzes", "assignments", "evaluations", "certificates", "cohorts",
            "auth", "live", "forums", "people", "progress", "site", "audit", "exports"}


def _module_name(file: Path) -> str:
    parts = file.relative_to(LMS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Every lms module and the lms modules it imports, at any depth of the file."""
    found: dict[str, set[str]] = {}
    for file in LMS.rglob("*.py"):
        if "migrations" in file.parts:
            continue
        name = _module_name(file)
        targets = found.setdefault(name, set())
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
        found[name] = {t for t in targets if t == "lms" or t.startswith("lms.")}
    return found


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def test_base_modules_import_no_feature():
    graph = imports()
    for base in BASE:
        wrong = {t for t in graph[base] if _package(t).split(".")[-1] in FEATURES
                 or _package(t) == "lms.content"}
        assert not wrong, (base, wrong)


def test_no_feature_imports_the_content_layer_or_another_features_loader():
    for module, targets in imports().items():
        package = _package(module)
        if package.split(".")[-1] not in FEATURES:
            continue
        for target in targets:
            assert _package(target) != "lms.content", (module, target)
            parts = target.split(".")
            if len(parts) >= 3 and parts[2] in ("loader", "sync") and _package(target) != package:
                raise AssertionError(f"{module} imports {target}, another feature's "
                                     f"{parts[2]}: go through lms.content")


def test_content_sits_above_the_features_it_composes():
    graph = imports()
    content = {t for m, ts in graph.items() if m.startswith("lms.content") for t in ts}
    for feature in ("courses", "quizzes", "assignments", "evaluations", "certificates"):
        assert any(_package(t) == f"lms.{feature}" for t in content), feature


def test_no_package_cycle_passes_through_content_or_courses():
    """Package-level graph: courses, quizzes, assignments, evaluations and the content
    layer import each other one way only (the three two-way pairs of the old loader)."""
    graph: dict[str, set[str]] = {}
    for module, targets in imports().items():
        graph.setdefault(_package(module), set()).update(
            _package(t) for t in targets if _package(t) != _package(module))
    order = ["lms.sources", "lms.courses", "lms.quizzes", "lms.assignments",
             "lms.evaluations", "lms.certificates", "lms.content"]
    for low_index, low in enumerate(order):
        for high in order[low_index + 1:]:
            assert high not in graph.get(low, set()), f"{low} imports {high}"
