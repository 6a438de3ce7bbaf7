"""sqlite-utils without pandas and numpy.

sqlite-utils imports pandas and numpy when they are installed, only to map their scalar types to
column types when it creates a table from Python values. Debrief creates its tables in SQL (see
`scoring.migrations`) and binds only plain Python values, yet that import cost the sign-in
screen and every command line call about 0.35 s and 100 MB (pandas brings pyarrow). So the
module body of ``sqlite_utils.db`` is refused those two imports; a module that needs pandas (the
debrief's charts and analysis) imports it as usual, before or after. When pandas was loaded
first, sqlite-utils finds it in ``sys.modules`` and maps its types as before.
"""

from __future__ import annotations

import importlib.abc
import sys

_LEFT_OUT = frozenset({"pandas", "numpy"})  # exactly what sqlite_utils.db asks for
_IMPORTER = "sqlite_utils.db"


class _LeaveOutForSqliteUtils(importlib.abc.MetaPathFinder):
    """Refuses pandas and numpy to the module body of sqlite_utils.db, in whichever thread runs
    it; any other importer, in any thread, finds them as usual."""

    def find_spec(self, fullname, path, target=None):
        if fullname in _LEFT_OUT and _imported_by(_IMPORTER):
            raise ModuleNotFoundError(f"{fullname} is left out for {_IMPORTER}", name=fullname)
        return None


def _imported_by(module: str) -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") == module:
            return True
        frame = frame.f_back
    return False


def leave_data_frames_out_of_sqlite_utils() -> None:
    """Install the finder (once). Costs nothing until sqlite_utils is imported."""
    if not any(isinstance(finder, _LeaveOutForSqliteUtils) for finder in sys.meta_path):
        sys.meta_path.insert(0, _LeaveOutForSqliteUtils())
