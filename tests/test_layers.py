"""The layers are visible in the imports: pages call services and open no transaction; no
module of etl/ or dashboard/ imports another that (directly or not) imports it back; the ETL never
imports Dash or the dashboard."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("etl", "dashboard")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:  # Alembic scripts, loaded by Alembic, not imported
                continue
            found[module_name(path)] = path
    return found


def imported_names(path: Path, name: str, is_package: bool) -> set[str]:
    """Every module named by an import anywhere in the file (inside functions too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from pkg import sub` imports the module pkg.sub (its package is implied, as for any
            # import of a submodule); `from pkg import name` imports pkg itself
            names.update(f"{module}.{alias.name}" for alias in node.names)
            names.add(module + ":")  # resolved against the known modules below
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" \
                and node.args and isinstance(node.args[0], ast.Constant):
            names.add(str(node.args[0].value))
    return names


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    graph = {}
    for name, path in modules.items():
        targets = set()
        imported = imported_names(path, name, path.name == "__init__.py")
        for target in imported:
            if target.endswith(":"):  # a from-import's package: only when no submodule was named
                package = target[:-1]
                if not any(t.startswith(package + ".") and t in modules for t in imported):
                    target = package
                else:
                    continue
            if target in modules and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_etl_and_dashboard_modules():
    assert cycles(import_graph()) == []


def test_pages_neither_import_sqlalchemy_nor_open_a_session():
    offenders = []
    for path in sorted((ROOT / "dashboard" / "pages").glob("*.py")):
        name = module_name(path)
        for imported in imported_names(path, name, False):
            imported = imported.rstrip(":")
            if imported.split(".")[0] == "sqlalchemy" or imported.endswith("session_scope") \
                    or imported.startswith("etl.store.db"):
                offenders.append(f"{path.name}: {imported}")
        text = path.read_text(encoding="utf-8")
        for call in ("session_scope(", "Session(", "sessionmaker(", ".begin()", ".connect()"):
            if call in text:
                offenders.append(f"{path.name}: {call}")
    assert offenders == []


def test_pages_do_not_import_each_other():
    graph = import_graph()
    pages = {name for name in graph if name.startswith("dashboard.pages.")}
    assert [(page, other) for page in sorted(pages) for other in sorted(graph[page] & pages)] == []


def test_the_etl_imports_neither_dash_nor_the_dashboard():
    offenders = []
    for name, path in project_modules().items():
        if not name.startswith("etl"):
            continue
        for imported in imported_names(path, name, path.name == "__init__.py"):
            if imported.rstrip(":").split(".")[0] in ("dash", "dashboard", "flask", "flask_login"):
                offenders.append(f"{name}: {imported}")
    assert offenders == []


def test_account_tables_live_with_the_dashboard():
    from dashboard.accounts import models as accounts
    from etl.store import models as store

    for table in ("users", "login_attempts", "audit_events"):
        assert table in store.Base.metadata.tables  # one metadata: Alembic migrates them all
    assert not any(hasattr(store, cls) for cls in ("User", "LoginAttempt", "AuditEvent"))
    assert accounts.User.__table__.name == "users"


def test_the_models_match_the_migrated_schema(engine):
    """Moving the account models changed no table: Alembic's autogenerate finds nothing to do."""
    import importlib

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from etl.store.models import Base

    for name, path in project_modules().items():  # every module that declares tables
        if "__tablename__" in path.read_text(encoding="utf-8"):
            importlib.import_module(name)

    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []
