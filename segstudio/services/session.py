"""Sign-in state: the token in the system keyring (service "segstudio", username = server URL)."""

from __future__ import annotations

import logging

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from segstudio.client import ApiClient, ApiError
from segstudio.client.models import Me

log = logging.getLogger(__name__)

KEYRING_SERVICE = "segstudio"


class TokenStore:
    """Keeps one token per server URL. A missing or broken keyring only means signing in again."""

    def __init__(self, service: str = KEYRING_SERVICE, backend: KeyringBackend | None = None) -> None:
        self.service = service
        self.backend = backend

    def _keyring(self) -> KeyringBackend:
        return self.backend or keyring.get_keyring()

    def load(self, server_url: str) -> str | None:
        try:
            return self._keyring().get_password(self.service, server_url)
        except keyring.errors.KeyringError as exc:
            log.warning("keyring unavailable; not reusing a token", extra={"error": str(exc)})
            return None

    def save(self, server_url: str, token: str) -> bool:
        try:
            self._keyring().set_password(self.service, server_url, token)
            return True
        except keyring.errors.KeyringError as exc:
            log.warning("keyring unavailable; the token is kept for this session only", extra={"error": str(exc)})
            return False

    def forget(self, server_url: str) -> None:
        try:
            self._keyring().delete_password(self.service, server_url)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            log.warning("keyring unavailable; nothing to forget", extra={"error": str(exc)})


class Session:
    """Who is signed in to the client's server. Network failures propagate: they are not a sign-out."""

    def __init__(self, client: ApiClient, store: TokenStore, *, remember: bool = True) -> None:
        self.client = client
        self.store = store
        self.remember = remember
        self.me: Me | None = None

    @property
    def server_url(self) -> str:
        return self.client.base_url

    async def resume(self) -> Me | None:
        """Reuse the stored token while the server still accepts it (checked with /me)."""
        token = self.store.load(self.server_url)
        if not token:
            return None
        self.client.token = token
        try:
            self.me = await self.client.me()
        except ApiError as exc:
            if exc.status in (401, 403):
                self.store.forget(self.server_url)
            self.client.token = None
            self.me = None
            return None
        return self.me

    async def sign_in(self, username: str, password: str) -> Me:
        """A wrong password is an ApiError 401 whose message the dialog shows inline."""
        await self.client.login(username.strip(), password)
        self.me = await self.client.me()
        if self.remember and self.client.token:
            self.store.save(self.server_url, self.client.token)
        return self.me

    async def sign_out(self) -> None:
        try:
            if self.client.token:
                await self.client.logout()
        except Exception as exc:  # noqa: BLE001 - signing out locally must succeed even offline
            log.info("server sign-out failed; forgetting the token anyway", extra={"error": repr(exc)})
        finally:
            self.client.token = None
            self.store.forget(self.server_url)
            self.me = None
