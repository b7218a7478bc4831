"""Interactions captured from calendars and mailboxes (采集): `graphmap capture` over HTTP, for admins and
editors. An editor's capture adds interactions to the accounts they may see only; the review queue and
the addresses given to people follow the same rule (docs/capture.md)."""

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel, Field

from graphmap.api.deps import Editor, SettingsDep, StoreDep, VisibilityDep
from graphmap.api.routes.tables import ONE_IMPORT_AT_A_TIME
from graphmap.capturing import CaptureReport, UnmatchedAddress, capture, give_address, review_queue
from graphmap.errors import Busy, Invalid
from graphmap.graph import find_stakeholder
from graphmap.io.captures import CALENDAR_SUFFIXES, MAIL_SUFFIXES
from graphmap.model import Day

router = APIRouter(tags=["captures / 日历邮件采集"])


@router.post("/captures", summary="采集日历和邮件 / Capture interactions from calendars and mail",
             operation_id="capture")  # fmt: skip
def capture_files(
    store: StoreDep,
    principal: Editor,
    settings: SettingsDep,
    visibility: VisibilityDep,
    files: Annotated[list[UploadFile], File(description="calendars (.ics) and mail (.eml, .mbox)")],
    until: Annotated[Day | None, Query(description="the window's last day (default: today)")] = None,
) -> CaptureReport:
    if not ONE_IMPORT_AT_A_TIME.acquire(blocking=False):
        raise Busy("another import or capture is running; try again when it has finished / 请稍后重试")
    folder = Path(tempfile.mkdtemp(prefix="graphmap-capture-"))
    try:
        paths = []
        for number, upload in enumerate(files, start=1):
            name = Path(upload.filename or "").name  # the last part only: no path from a client is followed
            if not name.lower().endswith(CALENDAR_SUFFIXES + MAIL_SUFFIXES):
                raise Invalid(f"files[{number}]: {name or 'a file without a name'!r} is not a calendar (.ics) or "
                              "mail (.eml, .mbox) file / 不是日历或邮件文件")  # fmt: skip
            path = folder / f"{number:03d}" / name
            path.parent.mkdir()
            with path.open("wb") as out:
                shutil.copyfileobj(upload.file, out)
            if path.stat().st_size > settings.capture_file_limit:
                raise Invalid(f"files[{number}]: {name!r} is larger than {settings.capture_file_limit:,} bytes")
            paths.append(path)
        return capture(paths, store, settings, actor=principal.user.id, as_of=until, accounts=visibility.ids())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        ONE_IMPORT_AT_A_TIME.release()


@router.get("/captures/queue", summary="未匹配的地址 / Addresses capture could not match",
            operation_id="capture_queue")  # fmt: skip
def capture_queue(store: StoreDep, principal: Editor) -> list[UnmatchedAddress]:
    return review_queue(store)


class AddressGiven(BaseModel):
    address: str = Field(max_length=254, description="the e-mail address; only its keyed hash and domain are kept")
    person_id: str | None = Field(default=None, max_length=200, description="a stakeholder you may see")
    contact_id: str | None = Field(default=None, max_length=200, description="one of our contacts")


@router.post("/captures/addresses", summary="登记邮箱以便匹配 / Give someone an address for matching",
             operation_id="give_address", status_code=204)  # fmt: skip
def give(store: StoreDep, principal: Editor, settings: SettingsDep, visibility: VisibilityDep,
         given: AddressGiven) -> None:  # fmt: skip
    if given.person_id is not None:
        visibility.check(find_stakeholder(store, given.person_id).account_id)
    give_address(store, settings, given.address, given.person_id, given.contact_id, actor=principal.user.id)
