"""Peacekeeping mission logistics planner: workbook in, optimised plan workbook out."""

__version__ = "0.1.0"
