"""Sightline Python client: push a model run (description + per-keyword heatmaps) to a Sightline server.

Needs only ``requests`` and ``numpy``::

    from sightline_client import SightlineClient
    client = SightlineClient("http://127.0.0.1:8080", token="sl_…", project_id="…")
    run = client.upload_run(prompt="Describe", image="astronaut.png",
                            description="An astronaut holds a flag.",
                            heatmaps={"astronaut": cam})          # cam: 2-D numpy array, any size
    print(run["verdict"], run["diagnosis"]["attention_diagnosis"])

``prompt`` is a prompt-version id, a prompt name (its latest version is used; with ``prompt_text`` a missing
prompt is created) or a dict returned by the API. ``image`` is an image id, a file name of the project, or a dict.
Heatmaps are sent as float32 ``.npy`` files; the server scores them with its engine (scoring.md) and
``upload_run`` waits for the diagnosis unless ``wait=False``.
"""

from __future__ import annotations

import io
import time
import uuid
from typing import Any, Dict, Mapping, Optional, Union

import numpy as np
import requests

__all__ = ["SightlineClient", "SightlineError", "encode_npy"]


class SightlineError(Exception):
    """An API error: ``status`` (HTTP), ``code`` (e.g. ``non_finite_heatmap``, ``forbidden``) and ``message``."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def encode_npy(array: Any) -> bytes:
    """A 2-D array (or (1,h,w)/(h,w,1)) as the bytes of a float32 ``.npy`` file."""
    values = np.asarray(array, dtype=np.float32)
    if values.ndim == 3 and 1 in (values.shape[0], values.shape[2]):
        values = values.reshape(values.shape[1:] if values.shape[0] == 1 else values.shape[:2])
    if values.ndim != 2:
        raise ValueError(f"a heatmap must be 2-D, got shape {values.shape}")
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(values), allow_pickle=False)
    return buffer.getvalue()


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(str(text))
        return True
    except ValueError:
        return False


class SightlineClient:
    """A project-scoped client of the Sightline token API (``/api/v1``)."""

    def __init__(self, base_url: str, token: str, project_id: str, timeout: float = 60.0,
                 session: Optional[requests.Session] = None):
        self.base_url = base_url.rstrip("/")
        self.project_id = project_id
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["Accept"] = "application/json"

    # -- plumbing -------------------------------------------------------------------------------------------
    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
        if response.status_code >= 400:
            try:
                error = response.json()["error"]
                raise SightlineError(response.status_code, error.get("code", "error"), error.get("message", ""))
            except (ValueError, KeyError, TypeError):
                raise SightlineError(response.status_code, "http_error", response.text[:500]) from None
        return response

    def _project(self, suffix: str) -> str:
        return f"/api/v1/projects/{self.project_id}{suffix}"

    # -- resources ------------------------------------------------------------------------------------------
    def list_images(self) -> list:
        """The project's images, each with its current regions (REGIONS.json) or ``None``."""
        return self._request("GET", self._project("/images")).json()["images"]

    def list_prompt_versions(self) -> list:
        return self._request("GET", self._project("/prompt-versions")).json()["prompt_versions"]

    def create_prompt_version(self, name: str, text: str, prompt_id: Optional[str] = None) -> dict:
        """A new prompt (version 1), or the next version of ``prompt_id``."""
        body: Dict[str, Any] = {"name": name, "text": text}
        if prompt_id:
            body["prompt_id"] = prompt_id
        return self._request("POST", self._project("/prompt-versions"), json=body).json()

    def get_run(self, run_id: str) -> dict:
        return self._request("GET", f"/api/v1/runs/{run_id}").json()

    def get_diagnosis(self, run_id: str) -> Optional[dict]:
        """The scoring.md §6 diagnosis, or ``None`` while the run is still being scored."""
        response = self._request("GET", f"/api/v1/runs/{run_id}/diagnosis")
        return None if response.status_code == 202 else response.json()

    def wait_for_diagnosis(self, run_id: str, timeout: float = 120.0, interval: float = 0.5) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            diagnosis = self.get_diagnosis(run_id)
            if diagnosis is not None:
                return diagnosis
            if time.monotonic() > deadline:
                raise TimeoutError(f"run {run_id} was not scored within {timeout} s")
            time.sleep(interval)

    def comparison(self) -> dict:
        """The prompt comparison table (rows = prompt versions)."""
        return self._request("GET", self._project("/comparison")).json()

    # -- resolution helpers ---------------------------------------------------------------------------------
    def resolve_prompt(self, prompt: Union[str, Mapping[str, Any]], prompt_text: Optional[str] = None) -> str:
        if isinstance(prompt, Mapping):
            return str(prompt["id"])
        if _is_uuid(prompt):
            return str(prompt)
        versions = [v for v in self.list_prompt_versions() if v["name"] == prompt]
        if versions:
            latest = max(versions, key=lambda v: (v["created_at"], v["version"]))
            if prompt_text is None or latest["text"] == prompt_text:
                return latest["id"]
            return self.create_prompt_version(prompt, prompt_text, latest["prompt_id"])["id"]
        if prompt_text is None:
            raise SightlineError(404, "not_found", f"no prompt named {prompt!r}; pass prompt_text to create it")
        return self.create_prompt_version(prompt, prompt_text)["id"]

    def resolve_image(self, image: Union[str, Mapping[str, Any]]) -> str:
        if isinstance(image, Mapping):
            return str(image["id"])
        if _is_uuid(image):
            return str(image)
        for item in self.list_images():
            if item["file_name"] == image:
                return item["id"]
        raise SightlineError(404, "not_found", f"no image named {image!r} in the project")

    # -- the main call --------------------------------------------------------------------------------------
    def upload_run(self, prompt: Union[str, Mapping[str, Any]], image: Union[str, Mapping[str, Any]],
                   description: Optional[str], heatmaps: Mapping[str, Any], model: str = "",
                   latency_ms: Optional[float] = None, prompt_text: Optional[str] = None, wait: bool = True,
                   wait_timeout: float = 120.0) -> dict:
        """Uploads one run and (``wait=True``) returns it with its ``diagnosis`` once scored.

        ``heatmaps`` maps keyword → 2-D array (numpy or nested lists, any resolution) or raw file bytes
        (``.npy``/PNG/JSON). Keywords are matched to region labels and aliases by the server.
        """
        if not heatmaps:
            raise ValueError("upload_run needs at least one heatmap")
        fields: Dict[str, str] = {
            "prompt_version_id": self.resolve_prompt(prompt, prompt_text),
            "image_id": self.resolve_image(image),
            "model": model,
        }
        if description is not None:
            fields["description"] = description
        if latency_ms is not None:
            fields["latency_ms"] = str(latency_ms)
        files = []
        for keyword, value in heatmaps.items():
            payload = value if isinstance(value, (bytes, bytearray)) else encode_npy(value)
            files.append((f"heatmap[{keyword}]", (f"{keyword}.npy", bytes(payload), "application/octet-stream")))
        run = self._request("POST", self._project("/runs"), data=fields, files=files).json()
        if wait:
            run["diagnosis"] = self.wait_for_diagnosis(run["id"], timeout=wait_timeout)
            run = {**self.get_run(run["id"]), "diagnosis": run["diagnosis"]}
        return run
