"""What hassfest would catch, run on both Home Assistant versions of the suite.

The manifest, ``services.yaml``, ``icons.json`` and the translations are loaded through
Home Assistant's own loaders; then every action, every field of an action, every entity
translation key, every exception and issue key, every selector and every device error kind
the families translate is checked against ``translations/en.json``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
import importlib
import inspect
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import icon, service, translation
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
import pytest

from custom_components.venue_av.const import DOMAIN
from custom_components.venue_av.families import FAMILIES
from custom_components.venue_av.protocol.errors import DeviceCommandError

PACKAGE = Path(__file__).resolve().parents[1] / "custom_components" / "venue_av"
EN = json.loads((PACKAGE / "translations" / "en.json").read_text())
EXCEPTION_CLASSES = {
    "HomeAssistantError",
    "ServiceValidationError",
    "UpdateFailed",
    "ConfigEntryAuthFailed",
    "ConfigEntryError",
    "ConfigEntryNotReady",
}
PLATFORM_MODULES = {
    "binary_sensor",
    "button",
    "event",
    "image",
    "media_player",
    "notify",
    "remote",
    "select",
    "sensor",
    "switch",
    "text",
}


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "protocol" not in path.relative_to(PACKAGE).parts:
            yield path, ast.parse(path.read_text())


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _constant_keys(kind: str) -> set[tuple[str, str]]:
    """(file, key) of every literal translation key used as ``kind``."""
    found: set[tuple[str, str]] = set()
    for path, tree in _sources():
        platform = path.stem
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _call_name(node)
                for keyword in node.keywords:
                    if keyword.arg != "translation_key" or not isinstance(
                        keyword.value, ast.Constant
                    ):
                        continue
                    key = str(keyword.value.value)
                    if (
                        (kind == "exceptions" and name in EXCEPTION_CLASSES)
                        or (kind == "issues" and name == "async_create_issue")
                        or (kind == "selector" and name.endswith("SelectorConfig"))
                        or (
                            kind == f"entity.{platform}"
                            and platform in PLATFORM_MODULES
                            and name.endswith("EntityDescription")
                        )
                    ):
                        found.add((path.name, key))
            elif (
                kind == f"entity.{platform}"
                and platform in PLATFORM_MODULES
                and isinstance(node, ast.Assign)
                and any(
                    isinstance(target, ast.Name)
                    and target.id == "_attr_translation_key"
                    for target in node.targets
                )
                and isinstance(node.value, ast.Constant)
            ):
                found.add((path.name, str(node.value.value)))
    return found


def _lookup(path: str) -> Any:
    node: Any = EN
    for part in path.split("."):
        assert isinstance(node, dict), f"{path}: {part} is not a section"
        assert part in node, f"{path} is missing from translations/en.json"
        node = node[part]
    return node


def test_strings_and_english_translation_are_the_same() -> None:
    assert json.loads((PACKAGE / "strings.json").read_text()) == EN


@pytest.mark.parametrize("kind", ["exceptions", "issues", "selector"])
def test_literal_keys_are_translated(kind: str) -> None:
    keys = _constant_keys(kind)
    assert keys, f"no {kind} keys found: the scan is broken"
    for _, key in sorted(keys):
        _lookup(f"{kind}.{key}")


@pytest.mark.parametrize("platform", sorted(PLATFORM_MODULES))
def test_entity_keys_are_translated(platform: str) -> None:
    for _, key in sorted(_constant_keys(f"entity.{platform}")):
        entry = _lookup(f"entity.{platform}.{key}")
        assert "name" in entry or platform == "media_player", (platform, key)


def _command_error_kinds(family: str) -> set[str]:
    """Every kind of device refusal the family's protocol raises."""
    module = importlib.import_module(
        f"custom_components.venue_av.protocol.{family}.errors"
    )
    return {
        cls.kind
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, DeviceCommandError) and cls.__module__ == module.__name__
    }


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_device_error_kinds_are_translated(family: str) -> None:
    """``command_error`` translates a refusal as ``<family>_<kind>``."""
    kinds = _command_error_kinds(family)
    assert kinds
    for kind in sorted(kinds):
        message = _lookup(f"exceptions.{family}_{kind}.message")
        assert "{name}" in message, (family, kind)


def test_trigger_types_are_translated() -> None:
    for family in FAMILIES.values():
        if family.events is not None:
            for trigger_type in family.events.trigger_types:
                _lookup(f"device_automation.trigger_type.{trigger_type}")


async def test_home_assistant_loads_manifest_services_icons_and_translations(
    hass: HomeAssistant,
) -> None:
    integration = await async_get_integration(hass, DOMAIN)
    assert integration.manifest["domain"] == DOMAIN
    assert integration.config_flow
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    registered = set(hass.services.async_services_for_domain(DOMAIN))
    services_yaml = load_yaml_dict(str(PACKAGE / "services.yaml"))
    # Keys starting with a dot hold YAML anchors shared by several actions.
    assert {name for name in services_yaml if not name.startswith(".")} == registered
    assert registered == {
        action.name for family in FAMILIES.values() for action in family.actions
    }

    descriptions = (await service.async_get_all_descriptions(hass))[DOMAIN]
    strings = await translation.async_get_translations(hass, "en", "services", [DOMAIN])
    icons = (await icon.async_get_icons(hass, "services", [DOMAIN]))[DOMAIN]
    for name in sorted(registered):
        prefix = f"component.{DOMAIN}.services.{name}"
        assert strings.get(f"{prefix}.name"), name
        assert strings.get(f"{prefix}.description"), name
        assert name in icons, f"{name} has no icon in icons.json"
        for field in descriptions[name].get("fields", {}):
            assert strings.get(f"{prefix}.fields.{field}.name"), (name, field)
            assert strings.get(f"{prefix}.fields.{field}.description"), (name, field)

    exceptions = await translation.async_get_translations(
        hass, "en", "exceptions", [DOMAIN]
    )
    assert exceptions.get(f"component.{DOMAIN}.exceptions.cannot_connect.message")


def test_brand_images() -> None:
    """The icon and logo Home Assistant 2026.3+ and HACS read from ``brand/``."""
    from PIL import Image

    sizes = {
        path.name: Image.open(path).size
        for path in sorted((PACKAGE / "brand").glob("*.png"))
    }
    assert sizes["icon.png"] == (256, 256)
    assert sizes["icon@2x.png"] == (512, 512)
    assert 128 <= min(sizes["logo.png"]) <= 256
    assert 256 <= min(sizes["logo@2x.png"]) <= 512


LANGUAGES = ["da", "de"]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _leaves(node: Any, prefix: str = "") -> dict[str, str]:
    """Every string of a translation file by its dotted key path."""
    if isinstance(node, dict):
        found: dict[str, str] = {}
        for key, value in node.items():
            found.update(_leaves(value, f"{prefix}{key}."))
        return found
    return {prefix.rstrip("."): node}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translation_has_the_english_keys_and_placeholders(language: str) -> None:
    english = _leaves(EN)
    translated = _leaves(
        json.loads((PACKAGE / "translations" / f"{language}.json").read_text())
    )
    assert set(translated) == set(english)
    for path, text in english.items():
        assert isinstance(translated[path], str), path
        assert translated[path], path
        assert set(PLACEHOLDER.findall(translated[path])) == set(
            PLACEHOLDER.findall(text)
        ), path


@pytest.mark.parametrize("language", LANGUAGES)
async def test_home_assistant_loads_the_translation(
    hass: HomeAssistant, language: str
) -> None:
    for category in ("services", "exceptions", "config"):
        strings = await translation.async_get_translations(
            hass, language, category, [DOMAIN]
        )
        assert strings, (language, category)
    services = await translation.async_get_translations(
        hass, language, "services", [DOMAIN]
    )
    translated = json.loads((PACKAGE / "translations" / f"{language}.json").read_text())
    # The language's own file is read, not the English fallback.
    name = translated["services"]["trio_dial"]["name"]
    assert name != EN["services"]["trio_dial"]["name"]
    assert services[f"component.{DOMAIN}.services.trio_dial.name"] == name
