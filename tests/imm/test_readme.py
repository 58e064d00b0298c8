"""The README's IMM action examples run as written against scripts/develop's players."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
import re
from typing import Any

from homeassistant.core import HomeAssistant
import pytest
import yaml

from simulators.imm import ClientSpec, ImmSimulator

from ..conftest import SetUpEntry, allow_loopback
from .conftest import BAR_HOST, HTTP_PORT, LOBBY_HOST, PROBE_PORT, imm_entry

README = Path(__file__).parents[2] / "README.md"
# scripts/develop's players (simulators.imm --clients N: "IMM Client i", 0011AABB000i),
# here on the tests' loopback addresses.
DEVELOP_PLAYERS = (
    (LOBBY_HOST, "0011AABB0001", "IMM Client 1"),
    (BAR_HOST, "0011AABB0002", "IMM Client 2"),
)


def _imm_examples() -> list[dict[str, Any]]:
    """Every ```yaml block of the README's IMM section that calls an action."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## IMM signage players\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    return [
        example
        for block in blocks
        if isinstance(example := yaml.safe_load(block), dict) and "action" in example
    ]


EXAMPLES = _imm_examples()


def test_readme_has_examples() -> None:
    """The section has examples of the actions (the test below would pass on none)."""
    assert {example["action"] for example in EXAMPLES} >= {
        "venue_av.start_program",
        "venue_av.set_label",
        "venue_av.play_media",
        "venue_av.start_partition",
        "venue_av.push_sensor",
    }


@pytest.fixture
async def develop_sim(socket_enabled: None) -> AsyncIterator[ImmSimulator]:
    """Two simulated players named like scripts/develop's."""
    allow_loopback(LOBBY_HOST, BAR_HOST)
    simulator = ImmSimulator(
        [
            ClientSpec(host=host, client_id=client_id, name=name)
            for host, client_id, name in DEVELOP_PLAYERS
        ],
        http_port=HTTP_PORT,
        udp_port=PROBE_PORT,
        time_scale=0.02,
    )
    async with simulator:
        yield simulator


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[example["action"] for example in EXAMPLES]
)
async def test_readme_example_runs(
    hass: HomeAssistant,
    develop_sim: ImmSimulator,
    setup_entry: SetUpEntry,
    example: dict[str, Any],
) -> None:
    """Each example succeeds and reaches every player it targets."""
    for host, client_id, name in DEVELOP_PLAYERS:
        await setup_entry(imm_entry(host, client_id, name))

    def seen(host: str) -> tuple[int, dict[tuple[str, str], str]]:
        """What a player was told: commands run and sensor values pushed."""
        client = develop_sim.client(host)
        return len(client.executed), dict(client.sensor_values)

    before = {host: seen(host) for host, _, _ in DEVELOP_PLAYERS}
    domain, service = example["action"].split(".")
    await hass.services.async_call(
        domain,
        service,
        dict(example.get("data", {})),
        target=dict(example.get("target", {})),
        blocking=True,
    )
    targeted = str(example.get("target"))
    for host, _, name in DEVELOP_PLAYERS:
        entity_id = f"media_player.{name.lower().replace(' ', '_')}"
        assert (seen(host) != before[host]) == (entity_id in targeted), name
