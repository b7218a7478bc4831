"""What a viewer may see of an account: the one masking policy, applied to a network before anything is
computed or drawn from it.

The policy (docs/api.md, "Roles"):
- stakeholders' names are masked (*某某) wherever they are written: their own name, and every free text of
  the account, its people, links and interactions that mentions one of them;
- stakeholders' phones and e-mails are left out;
- our own staff's names stay visible: they are the viewer's colleagues, a viewer needs them to know whom
  to ask, and the same names are in every internal directory;
- every node and link is still there, so a masked analysis counts exactly what an unmasked one counts.

graph.Scope(masked=True) asks for this view; graph.network_chunks applies it as the networks are read, so
the analyses, pages and frames never see a name they must not show.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # graph imports this module: the network type is only named here
    from graphmap.graph import AccountNetwork

_ACCOUNT_TEXTS = ("mapping_goal", "products", "risks", "opportunities", "growth_notes")  # free text


def mask_name(name: str) -> str:
    """A name as shared views show it (*某某 style): no character of it, only its length, so labels stay
    distinguishable by title and position while the person is not identifiable."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return "*" + "某" * max(1, len(name) - 1)
    return "***"


def mask_names_in(text: str, names: Iterable[str]) -> str:
    """Free text with every one of these names masked wherever it is written: longest first, so that 王伟明
    is masked whole before 王伟; one-character names are left alone, they would match too much."""
    for name in sorted({n for n in names if len(n) > 1}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text


def masked_network(network: "AccountNetwork") -> "AccountNetwork":
    """The account as a viewer sees it (the policy above)."""
    names = [p.name for p in network.people]

    def free(text: str | None) -> str | None:
        return None if text is None else mask_names_in(text, names)

    account = network.account.model_copy(
        update={field: free(getattr(network.account, field)) for field in _ACCOUNT_TEXTS}
    )
    people = tuple(
        p.model_copy(
            update={"name": mask_name(p.name), "phone": None, "email": None, "next_action": free(p.next_action)}
        )
        for p in network.people
    )
    coverage = tuple(c.model_copy(update={"referred_by": free(c.referred_by)}) for c in network.coverage)
    interactions = tuple(
        i.model_copy(
            update={"summary": free(i.summary) or "", "follow_up": free(i.follow_up), "on_text": free(i.on_text)}
        )
        for i in network.interactions
    )
    plan_targets = tuple(t.model_copy(update={"note": free(t.note)}) for t in network.plan_targets)
    tasks = tuple(t.model_copy(update={"title": free(t.title) or "", "detail": free(t.detail)}) for t in network.tasks)
    comments = tuple(c.model_copy(update={"text": free(c.text) or ""}) for c in network.comments)
    return network.model_copy(
        update={"account": account, "people": people, "coverage": coverage, "interactions": interactions,
                "plan_targets": plan_targets, "tasks": tasks, "comments": comments}
    )  # fmt: skip
