"""An entry exactly as the first release stored it keeps working after the new layout."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venue_av.const import DOMAIN
from simulators.imm import ImmSimulator

from ..conftest import SetUpEntry
from .conftest import LOBBY_HOST, LOBBY_ID

# What release 0.1.0 wrote: data keys and values, version 1.1, no options.
RELEASED_DATA = {
    "kind": "imm",
    "host": LOBBY_HOST,
    "port": 8085,
    "interaction_key": "0000",
    "client_id": LOBBY_ID,
}
RELEASED_ACTIONS = {
    "start_program",
    "start_schedule",
    "start_partition",
    "stop_partition",
    "set_label",
    "play_media",
    "play_web",
    "play_stream",
    "play_youtube",
    "push_sensor",
    "get_event_script",
    "set_configuration",
}


async def test_released_entry_sets_up_with_its_ids(
    hass: HomeAssistant, imm_sim: ImmSimulator, setup_entry: SetUpEntry
) -> None:
    entry = await setup_entry(
        MockConfigEntry(
            domain=DOMAIN,
            title="Lobby",
            unique_id=LOBBY_ID,
            version=1,
            minor_version=1,
            data=RELEASED_DATA,
        )
    )

    assert entry.state is ConfigEntryState.LOADED
    assert dict(entry.data) == RELEASED_DATA  # no migration rewrote it
    registered = {
        item.entity_id: item.unique_id
        for item in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    }
    # Entity ids and unique ids of the release (a sample of each platform).
    assert registered["media_player.lobby"] == f"{LOBBY_ID}_player"
    assert registered["sensor.lobby_status"] == f"{LOBBY_ID}_status"
    assert registered["switch.lobby_follow_schedule"] == f"{LOBBY_ID}_follow_schedule"
    assert registered["binary_sensor.lobby_connectivity"] == f"{LOBBY_ID}_connectivity"
    assert registered["image.lobby_program_preview"] == f"{LOBBY_ID}_program_preview"
    assert set(hass.services.async_services_for_domain(DOMAIN)) >= RELEASED_ACTIONS
