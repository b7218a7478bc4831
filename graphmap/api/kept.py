"""Kept answers sent before routing: a GET whose answer is kept (api/cache.py) for how its caller sees the
graph as it is now gets it from here, without FastAPI's routing and dependency solving, which were three
quarters of such a request's cost (py-spy of a worker at 50 clients). Everything else goes on to the
routes, which decide as before; api/deps.kept_answer says why the two always agree."""

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from graphmap.api.deps import kept_answer


class KeptAnswers:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            request = Request(scope)
            answer = await kept_answer(request)
            if answer is not None:
                return await answer.response(request)(scope, receive, send)
        await self.app(scope, receive, send)
