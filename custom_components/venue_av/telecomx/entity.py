"""Devices of an account (the account, its boxes, its groups) and their base entity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from ..const import DOMAIN
from ..entity import VenueAVEntity, device_info
from ..protocol.telecomx import Action, ActionResult, Device
from .commands import Request, async_send, check_allowed
from .const import MANUFACTURER
from .coordinator import TelecomXConfigEntry, TelecomXCoordinator


def account_device(coordinator: TelecomXCoordinator) -> DeviceInfo:
    """The account itself: a service, parent of every box and group."""
    return DeviceInfo(
        identifiers={(DOMAIN, coordinator.account)},
        name=coordinator.device_name,
        manufacturer=MANUFACTURER,
        model=f"IPTV account ({coordinator.access_level.wire})",
        entry_type=DeviceEntryType.SERVICE,
    )


@dataclass(frozen=True, slots=True)
class Scope:
    """What an entity acts on: one box, one configured group, or all boxes.

    ``target_id`` is the box id, the group id, or None for all boxes.
    """

    kind: str  # "box" | "group" | "all"
    target_id: str | None

    @classmethod
    def box(cls, box: Device) -> Scope:
        """One box."""
        return cls("box", box.device_id)

    @classmethod
    def group(cls, group_id: str | None) -> Scope:
        """A configured group (None: all boxes)."""
        return cls("group" if group_id else "all", group_id)

    def identifier(self, coordinator: TelecomXCoordinator) -> str:
        """The device identifier of the scope."""
        if self.kind == "box":
            assert self.target_id is not None
            return coordinator.box_identifier(self.target_id)
        return coordinator.group_identifier(self.target_id)

    def request(self, coordinator: TelecomXCoordinator) -> Request:
        """The one request that reaches the scope."""
        if self.kind == "box":
            assert self.target_id is not None
            box = coordinator.data.boxes.get(self.target_id)
            name = box.name if box else self.target_id
            return Request(coordinator, self.target_id, name, False)
        target = coordinator.group_target(self.target_id)
        return Request(coordinator, target.group_id, target.name, True)

    def device(self, coordinator: TelecomXCoordinator) -> DeviceInfo:
        """The scope's device."""
        if self.kind == "box":
            assert self.target_id is not None
            box = coordinator.data.boxes[self.target_id]
            return device_info(
                self.identifier(coordinator),
                name=box.name,
                manufacturer=MANUFACTURER,
                model=box.model,
                mac=box.mac,
                via_identifier=coordinator.account,
            )
        if self.kind == "group":
            assert self.target_id is not None
            return device_info(
                self.identifier(coordinator),
                name=coordinator.groups.get(self.target_id, self.target_id),
                manufacturer=MANUFACTURER,
                model="IPTV box group",
                via_identifier=coordinator.account,
            )
        return DeviceInfo(
            identifiers={(DOMAIN, self.identifier(coordinator))},
            translation_key="telecomx_all_boxes",
            translation_placeholders={"account": coordinator.device_name},
            manufacturer=MANUFACTURER,
            model="IPTV box group",
            via_device=(DOMAIN, coordinator.account),
        )


class TelecomXEntity(VenueAVEntity[TelecomXCoordinator]):
    """An entity of a box or a group; ``key`` makes its unique id."""

    def __init__(
        self, coordinator: TelecomXCoordinator, scope: Scope, key: str
    ) -> None:
        """Attach the entity to the scope's device."""
        unique_id = f"{scope.identifier(coordinator)}_{key}"
        coordinator.entity_unique_ids.add(unique_id)
        super().__init__(coordinator, unique_id, scope.device(coordinator))
        self.scope = scope

    @property
    def box(self) -> Device | None:
        """The box (None for groups, or a box the cloud no longer lists)."""
        if self.scope.kind != "box" or self.scope.target_id is None:
            return None
        return self.coordinator.data.boxes.get(self.scope.target_id)

    @property
    def available(self) -> bool:
        """Unavailable while the cloud fails, and for a box it no longer lists."""
        if not super().available:
            return False
        return self.scope.kind != "box" or self.box is not None

    async def async_act(self, action: Action) -> ActionResult:
        """Schedule ``action`` on the scope: one request, never retried."""
        check_allowed(self.coordinator, action.type)
        return await async_send(self.scope.request(self.coordinator), action)


type EntityFactory = Callable[[TelecomXCoordinator, Scope], list[Entity]]


def async_setup_scoped(
    entry: TelecomXConfigEntry,
    async_add_entities: AddEntitiesCallback,
    factory: EntityFactory,
) -> None:
    """Add a platform's entities for every group and box, and for boxes that appear.

    The coordinator calls the registered adder with the boxes that appeared since the
    last poll (dynamic devices: no reload).
    """
    coordinator = entry.runtime_data
    entities: list[Entity] = []
    for group_id in (None, *coordinator.groups):
        entities.extend(factory(coordinator, Scope.group(group_id)))
    for box in coordinator.device_boxes():
        entities.extend(factory(coordinator, Scope.box(box)))
    async_add_entities(entities)

    def _add_boxes(boxes: list[Device]) -> None:
        async_add_entities(
            [entity for box in boxes for entity in factory(coordinator, Scope.box(box))]
        )

    coordinator.platforms.adders.append(_add_boxes)
