"""Bench-only custom component: cheap event-loop measurements (``scripts/bench imm``).

Never part of the integration. ``scripts/lib/bench_imm.py`` links it into the throwaway
config directory of the Home Assistant it measures and loads it from YAML. It measures
without asyncio debug mode (which doubles the cost and distorts the figures):

* every callback the loop runs goes through ``asyncio.events.Handle._run`` (tasks'
  steps, call_soon, timers, I/O callbacks): wrapped with two ``perf_counter`` calls,
  keeping the longest duration and what it ran;
* a timer every 0.1 s records how late it fires (the worst timer lateness);
* ``gc.callbacks`` time each collection per generation (full collections are gen 2).

``GET /api/bench_loop_probe`` returns the maxima since the last reset; ``?reset=1``
resets them after reading; ``?collect=1`` schedules one full ``gc.collect()`` as a loop
callback (what an automatic full collection costs with this heap).
"""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any

from aiohttp import web
from homeassistant.components.http import HomeAssistantView
from homeassistant.core import HomeAssistant
from homeassistant.helpers.typing import ConfigType

DOMAIN = "bench_loop_probe"
TICK = 0.1


class _Stats:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.max_callback = 0.0
        self.max_callback_what = ""
        self.max_late = 0.0
        self.callbacks = 0
        self.over_50ms = 0
        self.gc_max = [0.0, 0.0, 0.0]
        self.gc_count = [0, 0, 0]
        self.since = time.monotonic()

    def as_dict(self) -> dict[str, Any]:
        return {
            "max_callback_ms": self.max_callback * 1000,
            "max_callback_what": self.max_callback_what,
            "max_timer_late_ms": self.max_late * 1000,
            "callbacks": self.callbacks,
            "callbacks_over_50ms": self.over_50ms,
            "gc_max_ms": [d * 1000 for d in self.gc_max],
            "gc_count": list(self.gc_count),
            "seconds": time.monotonic() - self.since,
        }


STATS = _Stats()


def _describe(callback: Any) -> str:
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        coro = owner.get_coro()
        return f"task {getattr(coro, '__qualname__', coro)!s}"
    return str(getattr(callback, "__qualname__", callback))[:200]


def _install(hass: HomeAssistant) -> None:
    original = asyncio.events.Handle._run  # noqa: SLF001
    perf = time.perf_counter
    stats = STATS

    def _run(self: asyncio.Handle) -> None:
        # Kept before the run: a handle cancelled while it runs loses its callback.
        callback = self._callback  # type: ignore[attr-defined]
        start = perf()
        original(self)
        took = perf() - start
        stats.callbacks += 1
        if took > 0.05:
            stats.over_50ms += 1
        if took > stats.max_callback:
            stats.max_callback = took
            stats.max_callback_what = _describe(callback)

    asyncio.events.Handle._run = _run  # type: ignore[method-assign]  # noqa: SLF001

    loop = hass.loop

    def _tick(expected: float) -> None:
        late = loop.time() - expected
        stats.max_late = max(stats.max_late, late)
        loop.call_at(expected + TICK, _tick, expected + TICK)

    first = loop.time() + TICK
    loop.call_at(first, _tick, first)

    started: list[float] = [0.0]

    def _gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = perf()
            return
        generation = info.get("generation", 0)
        took = perf() - started[0]
        stats.gc_count[generation] += 1
        stats.gc_max[generation] = max(stats.gc_max[generation], took)

    gc.callbacks.append(_gc)


class ProbeView(HomeAssistantView):
    """The measurements as JSON."""

    url = "/api/bench_loop_probe"
    name = "api:bench_loop_probe"

    async def get(self, request: web.Request) -> web.Response:
        """Read (and optionally reset) the maxima."""
        body = STATS.as_dict()
        if request.query.get("reset"):
            STATS.reset()
        if request.query.get("collect"):
            asyncio.get_running_loop().call_soon(gc.collect)
        return web.json_response(body)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Install the probe."""
    _install(hass)
    hass.http.register_view(ProbeView())
    return True
