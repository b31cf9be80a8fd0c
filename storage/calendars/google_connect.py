"""``slotbot google connect HANDLE``: the OAuth installed-app flow (google-auth-oauthlib).

Two ways, both ending with the refresh token stored encrypted
(:class:`~storage.calendars.google_grants.GrantStore`):

* loopback (a desktop, or a server with a forwarded port): a local redirect
  server on 127.0.0.1 catches Google's answer (``run_local_server``);
* paste (a headless server): the authorization URL is printed; after
  approving, the browser lands on an unreachable ``http://localhost:1/?code=…``
  page, and the operator pastes that address (or just the code) back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from google_auth_oauthlib.flow import InstalledAppFlow

from storage.calendars.google import SCOPES
from storage.calendars.google_grants import GrantStore

AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
#: Where the browser is sent in paste mode: nothing listens there, the code is in the URL.
PASTE_REDIRECT = "http://localhost:1/"


class ConnectError(Exception):
    """The flow did not produce a grant; the message says why (never a secret)."""


def connect(host_id: int, grants: GrantStore, *, client_id: str, client_secret: str,
            token_url: str, now: datetime, paste: Callable[[str], str] | None = None,
            open_browser: bool = True, auth_uri: str = AUTH_URI) -> None:
    """Run the flow for one host and store its grant.

    Args:
        paste: paste mode: called with the authorization URL to show, returns
            what the operator pasted (the redirected address or the code).
            None: loopback mode.
        open_browser: loopback mode: open the URL in a browser (else print it).

    Raises:
        ConnectError: no code, Google refused it, or no refresh token came back.
    """
    config = {"installed": {"client_id": client_id, "client_secret": client_secret,
                            "auth_uri": auth_uri, "token_uri": token_url,
                            "redirect_uris": ["http://localhost", PASTE_REDIRECT]}}
    flow = InstalledAppFlow.from_client_config(config, scopes=SCOPES)
    try:
        if paste is None:
            credentials = flow.run_local_server(port=0, open_browser=open_browser,
                                                access_type="offline", prompt="consent")
        else:
            flow.redirect_uri = PASTE_REDIRECT
            url, _ = flow.authorization_url(access_type="offline", prompt="consent")
            code = _code(paste(url))
            flow.fetch_token(code=code)
            credentials = flow.credentials
    except ConnectError:
        raise
    except Exception as exc:  # oauthlib's errors carry no secrets, only the reason
        raise ConnectError(f"Google did not grant access: {type(exc).__name__}: {exc}"
                           ) from None
    if not credentials.refresh_token:
        raise ConnectError("Google sent no refresh token; remove Slotbot's access in your "
                           "Google account and connect again")
    expiry = credentials.expiry.replace(tzinfo=UTC) if credentials.expiry else None
    grants.save(host_id, credentials.refresh_token, now, credentials.token, expiry)


def _code(pasted: str) -> str:
    text = pasted.strip()
    if "code=" in text:
        found = parse_qs(urlsplit(text).query).get("code")
        if found:
            return found[0]
    if not text or " " in text:
        raise ConnectError("paste the address your browser showed (or the code in it)")
    return text
