"""``python -m logistics`` runs the command line."""

from logistics.cli import app

app(prog_name="logistics")
