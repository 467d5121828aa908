"""Acceptance stage in a real browser: the manager annotates, the engineer pushes a run through the token API, the
reviewer opens the review page (overlays load), pins a comment by clicking the image, approves; then a region edit
turns the sign-off stale in the UI, the status API and `sightline gate`."""
import glob
import hashlib
import json
import os
import re
import struct
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import FIXTURE_IMAGES, WAIT, add_member, create_project, create_user, login

IMAGE = os.path.join(FIXTURE_IMAGES, "ok", "png_rgb.png")  # 240 × 160


def regions_json(x):
    return {"regions": [{"label": "cat", "kind": "focus",
                         "shapes": [{"type": "rect", "x": x, "y": 40, "width": 80, "height": 60}]}],
            "summary": f"box at {x}"}


def psql(sql):
    """Runs SQL on the server's database (test setup only: an API token for the engineer)."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    query = dict(urllib.parse.parse_qsl(url.query))
    binary = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
    command = [binary, "-h", query["host"], "-p", str(query.get("port", 5432)), "-U", "postgres",
               "-d", url.path.lstrip("/"), "-v", "ON_ERROR_STOP=1", "-qAtc", sql]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--"] + command
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def api(server, token, method, path, body=None, content_type=None):
    request = urllib.request.Request(server + path, data=body, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def npy_float32(rows):
    """A .npy file (version 1.0, little-endian float32, C order) of a 2-D list."""
    height, width = len(rows), len(rows[0])
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (height, width)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    data = b"".join(struct.pack("<f", value) for row in rows for value in row)
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + data


def multipart(fields, files):
    boundary = "sightline" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (file_name, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                     f'Content-Type: application/octet-stream\r\n\r\n'.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), "multipart/form-data; boundary=" + boundary


def save_regions(driver, server, project_id, image_id, x):
    """Saves a region set through the app as the signed-in manager (the editor page's CSRF token)."""
    driver.get(f"{server}/projects/{project_id}/images/{image_id}")
    status = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const token = document.querySelector("input[name=_csrf]").value;
        fetch(arguments[0], {method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
                             body: arguments[1]}).then(r => done(r.status), e => done(String(e)));""",
        f"/projects/{project_id}/images/{image_id}/regions", json.dumps(regions_json(x)))
    assert status in (200, 201, 303), status


def gate(server, token, version_id):
    binary = os.environ.get("SIGHTLINE_BIN")
    result = subprocess.run([binary, "gate", "--server", server, "--prompt-version", version_id],
                            env={**os.environ, "SIGHTLINE_TOKEN": token}, capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout + result.stderr


def test_reviewer_pins_a_comment_and_approves_then_a_region_edit_makes_it_stale(driver_factory, server):
    manager, engineer, reviewer = create_user(name="Mona Manager"), create_user(name="Eve Engineer"), \
        create_user(name="Rita Reviewer")

    # Manager: project, members, one image, regions.
    m = driver_factory()
    login(m, manager.email, manager.password)
    project_id = create_project(m, "Acceptance " + uuid.uuid4().hex[:6])
    add_member(m, project_id, engineer.email, "engineer")
    add_member(m, project_id, reviewer.email, "reviewer")
    m.get(f"{server}/projects/{project_id}/images")
    m.find_element(By.CSS_SELECTOR, "[data-file-input]").send_keys(IMAGE)
    WebDriverWait(m, 60).until(lambda d: [i.get_attribute("data-state") for i in d.find_elements(
        By.CSS_SELECTOR, ".upload-item")] == ["uploaded"])
    m.refresh()
    href = m.find_element(By.CSS_SELECTOR, "[data-image-grid] .image-card a.image-name").get_attribute("href")
    image_id = re.search(r"/images/([0-9a-f-]{36})", href).group(1)
    save_regions(m, server, project_id, image_id, 60)

    # Engineer: an API token (setup through the database), a prompt version and a run with a heatmap.
    secret = "sl_" + uuid.uuid4().hex + uuid.uuid4().hex[:8]
    digest = hashlib.sha256(secret.encode()).hexdigest()
    psql(f"INSERT INTO api_tokens (id, project_id, user_id, name, token_hash, prefix) VALUES "
         f"('{uuid.uuid4()}', '{project_id}', (SELECT id FROM users WHERE email = '{engineer.email}'), "
         f"'browser test', '{digest}', '{secret[:7]}')")
    status, version = api(server, secret, "POST", f"/api/v1/projects/{project_id}/prompt-versions",
                          json.dumps({"name": "Describe", "text": "Describe the picture."}).encode(),
                          "application/json")
    assert status == 201, version
    version_id = version["id"]
    heat = [[1.0 if 2 <= c <= 4 and 2 <= r <= 3 else 0.0 for c in range(8)] for r in range(6)]
    body, content_type = multipart({"prompt_version_id": version_id, "image_id": image_id, "model": "llava-1.5",
                                    "description": "A cat on a sofa."}, {"heatmap[cat]": ("cat.npy", npy_float32(heat))})
    status, run = api(server, secret, "POST", f"/api/v1/projects/{project_id}/runs", body, content_type)
    assert status == 201, run
    run_id = run.get("id") or run.get("run", {}).get("id")
    for _ in range(240):
        if api(server, secret, "GET", f"/api/v1/runs/{run_id}/diagnosis")[0] == 200:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the run was never scored")
    status, state = api(server, secret, "GET", f"/api/v1/prompt-versions/{version_id}/status")
    assert status == 200 and state["status"] == "pending", state
    assert gate(server, secret, version_id)[0] == 1

    # Reviewer: review page with overlays, a pinned comment, approval.
    r = driver_factory()
    login(r, reviewer.email, reviewer.password)
    review_url = f"{server}/projects/{project_id}/prompt-versions/{version_id}/review"
    r.get(review_url)
    badge = r.find_element(By.CSS_SELECTOR, ".page-heading [data-signoff-status]")
    assert badge.get_attribute("data-signoff-status") == "pending"
    WebDriverWait(r, WAIT).until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('.panel-row img, .pin-image')].every(i => i.complete && i.naturalWidth > 0)"))
    assert r.execute_script("return document.querySelector('.panel-row img').naturalWidth") == 240

    surface = r.find_element(By.CSS_SELECTOR, "[data-pin-surface]")
    rect = r.execute_script("const b = arguments[0].getBoundingClientRect(); return [b.width, b.height];", surface)
    # Click at image pixel (120, 80): the centre of the 240 × 160 image, whatever the displayed size.
    ActionChains(r).move_to_element(surface).click().perform()
    form = r.find_element(By.CSS_SELECTOR, "[data-pin-comment-form]")
    x = float(form.find_element(By.CSS_SELECTOR, "[data-pin-field='x']").get_attribute("value"))
    y = float(form.find_element(By.CSS_SELECTOR, "[data-pin-field='y']").get_attribute("value"))
    assert abs(x - 120) <= 240 / rect[0] + 0.5 and abs(y - 80) <= 160 / rect[1] + 0.5, (x, y, rect)
    assert form.find_element(By.CSS_SELECTOR, "[data-pin-field='shape']").get_attribute("value") == "point"
    assert r.find_elements(By.CSS_SELECTOR, ".pin-draft")
    form.find_element(By.CSS_SELECTOR, "[data-pin-body]").send_keys("Heat should cover the whole cat.")
    form.find_element(By.CSS_SELECTOR, "[data-pin-submit]").click()
    WebDriverWait(r, WAIT, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
        lambda d: "Heat should cover the whole cat." in d.page_source
                                 and d.find_elements(By.CSS_SELECTOR, "circle.pin.pin-open"))
    assert r.find_element(By.CSS_SELECTOR, "[data-summary='open-comments']").text == "1"

    r.find_element(By.CSS_SELECTOR, "input[name=decision][value=approve]").click()
    r.find_element(By.ID, "signoff-comment").send_keys("Reviewed all overlays.")
    r.find_element(By.CSS_SELECTOR, "[data-signoff-submit]").click()
    WebDriverWait(r, WAIT, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".page-heading [data-signoff-status]").get_attribute(
            "data-signoff-status") == "approved")
    status, state = api(server, secret, "GET", f"/api/v1/prompt-versions/{version_id}/status")
    assert state["status"] == "approved" and state["digest"] == state["signed_digest"], state
    assert gate(server, secret, version_id)[0] == 0

    # The manager edits the region: stale in the UI, the API and the gate.
    save_regions(m, server, project_id, image_id, 70)
    r.get(review_url)
    assert r.find_element(By.CSS_SELECTOR, ".page-heading [data-signoff-status]").get_attribute(
        "data-signoff-status") == "stale"
    assert "Regions of png_rgb.png changed: v1 → v2." in r.find_element(By.CSS_SELECTOR, "[data-changes]").text
    r.get(f"{server}/projects/{project_id}/signoffs")
    assert r.find_element(By.CSS_SELECTOR, "[data-signoff-status]").get_attribute("data-signoff-status") == "stale"
    status, state = api(server, secret, "GET", f"/api/v1/prompt-versions/{version_id}/status")
    assert state["status"] == "stale" and state["changes"][0]["kind"] == "regions", state
    code, output = gate(server, secret, version_id)
    assert code == 1 and "stale" in output, output

    # The audit page lists the whole flow.
    r.get(f"{server}/projects/{project_id}/audit")
    kinds = {row.get_attribute("data-audit-kind") for row in r.find_elements(By.CSS_SELECTOR, "[data-audit-kind]")}
    assert {"image.uploaded", "regions.saved", "prompt.created", "run.created", "run.scored",
            "comment.created", "signoff.approved"} <= kinds, kinds
