"""Our contacts (我方对接人): our own staff who work with customers; every user sees them."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import Field

from graphmap.api.bodies import ContactCreate, ContactUpdate
from graphmap.api.deps import Admin, CurrentPrincipal, Editor, StoreDep
from graphmap.api.listing import Page, Window, matches, page_of
from graphmap.api.routes.records import IdPath
from graphmap.api.versions import IfMatch, expected_version, with_etag
from graphmap.editing import create_contact, delete_contact, find_contact, update_contact
from graphmap.graph import list_contacts
from graphmap.model import Contact, Team
from graphmap.queries import Q

router = APIRouter(tags=["contacts / 我方对接人"])


class ContactFilters(Window):
    team: Team | None = None
    q: str | None = Field(default=None, max_length=200, description="part of the name or title")

    def keep(self, c: Contact) -> bool:
        return (self.team is None or c.team == self.team) and (matches(c.name, self.q) or matches(c.title, self.q))


@router.get("/contacts", summary="列出我方对接人 / List our contacts", operation_id=Q.list_contacts)
def list_contacts_(
    store: StoreDep,
    principal: CurrentPrincipal,
    filters: Annotated[ContactFilters, Query()],
) -> Page[Contact]:
    # Without the counts of people and accounts covered: those would tell about accounts not granted.
    contacts = [Contact(**c.model_dump(include=set(Contact.model_fields))) for c in list_contacts(store)]
    return page_of([c for c in contacts if filters.keep(c)], filters, ("id", "name", "team"), "name")


@router.get("/contacts/{contact_id}", summary="查看对接人 / Get one of our contacts", operation_id="get_contact")
def get_contact(store: StoreDep, principal: CurrentPrincipal, contact_id: IdPath, response: Response) -> Contact:
    return with_etag(response, find_contact(store, contact_id))


@router.post("/contacts", status_code=status.HTTP_201_CREATED, summary="新建对接人 / Create a contact",
             operation_id="create_contact")  # fmt: skip
def create_contact_(store: StoreDep, principal: Editor, body: ContactCreate, response: Response) -> Contact:
    return with_etag(response, create_contact(store, body.model_dump(exclude_unset=True), principal.user.id))


@router.patch("/contacts/{contact_id}", summary="修改对接人 / Update a contact", operation_id="update_contact")
def update_contact_(store: StoreDep, principal: Editor, contact_id: IdPath, body: ContactUpdate,
                    response: Response, if_match: IfMatch = None) -> Contact:  # fmt: skip
    changes = body.model_dump(exclude_unset=True)
    return with_etag(
        response, update_contact(store, contact_id, changes, principal.user.id, expected_version(if_match))
    )


@router.delete("/contacts/{contact_id}", status_code=status.HTTP_204_NO_CONTENT,
               summary="删除对接人 / Delete a contact (admins)", operation_id="delete_contact")  # fmt: skip
def delete_contact_(store: StoreDep, principal: Admin, contact_id: IdPath, if_match: IfMatch = None) -> None:
    delete_contact(store, contact_id, principal.user.id, expected_version(if_match))
