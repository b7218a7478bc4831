"""The last few answers of a pure function of one account's network, reused while the caller asks about
the very same network object.

The API keeps an account's network while the graph is unchanged (graph.KeptNetworks), and a planner's
page, its redraws and one what-if after another ask the same questions of it: the links' strengths on
a day, the stakeholders' centrality. Networks are frozen, so an answer computed from one stays true of
it; an entry holds its network, so the object's id is never another's while the entry lives.
"""

import copy
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from graphmap.graph import AccountNetwork

F = TypeVar("F", bound=Callable[..., Any])


def per_network(size: int = 8) -> Callable[[F], F]:
    """Keeps the last `size` answers of the decorated function of (network, ...), by network and the other
    arguments (days, frozen settings; an answer whose arguments cannot be hashed is not kept). Each caller
    gets its own shallow copy of the answer (a list or a dict), so none can change what the next is given."""

    def wrap(function: F) -> F:
        kept: OrderedDict[Hashable, tuple[AccountNetwork, Any]] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(function)
        def answer(network: AccountNetwork, *args: Any, **kwargs: Any) -> Any:
            key = (id(network), args, tuple(sorted(kwargs.items())))
            try:
                hash(key)
            except TypeError:  # settings holding a dict, say: not kept
                return function(network, *args, **kwargs)
            with lock:
                found = kept.get(key)
                if found is not None and found[0] is network:
                    kept.move_to_end(key)
                    return copy.copy(found[1])
            result = function(network, *args, **kwargs)
            with lock:
                kept[key] = (network, result)
                while len(kept) > size:
                    kept.popitem(last=False)
            return copy.copy(result)

        return cast(F, answer)

    return wrap
