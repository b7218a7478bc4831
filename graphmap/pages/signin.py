"""The browser's way in to the workspace (graphmap.sessions): the sign-in page and the list of accounts
a signed-in user may open. Plain HTML with its own small style, nothing fetched, every value escaped."""

from collections.abc import Sequence
from urllib.parse import quote

from graphmap.graph import AccountSummary
from graphmap.pages.html import assert_offline, text

_STYLE = """body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f4f6f8;
color:#263238}main{max-width:640px;margin:48px auto;background:#fff;padding:28px 32px;border-radius:8px;
box-shadow:0 1px 4px #0002}h1{font-size:22px;margin:0 0 16px}label{display:block;margin:12px 0 4px}
input[type=password]{width:100%;box-sizing:border-box;padding:8px;font-size:15px}button{margin-top:16px;padding:8px
18px;font-size:15px}p.error{color:#b71c1c;background:#ffebee;padding:8px 12px;border-radius:4px}
:focus-visible{outline:3px solid #1565c0;outline-offset:2px}li{margin:6px 0}.who{color:#546e7a}"""


def _page(title: str, body: str) -> str:
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{text(title)} · graphmap</title><style>{_STYLE}</style></head>
<body><main>{body}</main></body></html>"""
    return assert_offline(page, "the sign-in page")


def sign_in_page(next_path: str, form_token: str, error: str | None = None) -> str:
    """The form that exchanges an API token for a browser session; `form_token` guards the form itself."""
    problem = f'<p class="error" role="alert">{text(error)}</p>' if error else ""
    return _page(
        "登录 / Sign in",
        f"""<h1>graphmap 登录 / Sign in</h1>{problem}
<form method="post" action="/login">
  <label for="token">API 令牌 / API token (gm_...)</label>
  <input type="password" id="token" name="token" autocomplete="off" required autofocus maxlength="200">
  <input type="hidden" name="next" value="{text(next_path)}">
  <input type="hidden" name="form_token" value="{text(form_token)}">
  <button type="submit">登录 / Sign in</button>
</form>
<p class="who">令牌由管理员用 <code>graphmap token create</code> 创建；登录后浏览器只保存一个 12 小时的会话。<br>
An admin creates tokens with <code>graphmap token create</code>; the browser keeps only a 12-hour session.</p>""",
    )


def accounts_page(user_name: str, role: str, accounts: Sequence[AccountSummary], csrf: str) -> str:
    """Where a signed-in user lands: the accounts they may open, and signing out."""
    items = (
        "".join(
            f'<li><a href="/accounts/{text(quote(a.id))}/page">{text(a.name)}</a> '
            f'<span class="who">{text(a.id)} · {a.people} 人 / people</span></li>'
            for a in accounts
        )
        or "<li>没有可查看的客户 / no accounts granted to you yet</li>"
    )
    return _page(
        "客户 / Accounts",
        f"""<h1>客户 / Accounts</h1>
<p class="who">{text(user_name)} · {text(role)}</p>
<ul>{items}</ul>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="{text(csrf)}">
<button type="submit">退出登录 / Sign out</button></form>""",
    )
