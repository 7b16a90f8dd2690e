"""What a mission workbook must say: the schemas, the sheet registry and the checks.

The schemas and the registry describe every sheet and field; validation checks a scenario across
sheets and warnings flag suspicious but usable values, each pointing at its cell through the source
map; overlays change a scenario for a what-if run and are checked the same way.
"""
