"""Files in and out: reading mission workbooks, writing workbooks and files safely.

The reader turns a workbook into a ``Scenario`` with the cell of every value; the security checks
pre-flight a file before it is opened; the spreadsheet helpers and the atomic writes are shared by
every workbook the tool writes (the input template, the plan, the comparison).
"""
