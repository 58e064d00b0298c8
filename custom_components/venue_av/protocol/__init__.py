"""Device protocol layer of Venue AV.

Nothing below this package imports Home Assistant: it speaks to devices over a
caller-supplied ``aiohttp.ClientSession`` and returns typed, frozen models, so it can be
tested against the simulators and later be published as a library. One sub-package per
device family; the exception tree in :mod:`.errors` is shared by all of them.
"""
