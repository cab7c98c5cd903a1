"""Build hook: compile the planner's pricing (``labelling.c``) into a cffi extension when the
package is built or installed, so that nothing is compiled, or loaded from a writable cache,
when the planner runs (docs/decisions/compiled-pricing.md).

* A wheel gets ``provide/core/planning/_labelling.<abi>.so`` and a platform tag.
* An editable install (``make install`` runs ``uv pip install --no-deps -e .``) puts the
  extension next to the sources, in ``src/provide/core/planning/``, where the editable
  package is imported from (git ignores it).

Without a C compiler or the Python headers the package installs without the extension:
the planner then prices in Python (same answers, slower) and ``provide check`` warns
(provide.W003). ``PROVIDE_BUILD_PRICING=required`` makes that an error instead. A compiler
that fails on the sources is always an error.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGE = Path("src/provide/core/planning")
BUILD_SCRIPT = PACKAGE / "_labelling_build.py"
WHEEL_FOLDER = "provide/core/planning"


def missing_toolchain() -> str | None:
    """What is missing to compile an extension for this Python (None: nothing)."""
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler!r} is not on PATH)"
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not headers.exists():
        return f"no Python headers ({headers} is missing)"
    return None


def build_extension(root: Path, target_folder: Path) -> Path:
    """Compile the extension with the build script's ``ffibuilder`` and move it into
    ``target_folder`` (atomically: a running process sees the old file or the new one)."""
    spec = importlib.util.spec_from_file_location("_labelling_build", root / BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    with tempfile.TemporaryDirectory(prefix="provide-labelling-") as scratch:
        built = Path(script.ffibuilder.compile(tmpdir=scratch, verbose=False))
        target_folder.mkdir(parents=True, exist_ok=True)
        target = target_folder / built.name
        partial = target_folder / f".{built.name}.partial"
        shutil.copyfile(built, partial)
        os.replace(partial, target)
    return target


class LabellingBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return  # an sdist ships the sources and this hook, and builds on install
        missing = missing_toolchain()
        if missing is not None:
            if os.environ.get("PROVIDE_BUILD_PRICING") == "required":
                raise RuntimeError(f"cannot build the compiled pricing: {missing}")
            print(
                f"provide: compiled pricing not built, {missing}; the planner will price in "
                "Python (slower). Install gcc and the Python headers, then reinstall.",
                file=sys.stderr,
            )
            return
        root = Path(self.root)
        if version == "editable":
            build_extension(root, root / PACKAGE)
            return
        self._scratch = tempfile.mkdtemp(prefix="provide-wheel-")
        built = build_extension(root, Path(self._scratch))
        build_data["force_include"][str(built)] = f"{WHEEL_FOLDER}/{built.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        scratch = getattr(self, "_scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
