"""cffi build script of the compiled pricing: ``labelling.c`` as the extension module
``provide.core.planning._labelling`` (cffi API mode).

Run at install time by the build hook (``hatch_build.py`` at the repository root), never by
the planner. ``labelling.h`` is both the C file's include and cffi's declaration, so the C
compiler checks the struct layout that Python fills by field name. The extension also
carries ``provide_labelling_digest()``, a SHA-256 of the header and the C file it was built
from, so that :mod:`provide.core.planning.native` can refuse an extension older than the
sources beside it.

By hand (from the repository root)::

    .venv/bin/python src/provide/core/planning/_labelling_build.py

compiles into the current directory; ``make install`` is the usual way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cffi import FFI  # type: ignore[import-untyped]

MODULE = "provide.core.planning._labelling"
FOLDER = Path(__file__).resolve().parent
HEADER = FOLDER / "labelling.h"
SOURCE = FOLDER / "labelling.c"
COMPILE_ARGS = ["-O2", "-std=c99"]

DIGEST = hashlib.sha256(HEADER.read_bytes() + SOURCE.read_bytes()).hexdigest()
"""Must equal :func:`provide.core.planning.native.source_digest` of the same files."""

# cffi's parser takes declarations only: the header's include guard and #include go.
DECLARATIONS = "\n".join(
    line for line in HEADER.read_text().splitlines() if not line.lstrip().startswith("#")
)

ffibuilder = FFI()
ffibuilder.cdef(DECLARATIONS)
ffibuilder.cdef("const char *provide_labelling_digest(void);")
ffibuilder.set_source(
    MODULE,
    f'#include "labelling.h"\n'
    f'static const char *provide_labelling_digest(void) {{ return "{DIGEST}"; }}\n',
    sources=[str(SOURCE)],
    include_dirs=[str(FOLDER)],
    extra_compile_args=COMPILE_ARGS,
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
