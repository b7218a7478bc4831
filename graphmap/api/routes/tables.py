"""Customer tables in and out (导入 / 导出): the CLI's import and export, over HTTP.

An import is for admins: its files may touch any account, and the check that every row is valid runs
before anything is written, exactly as `graphmap import` does. An export is for editors (it holds names
and contact fields), of one account they may see; admins may export every account at once.
"""

import shutil
import tempfile
import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi import Path as PathParameter
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from graphmap.addresses import configured_secret
from graphmap.api.deps import (
    AccountQuery,
    Admin,
    AsOfQuery,
    DefaultDay,
    Editor,
    SettingsDep,
    StoreDep,
    VisibilityDep,
)
from graphmap.errors import Busy, Invalid
from graphmap.exporting import TITLES, export_template
from graphmap.importing import ImportReport, run_import
from graphmap.io.tables import Bounds

router = APIRouter(tags=["tables / 表格导入导出"])
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip
SUFFIXES = (".csv", ".xlsx")


@router.post("/imports", summary="导入客户表格 / Import customer tables (admins)", operation_id="import_tables")
def import_tables(
    store: StoreDep,
    principal: Admin,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(description="mapping tables and customer tables, .csv or .xlsx")],
    sheet: Annotated[str | None, Query(max_length=31, description="the XLSX sheet to read (default: all)")] = None,
    dry_run: Annotated[bool, Query(description="check everything; write nothing")] = False,
    partial: Annotated[bool, Query(description="write the valid rows; the others are listed")] = False,
) -> ImportReport:
    if not ONE_IMPORT_AT_A_TIME.acquire(blocking=False):
        raise Busy("another import is running; try again when it has finished / 另一个导入正在进行，请稍后重试")
    folder = Path(tempfile.mkdtemp(prefix="graphmap-upload-"))
    try:
        paths = _save_uploads(files, folder)
        bounds = upload_bounds(settings.api_import_unzipped_limit, settings.api_import_rows)
        hint = " (partial=true writes the valid rows)"
        return run_import(paths, store, actor=principal.user.id, source="api", sheet=sheet, partial=partial,
                          dry_run=dry_run, keep_contact_details=settings.keep_contact_details, bounds=bounds,
                          shown=lambda path: path.name, partial_hint=hint,
                          address_secret=configured_secret(settings))  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        ONE_IMPORT_AT_A_TIME.release()


# An import holds one of the API's threads and much of a core while it checks and writes: one at a time,
# so the other requests keep the rest, and a second import is told to come back rather than queued.
ONE_IMPORT_AT_A_TIME = threading.Lock()
LARGER_IMPORTS = (
    "; import a file this large with `graphmap import` on the server / 更大的文件请在服务器上用 graphmap import 导入"
)


def upload_bounds(unzipped_bytes: int, rows: int) -> Bounds:
    return Bounds(unzipped_bytes=unzipped_bytes, shared_strings_bytes=unzipped_bytes // 4, rows=rows, cells=rows * 64,
                  hint=LARGER_IMPORTS)  # fmt: skip


def _save_uploads(files: list[UploadFile], folder: Path) -> list[Path]:
    """Each upload under its own name (only the last part, so no path from a client is followed)."""
    paths = []
    for number, upload in enumerate(files, start=1):
        name = Path(upload.filename or "").name
        if not name.lower().endswith(SUFFIXES):
            raise Invalid(f"files[{number}]: {name or 'a file without a name'!r} is not a .csv or .xlsx file")
        path = folder / f"{number:03d}" / name  # two uploads may share a name
        path.parent.mkdir()
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out)
        paths.append(path)
    return paths


@router.get(
    "/exports/{template}",
    summary="导出客户表格 / Export a customer table, ready to edit and import again",
    operation_id="export_table",
    response_class=FileResponse,
    responses={
        200: {"content": {media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES.values()}}
    },  # fmt: skip
)
def export_table(
    store: StoreDep,
    principal: Editor,
    visibility: VisibilityDep,
    template: Annotated[str, PathParameter(pattern="^(" + "|".join(TITLES) + ")$", description="which template")],
    default: DefaultDay,
    account_id: AccountQuery = None,
    language: Annotated[str, Query(pattern="^(zh|en)$", description="headers and labels in zh or en")] = "zh",
    format: Annotated[str, Query(pattern="^(csv|xlsx)$", description="the file type")] = "xlsx",
    as_of: AsOfQuery = None,
) -> FileResponse:
    if account_id is not None:
        visibility.check(account_id)
    elif not principal.is_admin:
        raise Invalid("account_id: give one of your accounts; only admins export every account at once")
    folder = Path(tempfile.mkdtemp(prefix="graphmap-export-"))
    name = f"{template}-{account_id or 'all'}.{format}"
    try:
        export_template(store, folder / name, template, account_id, language, as_of or default)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(folder / name, media_type=MEDIA_TYPES[format], filename=name,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))  # fmt: skip
