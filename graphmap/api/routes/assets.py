"""The scripts and styles a served page links (graphmap/pages/assets.py): public code, the same for everyone,
so no token is asked; each name carries its content's hash, so a browser keeps it for good."""

import functools
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from graphmap.api.deps import Encoded
from graphmap.errors import NotFound
from graphmap.pages.assets import ASSETS_PATH, page_assets

router = APIRouter(tags=["pages / 页面"])
KEPT_FOR_GOOD = "public, max-age=31536000, immutable"


@router.get(
    f"{ASSETS_PATH}/{{name}}",
    response_class=Response,
    summary="页面的脚本与样式 / A script or style the account pages link",
    operation_id="get_page_asset",
    responses={200: {"content": {"text/javascript": {}, "text/css": {}}}},
)
async def page_asset(
    request: Request, name: Annotated[str, Path(max_length=100, description="as a page links it")]
) -> Response:
    if name not in page_assets():
        raise NotFound(f"no page asset {name!r}: reload the page / 没有此页面资源，请刷新页面")
    response = _encoded(name).response(request)
    response.headers["Cache-Control"] = KEPT_FOR_GOOD
    return response


@functools.cache
def _encoded(name: str) -> Encoded:
    asset = page_assets()[name]
    return Encoded.of(asset.text.encode(), asset.media_type)
