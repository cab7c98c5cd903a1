"""Imports from the web and the API: the uploaded file is kept under var/imports/<uuid>/ for the
preview-then-confirm step, and removed once imported."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from provide.accounts.models import User
from provide.intake.models import IntakeImport
from provide.intake.services.custody import PERMISSION as CUSTODY_PERMISSION
from provide.intake.services.custody import custody_import
from provide.intake.services.importing import NOT_ALLOWED, ImportResult, check_permission, max_bytes
from provide.intake.services.investigations import PERMISSION as INVESTIGATIONS_PERMISSION
from provide.intake.services.investigations import investigations_import
from provide.shared.files import private_folder, private_opener

IMPORTERS = {
    IntakeImport.Kind.INVESTIGATIONS: (investigations_import, INVESTIGATIONS_PERMISSION),
    IntakeImport.Kind.CUSTODY: (custody_import, CUSTODY_PERMISSION),
}
TOO_BIG = "The file is larger than the import limit of {limit} MB"
ALREADY_DONE = "This file has already been imported"


class UploadRefused(Exception):
    """The upload cannot be taken (too big, already imported); the message says why."""


def import_dir() -> Path:
    return Path(
        getattr(settings, "PROVIDE_IMPORT_DIR", settings.REPOSITORY_DIR / "var" / "imports")
    )


def can_import(user: User) -> bool:
    return any(user.has_perm(permission) for _, permission in IMPORTERS.values())


def _safe_name(name: str) -> str:
    stem = Path(name).name or "upload"
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in stem)[:120]


def intake_import_stage(*, user: User, kind: str, upload: UploadedFile,
                        mapping: UploadedFile | None = None) -> IntakeImport:  # fmt: skip
    """Keep an uploaded file server-side and record it, ready for a dry run and confirmation."""
    _, permission = IMPORTERS[IntakeImport.Kind(kind)]
    check_permission(user, permission)
    if (upload.size or 0) > max_bytes():
        raise UploadRefused(TOO_BIG.format(limit=max_bytes() // 1024 // 1024))
    record = IntakeImport(
        kind=kind, file_name=_safe_name(upload.name or "upload"), uploaded_by=user
    )
    folder = private_folder(import_dir() / str(record.public_id))
    target = folder / record.file_name
    digest = hashlib.sha256()
    with open(target, "wb", opener=private_opener) as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
    if mapping is not None:
        suffix = ".json" if (mapping.name or "").lower().endswith(".json") else ".csv"
        with open(folder / f"mapping{suffix}", "wb", opener=private_opener) as handle:
            for chunk in mapping.chunks():
                handle.write(chunk)
    record.file_sha256 = digest.hexdigest()
    record.stored_path = str(target)
    record.save()
    return record


def _mapping_of(record: IntakeImport) -> Path | None:
    folder = Path(record.stored_path).parent
    for suffix in (".json", ".csv"):
        if (folder / f"mapping{suffix}").exists():
            return folder / f"mapping{suffix}"
    return None


def intake_import_run(
    *, user: User, record: IntakeImport, dry_run: bool, partial: bool = False
) -> ImportResult:
    """Check (``dry_run``) or import a staged file; the result is kept on the record."""
    importer, permission = IMPORTERS[IntakeImport.Kind(record.kind)]
    check_permission(user, permission)
    if record.status == IntakeImport.Status.IMPORTED:
        raise UploadRefused(ALREADY_DONE)
    path = Path(record.stored_path)
    result = importer(actor=user, path=path, mapping_path=_mapping_of(record), partial=partial,
                      dry_run=dry_run, source_name=record.file_name,
                      rejects_path=path.parent / f"{path.stem}.rejects.csv")  # fmt: skip
    with transaction.atomic():
        record.summary = result.as_dict()
        if not dry_run:
            record.status = (IntakeImport.Status.REJECTED if result.file_rejected
                             else IntakeImport.Status.IMPORTED)  # fmt: skip
        record.save(update_fields=["summary", "status", "updated_at"])
    # A rejected file is never used again (its problems are kept on the record): remove it.
    if record.status == IntakeImport.Status.REJECTED or (
        record.status == IntakeImport.Status.IMPORTED and not result.rejects_path
    ):
        shutil.rmtree(path.parent, ignore_errors=True)
    return result


def require_import_permission(user: User) -> None:
    if not can_import(user):
        raise PermissionDenied(NOT_ALLOWED)
