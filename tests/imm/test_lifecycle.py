"""What the registries hold over a player's life: ids, stale entities, removal."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venue_av import async_remove_config_entry_device
from custom_components.venue_av.const import DOMAIN
from custom_components.venue_av.imm.services import _find
from simulators.imm import ImmSimulator

from ..helpers import device_id_of
from .conftest import BAR_HOST, BAR_ID, LOBBY_HOST, LOBBY_ID, imm_entry

PLAYER = "media_player.lobby"


async def test_new_client_id_keeps_device_and_entities(
    hass: HomeAssistant, init_integration: MockConfigEntry, imm_sim: ImmSimulator
) -> None:
    """An administrator renames the player's id: same device, same entity ids."""
    device_id = device_id_of(hass, init_integration.entry_id)
    await hass.services.async_call(
        DOMAIN,
        "set_configuration",
        {"entity_id": PLAYER, "client_id": "0011AABB00FF"},
        blocking=True,
    )
    await hass.async_block_till_done()

    assert init_integration.unique_id == "0011AABB00FF"
    assert init_integration.state is ConfigEntryState.LOADED
    device = dr.async_get(hass).async_get(device_id)
    assert (DOMAIN, "0011AABB00FF") in device.identifiers
    assert device_id_of(hass, init_integration.entry_id) == device_id
    registry = er.async_get(hass)
    assert registry.async_get(PLAYER).unique_id == "0011AABB00FF_player"
    assert hass.states.get(PLAYER).state == "playing"
    assert hass.states.get("media_player.lobby_2") is None


async def test_client_id_of_another_player_is_refused(
    hass: HomeAssistant, imm_sim: ImmSimulator
) -> None:
    """Two entries may never share a client id."""
    for entry in (imm_entry(), imm_entry(BAR_HOST, BAR_ID, "Bar")):
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "set_configuration",
            {"entity_id": PLAYER, "client_id": BAR_ID},
            blocking=True,
        )
    assert err.value.translation_key == "client_id_in_use"
    assert imm_sim.client(LOBBY_HOST).client_id == LOBBY_ID


async def test_stale_entities_are_removed(
    hass: HomeAssistant, imm_sim: ImmSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """An entity of a partition the schedule no longer has goes at setup."""
    mock_config_entry.add_to_hass(hass)
    registry = er.async_get(hass)
    stale = registry.async_get_or_create(
        "text",
        DOMAIN,
        f"{LOBBY_ID}_label_99_9",
        config_entry=mock_config_entry,
        suggested_object_id="lobby_gone",
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert registry.async_get(stale.entity_id) is None
    assert (
        registry.async_get("text.lobby_label_tex_block_of_program_program") is not None
    )


async def test_only_unused_devices_can_be_removed(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The player's device stays; a device of an earlier id may be deleted."""
    registry = dr.async_get(hass)
    current = registry.async_get(device_id_of(hass, init_integration.entry_id))
    assert not await async_remove_config_entry_device(hass, init_integration, current)
    old = registry.async_get_or_create(
        config_entry_id=init_integration.entry_id, identifiers={(DOMAIN, "OLD")}
    )
    assert await async_remove_config_entry_device(hass, init_integration, old)


async def test_preview_unavailable_in_standby(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """No program, no picture: the image entity says so instead of failing."""
    await hass.services.async_call(
        "media_player", "media_stop", {"entity_id": PLAYER}, blocking=True
    )
    assert hass.states.get("image.lobby_program_preview").state == STATE_UNAVAILABLE


async def test_label_text_is_capped(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Texts over 255 characters cannot be states: refused before sending."""
    with pytest.raises(Exception, match=r"255|length") as err:
        await hass.services.async_call(
            DOMAIN,
            "set_label",
            {"entity_id": PLAYER, "text": "x" * 256},
            blocking=True,
        )
    assert not isinstance(err.value, AssertionError)


def test_names_before_ids() -> None:
    """A program named "13" wins over the program whose id is 13."""
    items = [(13, "PDF"), (7, "13")]
    assert _find(items, "13", lambda item: item) == (7, "13")
    assert _find(items, "7", lambda item: item) == (7, "13")
    assert _find(items, " pdf ", lambda item: item) == (13, "PDF")
    assert _find(items, "nope", lambda item: item) is None
