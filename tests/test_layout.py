"""The layout's rules, checked on the source: who may import whom.

- ``protocol/`` has no Home Assistant imports (publishable as a library);
- a family package (``imm/``, ``trio/``, ``telecomx/``) imports no other family package;
- the root modules are Home Assistant's entry points and shared mechanisms: only
  ``families.py`` (the registry) and ``config_flow.py`` (which combines each family's
  flow steps) name a family package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "custom_components" / "venue_av"
FAMILIES = ("imm", "trio", "telecomx")
ROOT_MODULES_THAT_COMPOSE_FAMILIES = {"families.py", "config_flow.py"}


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved within the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level]
                module = ".".join([*base, *([node.module] if node.module else [])])
                found.add(module)
                # ``from . import sensor`` imports a submodule.
                found.update(f"{module}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module or "")
    return found


def _family_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:1] == ["venue_av"] and len(parts) > 1 and parts[1] in FAMILIES:
        return parts[1]
    return None


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


@pytest.mark.parametrize(
    "path", _modules(PACKAGE / "protocol"), ids=lambda path: path.name
)
def test_protocol_has_no_home_assistant_imports(path: Path) -> None:
    assert not {
        module for module in _imports(path) if module.startswith("homeassistant")
    }


@pytest.mark.parametrize(
    "path",
    [path for family in FAMILIES for path in _modules(PACKAGE / family)],
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_family_imports_no_other_family(path: Path) -> None:
    own = path.relative_to(PACKAGE).parts[0]
    others = {
        family
        for module in _imports(path)
        if (family := _family_of(module)) is not None and family != own
    }
    assert not others


@pytest.mark.parametrize(
    "path",
    [
        path
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name not in ROOT_MODULES_THAT_COMPOSE_FAMILIES
    ],
    ids=lambda path: path.name,
)
def test_root_modules_name_no_family(path: Path) -> None:
    assert not {module for module in _imports(path) if _family_of(module)}


def test_the_check_sees_family_imports() -> None:
    """The checks above would notice an import: the registry does import IMM."""
    assert "venue_av.imm" in _imports(PACKAGE / "families.py")
