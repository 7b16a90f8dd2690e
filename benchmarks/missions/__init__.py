"""A benchmark suite of missions: theatres from public facts, horizons and stress variants.

Each member is (theatre, horizon, variant): the bundled Mali mission and theatres built from
public facts about South Sudan (UNMISS), eastern DR Congo (MONUSCO) and Somalia (ATMIS/UNSOS),
plus realistic synthetic theatres; 28 and 42 days; as they stand, with the main supply route
blockaded from mid-horizon, in the rainy season, and with an escort unit withdrawn. Run
``python -m benchmarks.missions --help`` for the runner and the workbook writer.

Modules: ``facts`` (what a theatre is made of), ``build`` (facts to a ``Scenario``), one module
per theatre, ``synthetic`` (the generator), ``variants`` (the stress transformations),
``suite`` (the members), ``runner`` (solve and measure).
"""
