"""Reject request bodies over a size limit before the app sees them (413, problem+json).

A declared ``Content-Length`` over the limit is refused at once. A body without one (``Transfer-Encoding:
chunked``) is read here, counting bytes, and refused as soon as it passes the limit; under the limit the
app gets the same messages replayed. The count cannot live inside the app's own ``receive``: FastAPI turns
any exception raised while it reads the body into 400 "error parsing the body", so a chunked body over
the limit was answered 400. Reading at most ``max_bytes`` first costs nothing extra: every route reads
its whole (JSON) body anyway.

FastAPI's own ``max_body_size`` is not used: for a declared length over the limit it replaces whatever
the app answers with Starlette's ``text/plain`` 413, and every error of this API is problem+json.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from klachtspoor.http.problems import problem_response


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        buffered: list[Message] = []
        received = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break  # the client went away: let the app see it
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                await self._reject(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"The request body is larger than {self.max_bytes} bytes"
        await problem_response(413, "Request body too large", detail)(scope, receive, send)
