"""Design stage in a real browser: upload with progress bars, draw regions with the mouse, save, reload, check the
stored coordinates (pixels of the original image, ±1 px) — at the fitted zoom, zoomed in, and at browser zoom 150 %."""
import json
import os

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import FIXTURE_IMAGES, WAIT, create_project, create_user, login

IMAGES = [os.path.join(FIXTURE_IMAGES, "ok", "png_rgb.png"),         # 240 × 160
          os.path.join(FIXTURE_IMAGES, "ok", "jpeg_baseline.jpg")]  # 512 × 512


def view_state(driver):
    """Canvas geometry: screen (CSS px, relative to the canvas) = pan + image × zoom."""
    return driver.execute_script("""
        const c = document.querySelector('[data-canvas]');
        c.scrollIntoView({block: 'center', inline: 'center'});
        const r = c.getBoundingClientRect();
        // chromedriver aims at the centre of the element's VISIBLE part (floored).
        const vl = Math.max(r.left, 0), vr = Math.min(r.right, window.innerWidth);
        const vt = Math.max(r.top, 0), vb = Math.min(r.bottom, window.innerHeight);
        return {zoom: +c.dataset.zoom, panX: +c.dataset.panX, panY: +c.dataset.panY,
                cx: Math.floor((vl + vr) / 2) - r.left, cy: Math.floor((vt + vb) / 2) - r.top};""")


def offset_for(state, sx, sy):
    """ActionChains offsets (from the element's in-view centre, as chromedriver computes it) for canvas point."""
    return int(round(sx - state["cx"])), int(round(sy - state["cy"]))


def screen_point(state, ix, iy):
    return state["panX"] + ix * state["zoom"], state["panY"] + iy * state["zoom"]


def image_point(driver, state, sx, sy):
    """The image coordinates the pointer really lands on for canvas point (sx, sy) after integer offsets."""
    ox, oy = offset_for(state, sx, sy)
    return ((state["cx"] + ox - state["panX"]) / state["zoom"], (state["cy"] + oy - state["panY"]) / state["zoom"])


def canvas(driver):
    return driver.find_element(By.CSS_SELECTOR, "[data-canvas]")


def wait_ready(driver):
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("return document.querySelector('[data-canvas]')?.dataset.ready === 'true'"))


def choose_tool(driver, name):
    driver.find_element(By.CSS_SELECTOR, f"[data-tool='{name}']").click()


def drag(driver, state, start, end):
    element = canvas(driver)
    (x0, y0), (x1, y1) = offset_for(state, *start), offset_for(state, *end)
    ActionChains(driver).move_to_element_with_offset(element, x0, y0).click_and_hold() \
        .move_to_element_with_offset(element, (x0 + x1) // 2, (y0 + y1) // 2) \
        .move_to_element_with_offset(element, x1, y1).release().perform()


def click_at(driver, state, point, double=False):
    element = canvas(driver)
    x, y = offset_for(state, *point)
    chain = ActionChains(driver).move_to_element_with_offset(element, x, y)
    (chain.double_click() if double else chain.click()).perform()


def set_label(driver, text):
    field = driver.find_element(By.ID, "region-label")
    WebDriverWait(driver, WAIT).until(lambda d: field.is_enabled())
    field.clear()
    field.send_keys(text)
    field.send_keys(Keys.TAB)


def stored_regions(driver):
    return json.loads(driver.find_element(By.CSS_SELECTOR, "[data-regions-json]").get_attribute("value"))["regions"]


def save(driver, expected_version):
    driver.find_element(By.CSS_SELECTOR, "[data-save]").click()
    WebDriverWait(driver, WAIT).until(lambda d: f"saved={expected_version}" in d.current_url)
    assert f"Saved as version {expected_version}." in driver.page_source
    driver.refresh()
    wait_ready(driver)


def region(regions, label):
    matches = [r for r in regions if r["label"] == label]
    assert matches, f"no region {label!r} in {regions}"
    return matches[0]


def near(a, b, tolerance=1.0):
    return abs(a - b) <= tolerance


def check_rect(shape, corner_a, corner_b):
    assert shape["type"] == "rect"
    x0, x1 = sorted([corner_a[0], corner_b[0]])
    y0, y1 = sorted([corner_a[1], corner_b[1]])
    assert near(shape["x"], x0) and near(shape["y"], y0), (shape, corner_a, corner_b)
    assert near(shape["x"] + shape["width"], x1) and near(shape["y"] + shape["height"], y1), (shape, corner_a, corner_b)


def selected_label(driver):
    items = driver.find_elements(By.CSS_SELECTOR, ".region-item.selected")
    return items[0].text.split(" · ")[0] if items else None


def select_by_click(driver, image_xy):
    """Switches to the select tool and clicks the image point; returns the label of the selected region."""
    choose_tool(driver, "select")
    state = view_state(driver)
    click_at(driver, state, screen_point(state, *image_xy))
    return selected_label(driver)


def upload_two_images(driver, server, project_id):
    driver.get(f"{server}/projects/{project_id}/images")
    driver.find_element(By.CSS_SELECTOR, "[data-file-input]").send_keys("\n".join(IMAGES))
    WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".upload-item")) == 2 and all(
        item.get_attribute("data-state") in ("uploaded", "rejected", "duplicate")
        for item in d.find_elements(By.CSS_SELECTOR, ".upload-item")))
    items = driver.find_elements(By.CSS_SELECTOR, ".upload-item")
    for item in items:
        assert item.get_attribute("data-state") == "uploaded", item.text
        assert item.find_element(By.TAG_NAME, "progress").get_attribute("value") == "100"
    assert len(driver.find_elements(By.CSS_SELECTOR, "[data-image-grid] .image-card")) == 2
    driver.refresh()
    cards = driver.find_elements(By.CSS_SELECTOR, "[data-image-grid] .image-card")
    assert sorted(c.find_element(By.CSS_SELECTOR, ".image-name").text for c in cards) == ["jpeg_baseline.jpg", "png_rgb.png"]


def open_editor(driver, file_name):
    driver.find_element(By.LINK_TEXT, file_name).click()
    wait_ready(driver)


def test_draw_label_save_reload(driver, server):
    user = create_user(name="Browser Manager")
    login(driver, user.email, user.password)
    project_id = create_project(driver, "Browser design test")
    upload_two_images(driver, server, project_id)
    open_editor(driver, "png_rgb.png")
    assert driver.find_element(By.CSS_SELECTOR, "[data-region-editor]").get_attribute("data-image-width") == "240"

    # A rectangle, dragged with the mouse at the fitted zoom.
    state = view_state(driver)
    assert state["zoom"] > 1, state
    choose_tool(driver, "rect")
    start, end = screen_point(state, 20, 30), screen_point(state, 100, 90)
    drag(driver, state, start, end)
    set_label(driver, "car")
    rect_a, rect_b = image_point(driver, state, *start), image_point(driver, state, *end)

    # A polygon: three clicks, then a double-click on the fourth point closes it.
    choose_tool(driver, "polygon")
    poly_image = [(150, 20), (220, 40), (200, 120), (140, 100)]
    poly_screen = [screen_point(state, x, y) for x, y in poly_image]
    for point in poly_screen[:3]:
        click_at(driver, state, point)
    click_at(driver, state, poly_screen[3], double=True)
    set_label(driver, "road")
    driver.find_element(By.ID, "region-kind").send_keys("avoid")
    poly_expected = [image_point(driver, state, *p) for p in poly_screen]

    save(driver, 1)
    regions = stored_regions(driver)
    assert sorted(r["label"] for r in regions) == ["car", "road"]
    check_rect(region(regions, "car")["shapes"][0], rect_a, rect_b)
    road = region(regions, "road")
    assert road["kind"] == "avoid"
    points = road["shapes"][0]["points"]
    assert len(points) == 4, points
    for got, want in zip(points, poly_expected):
        assert near(got[0], want[0]) and near(got[1], want[1]), (points, poly_expected)
    # Drawn where they were: clicking inside each selects it.
    assert select_by_click(driver, (60, 60)) == "car"
    assert select_by_click(driver, (185, 60)) == "road"

    # Zoomed in (toolbar button twice, then the wheel), draw another rectangle; coordinates stay image pixels.
    zoom_in = driver.find_element(By.CSS_SELECTOR, "[data-action='zoom-in']")
    zoom_in.click()
    zoom_in.click()
    ActionChains(driver).scroll_from_origin(ScrollOrigin.from_element(canvas(driver)), 0, -120).perform()
    state = view_state(driver)
    assert state["zoom"] > 2 * 1.5, state
    choose_tool(driver, "rect")
    start, end = screen_point(state, 110, 70), screen_point(state, 130, 85)
    drag(driver, state, start, end)
    set_label(driver, "sign")
    sign_a, sign_b = image_point(driver, state, *start), image_point(driver, state, *end)
    save(driver, 2)
    regions = stored_regions(driver)
    check_rect(region(regions, "sign")["shapes"][0], sign_a, sign_b)
    check_rect(region(regions, "car")["shapes"][0], rect_a, rect_b)
    # After the reload, zoom in and find the regions at the same image coordinates.
    driver.find_element(By.CSS_SELECTOR, "[data-action='zoom-in']").click()
    driver.find_element(By.CSS_SELECTOR, "[data-action='zoom-in']").click()
    assert select_by_click(driver, (120, 77)) == "sign"
    assert select_by_click(driver, (60, 60)) == "car"
    # The version list shows who saved what.
    versions = driver.find_element(By.CSS_SELECTOR, "table.versions").text
    assert "v2 (current)" in versions and "Browser Manager" in versions


def test_browser_zoom_150_percent(driver_factory, server):
    driver = driver_factory(scale=1.5, width=1600, height=1500)
    user = create_user()
    login(driver, user.email, user.password)
    project_id = create_project(driver, "Zoomed browser")
    driver.get(f"{server}/projects/{project_id}/images")
    driver.find_element(By.CSS_SELECTOR, "[data-file-input]").send_keys(IMAGES[1])
    WebDriverWait(driver, 60).until(
        lambda d: [i.get_attribute("data-state") for i in d.find_elements(By.CSS_SELECTOR, ".upload-item")] == ["uploaded"])
    assert driver.execute_script("return window.devicePixelRatio") == 1.5
    open_editor(driver, "jpeg_baseline.jpg")
    state = view_state(driver)
    # Keyboard shortcuts: E for the ellipse tool.
    canvas(driver).click()
    ActionChains(driver).send_keys("e").perform()
    assert canvas(driver).get_attribute("data-tool") == "ellipse"
    start, end = screen_point(state, 100, 150), screen_point(state, 300, 250)
    drag(driver, state, start, end)
    set_label(driver, "face")
    a, b = image_point(driver, state, *start), image_point(driver, state, *end)
    save(driver, 1)
    shape = region(stored_regions(driver), "face")["shapes"][0]
    assert shape["type"] == "ellipse"
    assert near(shape["cx"], (a[0] + b[0]) / 2) and near(shape["cy"], (a[1] + b[1]) / 2), (shape, a, b)
    assert near(shape["rx"], abs(b[0] - a[0]) / 2) and near(shape["ry"], abs(b[1] - a[1]) / 2), (shape, a, b)
    assert select_by_click(driver, (200, 200)) == "face"
    # Undo (Ctrl+Z) removes the last step: delete the ellipse, then undo brings it back.
    ActionChains(driver).send_keys(Keys.DELETE).perform()
    assert stored_regions(driver) == []
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
    assert region(stored_regions(driver), "face")["shapes"][0]["type"] == "ellipse"
