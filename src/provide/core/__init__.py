"""The decision core: pure Python, no Django, no I/O, time and seeds passed in.

import-linter enforces that nothing here imports Django or any Provide app.
"""
