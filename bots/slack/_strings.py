"""Every user- and log-facing string of the Slack adapter, in one place."""

from __future__ import annotations


def apology() -> str:
    """The reply a user sees when handling their message failed."""
    return "Sorry, something went wrong on my side. Please try again in a moment."


def log_handle_failed(kind: str, user_id: str) -> str:
    """Logged (with the traceback) when the conversation raised."""
    return f"Handling a Slack {kind} from {user_id} failed"


def log_users_info_failed(user_id: str, error: str) -> str:
    """Logged when ``users.info`` failed; the message goes on without a profile."""
    return f"users.info for {user_id} failed ({error}); continuing without a profile"


def log_post_failed(channel: str, error: str) -> str:
    """Logged when ``chat.postMessage`` failed."""
    return f"chat.postMessage to {channel} failed ({error})"


def log_respond_failed(detail: str) -> str:
    """Logged when posting to a ``response_url`` failed (HTTP status and body, or the error)."""
    return f"Posting to response_url failed ({detail})"


def log_listening(host: str, port: int, path: str) -> str:
    """Logged when the HTTP server starts."""
    return f"Slack app listening on http://{host}:{port}{path}"


def log_duplicate(delivery_id: str) -> str:
    """Logged when a delivery (a Slack retry, a repeated trigger) was stored before."""
    return f"Dropped a repeated Slack delivery {delivery_id}"


def log_sweep_failed() -> str:
    """Logged (with the traceback) when the inbox sweep failed; it runs again later."""
    return "The Slack inbox sweep failed; trying again"


def log_left_in_inbox(count: int) -> str:
    """Logged when stopping left queued messages to the next process."""
    return f"Stopped with {count} Slack message(s) left in the inbox for the next process"


def log_upload_failed(channel: str, error: str) -> str:
    """Logged when ``files_upload_v2`` (a reply's attachment) failed."""
    return f"Uploading a file to {channel} failed ({error})"


def log_done_marks_failed(count: int, error: str) -> str:
    """Logged when done marks (written without anyone waiting) could not be stored."""
    return (f"{count} Slack inbox done mark(s) not written ({error}); their replies are "
            "sent again once the rows are taken over")
