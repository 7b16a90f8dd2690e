"""Fixtures of the model tests."""

from __future__ import annotations

import pytest

from tests.models.factory import Mission, hub_and_camp


@pytest.fixture
def road_mission() -> Mission:
    """``hub_and_camp`` with 1 truck and line L1 (max 1 truck, 100 USD per truck round trip)."""
    return (
        hub_and_camp()
        .home("HUB", "TRUCK", 1)
        .truck_line(
            "L1",
            max_vehicles=1,
            cost_per_vehicle=100.0,
        )
    )
