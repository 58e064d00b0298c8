"""Hardened XML parsing for device responses.

Devices are on the LAN, not trusted: entity expansion, DTDs and network access are off,
documents with a DOCTYPE are refused, and the body size is capped before parsing.
"""

from __future__ import annotations

from lxml import etree

from .errors import DeviceResponseError

# Real IMM responses are a few kB; a full schedule of a big venue stays well below this.
MAX_XML_BYTES = 1024 * 1024

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def parse_xml(
    body: bytes,
    *,
    what: str,
    error: type[DeviceResponseError] = DeviceResponseError,
) -> etree._Element:
    """Parse ``body`` into its root element or raise ``error`` (the family's class).

    ``what`` names the document in the error text ("schedule", "probe reply").
    """
    if len(body) > MAX_XML_BYTES:
        raise error(f"{what}: body of {len(body)} bytes exceeds the cap")
    if not body.strip():
        raise error(f"{what}: empty body")
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as err:
        raise error(f"{what}: malformed XML ({err.__class__.__name__})") from None
    if root is None:
        raise error(f"{what}: empty document")
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        raise error(f"{what}: documents with a DOCTYPE are refused")
    return root


def text_of(element: etree._Element | None) -> str:
    """Return the stripped text of ``element`` ("" when absent).

    Devices pad values with spaces (``<program> Program </program>``).
    """
    if element is None or element.text is None:
        return ""
    return element.text.strip()


def attr(element: etree._Element, name: str, default: str = "") -> str:
    """Return the stripped attribute ``name`` of ``element`` or ``default``."""
    value = element.get(name)
    return default if value is None else value.strip()


def int_attr(element: etree._Element, name: str) -> int | None:
    """Return attribute ``name`` as an int, None when absent, empty or not a number."""
    return to_int(element.get(name))


def to_int(value: object) -> int | None:
    """Convert a device number ("308", " 42 ", "3.0", 42); None when not a whole number.

    Shared by every family: XML attributes and texts, and JSON values sent as strings.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if not isinstance(value, str) or not (text := value.strip()):
        return None
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def to_bool(value: str | None) -> bool:
    """Interpret a device boolean ("true", "1", "yes"; anything else is False)."""
    return value is not None and value.strip().lower() in {"true", "1", "yes", "on"}
