"""Health: whether the API and its engine answer (for load balancers and docker healthchecks)."""

from fastapi import APIRouter
from pydantic import BaseModel

from graphmap.api.deps import StoreDep
from graphmap.queries import Q

router = APIRouter(tags=["health / 健康检查"])


class Health(BaseModel):
    status: str
    engine: str


@router.get("/health", summary="服务与数据库是否可用 / Whether the API and the engine answer")
def health(store: StoreDep) -> Health:
    store.read(Q.ping)
    return Health(status="ok", engine=store.engine)
