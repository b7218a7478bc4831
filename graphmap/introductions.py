"""Introduction requests (引荐请求): from a warm path to a stakeholder, the request to the first person on it.

The request is drafted in Chinese and in English, naming the target, their role and why we want to meet
them (the account's mapping goal), and recorded as a task (origin introduction) for the contact of ours
whose link starts the path. Its outcome is tracked on the task: asked, then introduced or declined. An
introduction ends the task and gives its owner the link it made, status referred, referred_by the one
who introduced us (graphmap.editing's rules, in the same guarded step as the outcome).
"""

from datetime import date

from graphmap.analysis.paths import MAX_HOPS, WarmPath, warm_paths
from graphmap.editing import TASK, create_record
from graphmap.errors import Invalid, NotFound
from graphmap.graph import AccountNetwork, Scope, read_account_network
from graphmap.model import Person, Role, Task, TaskOrigin, titled
from graphmap.store import GraphStore

TITLE_LIMIT = 200  # a task's title (graphmap.model.Name)


def request_introduction(
    store: GraphStore, account_id: str, person_id: str, actor: str, as_of: date | None = None, rank: int = 1
) -> Task:
    """Drafts the request along the `rank`-th best warm path to the stakeholder (1: the best) and records
    it as the path owner's task. Invalid when no path of that rank reaches them, or when one of ours already
    covers them (nobody needs to introduce us)."""
    if not 1 <= rank <= 10:
        raise Invalid(f"rank: {rank} is out of range; give 1 to 10 / 路径序号须在 1 到 10 之间")
    paths = warm_paths(store, person_id, k=rank, max_hops=MAX_HOPS, as_of=as_of, scope=Scope(frozenset([account_id])))
    if len(paths) < rank:
        raise NotFound(
            f"no warm path number {rank} to stakeholder {person_id!r} within {MAX_HOPS} ties: nobody can introduce"
            f" us yet / 在 {MAX_HOPS} 步之内没有第 {rank} 条通往该关键人的引荐路径"
        )
    path = paths[rank - 1]
    network = read_account_network(store, account_id)
    if path.hops < 2:
        raise Invalid(
            f"{path.contact_name} already covers stakeholder {person_id!r}: no introduction is needed"
            f" / 我方{path.contact_name}已直接对接该关键人，无需引荐"
        )
    title, detail = draft(network, path)
    fields = {"title": title, "owner_id": path.contact_id, "person_id": person_id, "via_person_id": path.steps[0].to_id,
              "origin": TaskOrigin.introduction, "detail": detail}  # fmt: skip
    made = create_record(store, TASK, account_id, fields, actor)
    assert isinstance(made, Task)
    return made


def draft(network: AccountNetwork, path: WarmPath) -> tuple[str, str]:
    """The task's title and the request itself, in Chinese then English: to the first person on the path,
    from the owner of our link to them, naming the target, their role and the account's goal."""
    people = {p.id: p for p in network.people}
    via, target = people[path.steps[0].to_id], people[path.target_id]
    ours = titled(path.contact_title, path.contact_name)
    role_zh, role_en = _role(target)
    goal = network.account.mapping_goal
    why_zh = f"关于“{goal}”，" if goal else ""
    why_en = f" as we work on “{goal}”" if goal else ""
    zh = (f"{titled(via.title, via.name)}您好！{why_zh}我们希望拜访贵司的{titled(target.title, target.name)}"
          f"（{role_zh}）。不知您方便时能否为我们引荐？非常感谢！——{ours}")  # fmt: skip
    about = ", ".join(t for t in (target.title, role_en) if t)
    en = (f"Dear {_en_name(via)}, we would value meeting {target.name} ({about}){why_en}. Would you introduce"
          f" us when convenient? Many thanks. — {ours}")  # fmt: skip
    path_words = f"路径 / path: {path.explanation_zh} · {path.explanation_en}"
    title = f"请{titled(via.title, via.name)}引荐{titled(target.title, target.name)} / ask for an introduction"
    return title[:TITLE_LIMIT], f"{zh}\n\n{en}\n\n{path_words}"


def _role(person: Person) -> tuple[str, str]:
    roles = [r for r in person.roles if r is not Role.unknown]
    if not roles:
        return "关键人", "a stakeholder"
    return "、".join(r.zh for r in roles), ", ".join(r.en for r in roles)


def _en_name(person: Person) -> str:
    return f"{person.name} ({person.title})" if person.title else person.name
