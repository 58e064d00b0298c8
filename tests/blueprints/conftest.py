"""The blueprints drive several families: their simulators' fixtures, shared here."""

from __future__ import annotations

from ..imm.conftest import imm_sim, mock_config_entry
from ..telecomx.conftest import make_entry, sim_options, tx_sim

__all__ = ["imm_sim", "make_entry", "mock_config_entry", "sim_options", "tx_sim"]
