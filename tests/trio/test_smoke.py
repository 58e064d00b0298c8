from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.helpers import entities_of


async def test_setup(hass: HomeAssistant, room: MockConfigEntry) -> None:
    for k, v in entities_of(hass, room.entry_id).items():
        print(k, v["state"])
    assert 0
