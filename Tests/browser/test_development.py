"""Development stage in a real browser (and the Python client against the live server).

An engineer uploads a prompt, a run with two heatmaps, sees the scores, the highlighted description and the
overlay images load; then the Python client pushes a run through the token API. Setup (project, image, regions)
goes through the server's own endpoints with `requests`.
"""
import json
import os
import re
import sys
import tempfile

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import REPO, WAIT, create_user, login

CHELSEA = os.path.join(REPO, "Tests", "Fixtures", "model", "chelsea", "chelsea.png")
REGIONS = {"regions": [
    {"label": "cat", "aliases": ["kitten"], "shapes": [{"type": "rect", "x": 20, "y": 20, "width": 180, "height": 180}]},
    {"label": "floor", "shapes": [{"type": "rect", "x": 210, "y": 150, "width": 110, "height": 63}]},
]}


def box_rows(x0, y0, x1, y1, size=32):
    """A size×size JSON heatmap: 1 inside the image-relative box, 0.02 elsewhere."""
    rows = []
    for y in range(size):
        v = (y + 0.5) / size
        rows.append([1.0 if x0 <= (x + 0.5) / size <= x1 and y0 <= v <= y1 else 0.02 for x in range(size)])
    return rows


def signed_in_session(server, user):
    session = requests.Session()
    session.get(server + "/login")
    token = session.cookies.get("sightline_csrf")
    response = session.post(server + "/login", data={"email": user.email, "password": user.password, "next": "/",
                                                     "_csrf": token}, allow_redirects=False)
    assert response.status_code in (302, 303), response.text[:300]
    return session


@pytest.fixture(scope="module")
def dev_project():
    server = os.environ.get("SIGHTLINE_BROWSER_BASE_URL", "").rstrip("/")
    if not server:
        pytest.skip("run with `bash Tests/browser/run`")
    user = create_user(admin=False, name="Engineer Manager")
    session = signed_in_session(server, user)
    csrf = session.cookies.get("sightline_csrf")
    created = session.post(server + "/projects", data={"name": "Dev stage", "description": "", "_csrf": csrf},
                           allow_redirects=False)
    project_id = re.search(r"/projects/([0-9a-f-]{36})", created.headers["Location"]).group(1)
    # The creator is the manager; make them engineer too by adding a second account? Managers can't upload runs,
    # so a separate engineer account joins the project.
    engineer = create_user(admin=False, name="Engineer")
    session.post(f"{server}/projects/{project_id}/members",
                 data={"email": engineer.email, "role": "engineer", "_csrf": csrf}, allow_redirects=False)
    with open(CHELSEA, "rb") as handle:
        upload = session.post(f"{server}/projects/{project_id}/images?_csrf={csrf}",
                              headers={"Accept": "application/json", "X-CSRF-Token": csrf},
                              files={"files": ("chelsea.png", handle, "image/png")})
    assert upload.status_code in (200, 201), upload.text[:300]
    image_id = upload.json()["results"][0]["image"]["id"]
    saved = session.post(f"{server}/projects/{project_id}/images/{image_id}/regions",
                         headers={"Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json"},
                         data=json.dumps(REGIONS))
    assert saved.status_code in (200, 201), saved.text[:300]
    return {"server": server, "project": project_id, "image": image_id, "engineer": engineer}


def wait_scored(driver):
    WebDriverWait(driver, 60).until(lambda d: not d.find_elements(By.ID, "scoring-progress")
                                    and d.find_elements(By.ID, "run-verdict"))


def images_loaded(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('img.panel')).every(i => i.complete && i.naturalWidth > 0)")


def test_engineer_uploads_prompt_and_run(driver, dev_project):
    server, project = dev_project["server"], dev_project["project"]
    engineer = dev_project["engineer"]
    login(driver, engineer.email, engineer.password)

    driver.get(f"{server}/projects/{project}/prompts")
    driver.find_element(By.ID, "prompt-name").send_keys("Scene")
    driver.find_element(By.ID, "prompt-text").send_keys("Describe the animal and where it lies.")
    driver.find_element(By.CSS_SELECTOR, "#new-prompt button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(lambda d: re.search(r"/prompts/[0-9a-f-]{36}", d.current_url))
    assert "Describe the animal" in driver.find_element(By.ID, "prompt-text").text

    folder = tempfile.mkdtemp()
    cat = os.path.join(folder, "cat.json")
    with open(cat, "w") as handle:
        json.dump(box_rows(20 / 320, 20 / 213, 200 / 320, 200 / 213), handle)
    other = os.path.join(folder, "heat2.json")
    with open(other, "w") as handle:
        json.dump(box_rows(0.0, 0.0, 0.3, 0.3, size=16), handle)

    driver.get(f"{server}/projects/{project}/runs/new")
    Select(driver.find_element(By.ID, "run-prompt")).select_by_visible_text("Scene v1")
    driver.find_element(By.ID, "run-model").send_keys("test-vlm")
    driver.find_element(By.ID, "run-description").send_keys("A sleepy kitten lies on a blanket.")
    driver.find_element(By.ID, "run-latency").send_keys("321")
    driver.find_element(By.ID, "run-files").send_keys(cat)          # keyword from the file name: cat
    driver.find_element(By.ID, "keyword-0").send_keys("floor")     # keyword chosen in the form
    driver.find_element(By.ID, "file-0").send_keys(other)
    driver.find_element(By.ID, "run-submit").click()
    WebDriverWait(driver, WAIT).until(lambda d: re.search(r"/runs/[0-9a-f-]{36}$", d.current_url))
    wait_scored(driver)

    verdict = driver.find_element(By.CSS_SELECTOR, "#run-verdict .verdict").get_attribute("data-verdict")
    assert verdict == "fail"  # the floor heatmap looks at the wrong corner, and the floor is not mentioned
    rows = {r.get_attribute("data-region"): r for r in driver.find_elements(By.CSS_SELECTOR, "#metrics tbody tr")}
    assert set(rows) == {"cat", "floor"}
    assert rows["cat"].find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict") == "pass"
    assert rows["floor"].find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict") == "fail"
    marks = driver.find_elements(By.CSS_SELECTOR, "#run-description mark.label-mention")
    assert [m.text for m in marks] == ["kitten"] and marks[0].get_attribute("data-label") == "cat"
    assert "floor" in driver.find_element(By.ID, "missing-labels").text
    assert driver.find_elements(By.ID, "suggestions")
    keywords = [s.get_attribute("data-keyword") for s in driver.find_elements(By.CSS_SELECTOR, ".panel-set")]
    assert keywords == ["cat", "floor"]
    WebDriverWait(driver, 60).until(images_loaded)
    assert len(driver.find_elements(By.CSS_SELECTOR, "img.panel")) == 8

    # Overlay controls: opacity, grayscale colormap, outlines off — new server-rendered PNGs load.
    slider = driver.find_element(By.CSS_SELECTOR, "[data-overlay-opacity]")
    driver.execute_script("arguments[0].value = 30; arguments[0].dispatchEvent(new Event('input'));", slider)
    assert driver.execute_script("return document.querySelector('img.overlay-layer').style.opacity") == "0.3"
    Select(driver.find_element(By.CSS_SELECTOR, "[data-overlay-colormap]")).select_by_value("gray")
    driver.find_element(By.CSS_SELECTOR, "[data-overlay-outlines]").click()
    WebDriverWait(driver, WAIT).until(
        lambda d: "overlay-gray-plain" in d.find_element(By.CSS_SELECTOR, "img.overlay-layer").get_attribute("src"))
    WebDriverWait(driver, 60).until(images_loaded)

    driver.get(f"{server}/projects/{project}/compare")
    assert driver.find_element(By.ID, "pass-rate-chart")
    assert "Scene v1" in driver.find_element(By.ID, "comparison").text


def test_python_client_pushes_a_run(driver, dev_project):
    import numpy as np

    sys.path.insert(0, os.path.join(REPO, "clients", "python"))
    from sightline_client import SightlineClient, SightlineError

    server, project = dev_project["server"], dev_project["project"]
    engineer = dev_project["engineer"]
    login(driver, engineer.email, engineer.password)
    driver.get(f"{server}/projects/{project}/tokens")
    driver.find_element(By.ID, "token-name").send_keys("python client")
    driver.find_element(By.CSS_SELECTOR, "form[action$='/tokens'] button[type=submit]").click()
    secret = WebDriverWait(driver, WAIT).until(lambda d: d.find_element(By.ID, "token-secret")).text.strip()
    assert secret.startswith("sl_")

    client = SightlineClient(server, token=secret, project_id=project)
    images = client.list_images()
    assert images[0]["file_name"] == "chelsea.png" and images[0]["regions"]["regions"]
    cam = np.zeros((7, 7), dtype=np.float32)
    cam[1:6, 0:4] = 1.0  # a Grad-CAM-sized map on the cat
    run = client.upload_run(prompt="Client prompt", prompt_text="Describe the cat.", image="chelsea.png",
                            description="A cat on a floor.", heatmaps={"cat": cam, "floor": np.eye(5)},
                            model="grad-cam-test", latency_ms=12.5)
    diagnosis = run["diagnosis"]
    assert set(diagnosis) == {"image", "description", "verdict", "attention_diagnosis", "prompt_suggestion",
                              "suggestions", "unmatched_heatmaps"}
    assert diagnosis["image"] == {"width": 320, "height": 213}
    assert set(diagnosis["attention_diagnosis"]) == {"cat", "floor"}
    assert run["status"] in ("pass", "fail") and run["engine_version"]

    bad = np.ones((4, 4), dtype=np.float32)
    bad[0, 0] = np.nan
    with pytest.raises(SightlineError) as refused:
        client.upload_run(prompt="Client prompt", image="chelsea.png", description=None, heatmaps={"cat": bad})
    assert refused.value.code == "non_finite_heatmap" and refused.value.status == 422

    table = client.comparison()
    assert any(row["name"] == "Client prompt" and row["images_scored"] == 1 for row in table["prompt_versions"])
    driver.get(f"{server}/projects/{project}/runs/{run['id']}")
    wait_scored(driver)
    WebDriverWait(driver, 60).until(images_loaded)
