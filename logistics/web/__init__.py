"""The planning web application: upload, validate, solve with live progress, read the plan,
ask what-ifs and compare them, and share plans with the teams meant to see them, from a browser
on the mission network (``logistics serve``).

``app`` builds the FastAPI application; ``tables`` declares the history's tables and ``store``
keeps them (SQLite or PostgreSQL, migrated by Alembic); ``files`` the uploaded and produced
files; ``jobs`` runs solves in worker processes (or on a Dask cluster); ``worker`` is what a
worker runs; ``pages`` and ``api`` are the HTML pages and the JSON API. ``accounts`` signs people
in, ``access`` holds the table of who may call which route and what each viewer may see,
``sharing`` and ``share_pages`` share plans with teams, ``admin`` manages accounts and shows the
``audit`` trail; ``account_pages`` is the sign-in page.
"""
