"""Build hook: compile the planner's pricing (labelling.c) into a cffi extension at install
time, so that nothing is compiled or loaded from a writable cache when the planner runs.

A wheel gets ``provide/core/planning/_labelling.<abi>.so`` (and a platform tag); an editable
install (``make install`` runs ``uv pip install -e .``) builds it next to the sources, where
the editable package is imported from. The C compiler is needed here only. If it fails the
build fails, unless ``PROVIDE_BUILD_PRICING=optional`` says to install without it; the
planner then prices in Python (same answers, slower) and ``provide check`` warns
(provide.W001). See docs/decisions/compiled-pricing.md.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGE = Path("src/provide/core/planning")
MODULE = "provide.core.planning._labelling"
COMPILE_ARGS = ["-O2", "-std=c99", "-D_POSIX_C_SOURCE=199309L"]


def labelling_ffi(root: Path) -> Any:
    """The cffi builder of the extension: ``labelling.h`` is both the C header and the cdef."""
    from cffi import FFI

    folder = root / PACKAGE
    header = (folder / "labelling.h").read_text()
    builder = FFI()
    builder.cdef("\n".join(line for line in header.splitlines() if not line.startswith("#")))
    builder.set_source(
        MODULE,
        '#include "labelling.h"',
        sources=[str(folder / "labelling.c")],
        include_dirs=[str(folder)],
        extra_compile_args=COMPILE_ARGS,
    )
    return builder


def build_labelling(root: Path, target_folder: Path) -> Path:
    """Compile the extension and put it in ``target_folder``; returns its path."""
    name = "_labelling" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(labelling_ffi(root).compile(tmpdir=scratch, verbose=False))
        target_folder.mkdir(parents=True, exist_ok=True)
        target = target_folder / name
        partial = target.with_suffix(".tmp")
        shutil.copyfile(built, partial)
        os.replace(partial, target)
    return target


class LabellingBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return  # the sdist ships labelling.c and this hook
        root = Path(self.root)
        try:
            if version == "editable":
                build_labelling(root, root / PACKAGE)
                return
            self._scratch = tempfile.mkdtemp(prefix="provide-labelling-")
            built = build_labelling(root, Path(self._scratch))
        except Exception as error:  # the compiler's errors come in many types
            if os.environ.get("PROVIDE_BUILD_PRICING") == "optional":
                print(f"provide: compiled pricing not built ({error})", file=sys.stderr)
                return
            raise
        build_data["force_include"][str(built)] = f"provide/core/planning/{built.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        scratch = getattr(self, "_scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
