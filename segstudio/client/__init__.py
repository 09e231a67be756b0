"""The app's only way to the server: `ApiClient`, its typed models and its two error types."""

from segstudio.client.api import ApiClient
from segstudio.client.errors import ApiError, ClientError, NetworkError
from segstudio.client.tasks import LatestTask

__all__ = ["ApiClient", "ApiError", "ClientError", "LatestTask", "NetworkError"]
