"""Shared fixtures for Sightline's real-browser tests (run them with `bash Tests/browser/run`).

Fixtures other test files can use:
  server       base URL of the running `sightline serve` (fresh database per run)
  driver       a headless Chromium WebDriver (new per test); `driver_factory(scale=1.5)` for more / zoomed ones
  make_user    make_user(admin=False, name=None) -> User(email, password): an account made with `sightline user add`
  login        login(driver, email, password): signs in through the login form
  create_project   create_project(driver, name) -> project id (the signed-in user becomes its manager)
  add_member   add_member(driver, project_id, email, role): role is manager, engineer or reviewer
The same helpers are plain functions of this module (`from conftest import login, ...`).
"""
import collections
import itertools
import os
import re
import subprocess
import uuid

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE_IMAGES = os.path.join(REPO, "Tests", "Fixtures", "images")
User = collections.namedtuple("User", "email password")
_counter = itertools.count(1)
WAIT = 20


def base_url():
    url = os.environ.get("SIGHTLINE_BROWSER_BASE_URL")
    if not url:
        pytest.skip("SIGHTLINE_BROWSER_BASE_URL is not set: run `bash Tests/browser/run`")
    return url.rstrip("/")


def make_chrome(scale=None, width=1400, height=1000):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("SIGHTLINE_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--lang=en-US"):
        options.add_argument(argument)
    if scale:
        options.add_argument(f"--force-device-scale-factor={scale}")
    service = Service(os.environ.get("SIGHTLINE_CHROMEDRIVER", "/usr/bin/chromedriver"))
    chrome = webdriver.Chrome(service=service, options=options)
    chrome.implicitly_wait(0)
    return chrome


def create_user(admin=False, name=None):
    """Creates an account with `sightline user add` (password piped on stdin)."""
    email = f"user{next(_counter)}-{uuid.uuid4().hex[:8]}@example.org"
    password = "browser-test-" + uuid.uuid4().hex
    command = [os.environ.get("SIGHTLINE_BIN", os.path.join(REPO, ".build", "debug", "sightline")),
               "user", "add", "--email", email, "--role", "admin" if admin else "member"]
    if name:
        command += ["--name", name]
    subprocess.run(command, input=password + "\n", text=True, check=True, capture_output=True)
    return User(email, password)


def login(driver, email, password):
    driver.get(base_url() + "/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(lambda d: "/login" not in d.current_url)


def create_project(driver, name):
    driver.get(base_url() + "/projects/new")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.CSS_SELECTOR, "form[action='/projects'] button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(lambda d: re.search(r"/projects/[0-9a-f-]{36}$", d.current_url))
    return re.search(r"/projects/([0-9a-f-]{36})$", driver.current_url).group(1)


def add_member(driver, project_id, email, role):
    driver.get(f"{base_url()}/projects/{project_id}/members")
    form = driver.find_element(By.CSS_SELECTOR, "form.stacked-form")
    form.find_element(By.ID, "email").send_keys(email)
    Select(form.find_element(By.ID, "role")).select_by_value(role)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # Wait for the answer page (the form is replaced), so the next navigation cannot cancel the POST.
    WebDriverWait(driver, WAIT).until(EC.staleness_of(form))
    WebDriverWait(driver, WAIT).until(EC.url_contains("/members"))


@pytest.fixture(scope="session")
def server():
    return base_url()


@pytest.fixture
def driver_factory():
    made = []

    def factory(**kwargs):
        chrome = make_chrome(**kwargs)
        made.append(chrome)
        return chrome

    yield factory
    for chrome in made:
        chrome.quit()


@pytest.fixture
def driver(driver_factory, server):
    return driver_factory()


@pytest.fixture
def make_user(server):
    return create_user


@pytest.fixture(name="login")
def login_fixture():
    return login


@pytest.fixture(name="create_project")
def create_project_fixture():
    return create_project


@pytest.fixture(name="add_member")
def add_member_fixture():
    return add_member
