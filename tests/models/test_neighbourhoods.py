"""The improver's neighbourhoods: the allocation, then the convoys of each window of days."""

from __future__ import annotations

import importlib

from benchmarks.synthetic import synthetic_mission
from logistics.api import compile_scenario
from models.build import build_model
from models.neighbourhoods import WINDOW_DAYS, plan_neighbourhoods
from models.sets import index_model_data
from models.start import ALLOCATION_COMPONENTS, CONVOY_COMPONENTS

standard_form = importlib.import_module("models.solve")._standard_form


def test_the_allocation_comes_first_then_windows_that_cover_every_convoy_twice_at_most() -> None:
    data = compile_scenario(synthetic_mission(8, horizon_days=17, seed=2))
    view = standard_form(build_model(data, index_model_data(data)))
    hoods = plan_neighbourhoods(view, data.horizon_days)
    name = [var.parent_component().name for var in view.columns]

    allocation, *windows = hoods
    assert {name[col] for col in allocation} <= ALLOCATION_COMPONENTS
    assert "Assign" in {name[col] for col in allocation}
    assert len(allocation) == sum(
        1
        for col, is_int in enumerate(view.is_integer)
        if is_int and name[col] in ALLOCATION_COMPONENTS
    )
    # 17 days: windows from day 1, 8 and 15, then shifted ones from day 4 and 11
    assert len(windows) == 5
    for first, window in zip((1, 8, 15, 4, 11), windows, strict=True):
        days = {view.columns[col].index()[1] for col in window}
        assert {name[col] for col in window} <= CONVOY_COMPONENTS
        assert first <= min(days) and max(days) < first + WINDOW_DAYS
    convoy_columns = [
        col
        for col, is_int in enumerate(view.is_integer)
        if is_int and name[col] in CONVOY_COMPONENTS
    ]
    cover = {col: sum(col in set(window.tolist()) for window in windows) for col in convoy_columns}
    assert all(1 <= count <= 2 for count in cover.values())
