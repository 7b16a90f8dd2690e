"""The improver's neighbourhoods: the allocation, then the convoys of each window of days, each
with the columns whose cost it reaches."""

from __future__ import annotations

import importlib

from benchmarks.synthetic import synthetic_mission
from logistics.api import compile_scenario
from models.build import build_model
from models.neighbourhoods import REACH_DAYS, WINDOW_DAYS, column_day, plan_neighbourhoods
from models.sets import index_model_data
from models.start import ALLOCATION_COMPONENTS, CONVOY_COMPONENTS

standard_form = importlib.import_module("models.solve")._standard_form


def test_the_allocation_comes_first_then_windows_that_cover_every_convoy_twice_at_most() -> None:
    data = compile_scenario(synthetic_mission(8, horizon_days=17, seed=2))
    view = standard_form(build_model(data, index_model_data(data)))
    hoods = plan_neighbourhoods(view, data.horizon_days)
    name = [var.parent_component().name for var in view.columns]

    allocation, *windows = (hood.columns for hood in hoods)
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


def test_a_window_reaches_the_days_its_convoys_travel_and_the_allocation_the_garrison() -> None:
    """A window of departures from day f reaches every column of days f to f + 13 (its convoys,
    the stock, demand and deficits of those days; end-stock deficits count on the last day);
    the allocation reaches the garrison gap and the units' moves, which convoys never change."""
    data = compile_scenario(synthetic_mission(8, horizon_days=17, seed=2))
    view = standard_form(build_model(data, index_model_data(data)))
    hoods = plan_neighbourhoods(view, data.horizon_days)
    name = [var.parent_component().name for var in view.columns]
    day = [column_day(var, data.horizon_days) for var in view.columns]

    allocation, *windows = hoods
    reached = {"GarrisonShortfall", "Assign"}
    assert {name[col] for col in allocation.reach} == reached
    assert len(allocation.reach) == sum(n in reached for n in name)
    for first, window in zip((1, 8, 15, 4, 11), windows, strict=True):
        expected = {col for col, d in enumerate(day) if first <= d < first + REACH_DAYS}
        assert set(window.reach.tolist()) == expected
        assert set(window.columns.tolist()) <= expected
    shortfall = next(col for col, n in enumerate(name) if n == "Shortfall")
    assert day[shortfall] == view.columns[shortfall].index()[2]
    end_deficit = next(col for col, n in enumerate(name) if n == "EndDeficit")
    assert day[end_deficit] == data.horizon_days
    assert "EndDeficit" in {name[col] for col in windows[2].reach}  # the window of days 15-17
    assert "EndDeficit" not in {name[col] for col in windows[0].reach}
