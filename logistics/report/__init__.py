"""The plan and comparison workbooks: their sheets, tables, KPIs, print layout and words.

This package imports nothing on purpose: ``logistics.drawing`` imports its modules and its modules
import each other, so importing them here would invite import cycles.
"""
