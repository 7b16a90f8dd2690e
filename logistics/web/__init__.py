"""The planning web application: upload, validate, solve with live progress, read the plan,
ask what-ifs and compare them, from a browser on the mission network (``logistics serve``).

``app`` builds the FastAPI application; ``store`` keeps the history in SQLite; ``files`` the
uploaded and produced files; ``jobs`` runs solves in worker processes (or on a Dask cluster);
``worker`` is what a worker runs; ``pages`` and ``api`` are the HTML pages and the JSON API.
"""
