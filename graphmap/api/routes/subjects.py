"""Data-subject requests (个人数据请求) about one stakeholder: export everything, or erase them (admins)."""

from fastapi import APIRouter

from graphmap.api.deps import Admin, StoreDep, VisibleAccount
from graphmap.api.routes.records import IdPath
from graphmap.changelog import Change
from graphmap.subjects import SubjectExport, erase_person, export_subject

router = APIRouter(tags=["data subjects / 个人数据请求"])


@router.get(
    "/accounts/{account_id}/people/{person_id}/subject-export",
    summary="导出某人的全部数据 / Everything stored about one stakeholder (admins)",
    operation_id="export_subject",
)
def subject_export(store: StoreDep, principal: Admin, account_id: VisibleAccount, person_id: IdPath) -> SubjectExport:
    return export_subject(store, account_id, person_id)


@router.post(
    "/accounts/{account_id}/people/{person_id}/erasure",
    summary="删除某人的全部数据 / Erase one stakeholder without a trace (admins)",
    operation_id="erase_subject",
)
def erasure(store: StoreDep, principal: Admin, account_id: VisibleAccount, person_id: IdPath) -> Change:
    return erase_person(store, account_id, person_id, principal.user.id)
