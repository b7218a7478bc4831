"""analysis.memo.per_network: an answer is reused for the very same network object and arguments only,
and no caller can change what the next one is given."""

from datetime import date

from graphmap.analysis.influence import influence_centrality
from graphmap.analysis.memo import per_network
from graphmap.analysis.strength import network_strengths
from graphmap.graph import AccountNetwork
from tests.unit.test_pages import network

DAY = date(2024, 9, 30)


def test_the_same_network_and_day_are_answered_once():
    calls: list[tuple[int, date]] = []

    @per_network(size=2)
    def people_on(net: AccountNetwork, day: date) -> list[str]:
        calls.append((id(net), day))
        return [p.id for p in net.people]

    one, equal = network(), network()  # equal, but another object: another network as far as it knows
    first = people_on(one, DAY)
    first.append("changed by the caller")
    assert people_on(one, DAY) == ["p1", "p2"] and len(calls) == 1  # kept, and a copy each time
    assert people_on(one, date(2024, 10, 1)) == ["p1", "p2"] and len(calls) == 2  # another day
    assert people_on(equal, DAY) == ["p1", "p2"] and len(calls) == 3
    people_on(one, DAY)  # the first entry went when the third came (size 2)
    assert len(calls) == 4
    people_on(one, {"unhashable": DAY})  # type: ignore[arg-type]
    people_on(one, {"unhashable": DAY})  # type: ignore[arg-type]
    assert len(calls) == 6  # computed each time


def test_the_kept_analyses_answer_as_computed_afresh():
    net = network()
    assert network_strengths(net, DAY) == network_strengths.__wrapped__(net, DAY)  # type: ignore[attr-defined]
    assert network_strengths(net, DAY) is not network_strengths(net, DAY)
    assert influence_centrality(net) == influence_centrality.__wrapped__(net)  # type: ignore[attr-defined]
