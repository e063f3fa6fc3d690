"""The admin UI end to end: leash on a real port, driven by Debian's headless Chromium.

Each test's final page is saved as artifacts/ui/<test id>.png (git-ignored) for a person to
look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from leash.config import Settings
from live import live_server
from support import ADMIN

pytestmark = [pytest.mark.ui, pytest.mark.slow]

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "ui"
PASSWORD = "ui-test-password"
# The journey runs on both databases; the page tests, which add little for PostgreSQL, on SQLite.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def base_url(settings: Settings) -> Iterator[str]:
    first_admin = {
        "unleash_default_admin_username": "admin",
        "unleash_default_admin_password": PASSWORD,
    }
    with live_server(settings.model_copy(update=first_admin)) as url:
        yield url


@pytest.fixture
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, headers=ADMIN) as client:
        yield client


@pytest.fixture
def page(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1366, "height": 900}, timezone_id="UTC"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    assert errors == []


def log_in(page: Any, path: str = "/") -> None:
    page.goto(path)
    page.get_by_label("Username or email").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def paste(page: Any, label: str, text: str) -> None:
    """A real paste event carrying `text`, as the browser fires it for Ctrl+V."""
    page.get_by_label(label, exact=True).evaluate(
        """(input, text) => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            input.focus();
            const init = {clipboardData: data, bubbles: true, cancelable: true};
            input.dispatchEvent(new ClipboardEvent('paste', init));
        }""",
        text,
    )


def make_flag_with_segment(api: httpx.Client, *, flag: str, segment: str) -> int:
    created = api.post(
        "/api/admin/segments",
        json={
            "name": segment,
            "constraints": [{"contextName": "userId", "operator": "IN", "values": ["alice"]}],
        },
    )
    assert created.status_code == 201
    segment_id: int = created.json()["id"]
    assert api.post("/api/admin/projects/default/features", json={"name": flag}).status_code == 201
    strategy = api.post(
        f"/api/admin/projects/default/features/{flag}/environments/development/strategies",
        json={
            "name": "flexibleRollout",
            "parameters": {"rollout": "100"},
            "segments": [segment_id],
        },
    )
    assert strategy.status_code == 200
    on = f"/api/admin/projects/default/features/{flag}/environments/development/on"
    assert api.post(on).status_code == 200
    return segment_id


def test_segment_journey__create_attach_playground_and_refused_delete(
    page: Any, api: httpx.Client
) -> None:
    log_in(page)

    # A segment built in the form, its values typed as a comma and newline separated list.
    page.get_by_role("link", name="Segments").click()
    page.get_by_role("link", name="New segment").click()
    page.get_by_label("Segment name").fill("beta-users")
    page.get_by_label("Description").fill("Early adopters")
    page.get_by_role("button", name="Add constraint").click()
    page.get_by_label("Context field").fill("userId")
    page.get_by_label("Values", exact=True).fill("alice, bob")
    page.get_by_label("Values", exact=True).press("Enter")
    expect(page.locator(".chip-value")).to_have_text(["alice", "bob"])
    page.get_by_role("button", name="Create segment").click()
    row = page.get_by_role("row").filter(has_text="beta-users")
    expect(row.get_by_role("cell")).to_have_text(
        [re.compile("beta-users"), "0", "0", "Global", re.compile("by admin"), "EditDelete"]
    )

    # A flag created in the UI, whose development strategy takes the segment from the picker.
    page.get_by_role("link", name="Flags").click()
    page.get_by_text("New flag").click()
    page.get_by_label("Flag name").fill("new-checkout")
    page.get_by_role("button", name="Create flag").click()
    expect(page.get_by_role("heading", name="new-checkout", level=1)).to_be_visible()
    development = page.get_by_role("region", name="development")
    development.get_by_role("button", name="Add strategy").click()
    development.get_by_label("Segment", exact=True).select_option(label="beta-users")
    development.get_by_role("button", name="Add segment").click()
    development.get_by_role("button", name="Save strategy").click()
    strategy = development.get_by_role("article", name="Strategy flexibleRollout")
    expect(strategy.get_by_role("list", name="Segments")).to_have_text("beta-users")
    development.get_by_role("switch", name="new-checkout in development").check()
    expect(page.get_by_role("status")).to_contain_text("new-checkout is on in development")
    expect(development.get_by_text("Enabled", exact=True)).to_be_visible()

    # The playground: alice is in the segment, mallory is not.
    page.get_by_role("link", name="Playground").click()
    page.get_by_label("Environment").select_option("development")
    page.get_by_label("User id").fill("alice")
    page.get_by_role("button", name="Try configuration").click()
    result = page.locator("tr[data-flag='new-checkout'] .flag-result")
    expect(result).to_have_text("True")
    page.get_by_label("User id").fill("mallory")
    page.get_by_role("button", name="Try configuration").click()
    expect(result).to_have_text("False")
    flag_row = page.locator("tr[data-flag='new-checkout']")
    flag_row.get_by_text("Why?").click()
    expect(flag_row.locator(".segment-result")).to_contain_text("False beta-users")

    # Deleting the segment is refused and names the flag that uses it.
    page.get_by_role("link", name="Segments").click()
    page.get_by_role("button", name="Delete segment beta-users").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete segment").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text('The segment "beta-users" is in use and cannot be deleted.')
    expect(dialog.get_by_role("list", name="Flags using this segment")).to_have_text(
        "new-checkout — project default, environment development, strategy flexibleRollout"
    )
    assert [s["name"] for s in api.get("/api/admin/segments").json()["segments"]] == ["beta-users"]


@SQLITE_ONLY
def test_login__wrong_password_then_right__back_to_the_page_asked_for(page: Any) -> None:
    page.goto("/segments")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fsegments$"))
    page.get_by_label("Username or email").fill("admin")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile(r"\S"))

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Segments", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/segments$"))
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to leash")).to_be_visible()
    page.goto("/segments")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fsegments$"))


@SQLITE_ONLY
def test_segment_form__api_messages__beside_the_field_they_are_about(
    page: Any, api: httpx.Client
) -> None:
    taken = api.post("/api/admin/segments", json={"name": "taken", "constraints": []})
    assert taken.status_code == 201
    log_in(page, "/segments/create")
    page.get_by_role("button", name="Add constraint").click()
    first = page.get_by_role("group", name="Constraint 1")
    first.get_by_label("Context field").fill("userId")
    first.get_by_label("Values", exact=True).fill("alice")
    first.get_by_label("Values", exact=True).press("Enter")
    page.get_by_role("button", name="Add constraint").click()
    second = page.get_by_role("group", name="Constraint 2")
    second.get_by_label("Context field").fill("appVersion")
    second.get_by_label("Operator").select_option("SEMVER_GT")
    second.get_by_label("Version").fill("v2.0.0")
    page.get_by_role("button", name="Add constraint").click()
    third = page.get_by_role("group", name="Constraint 3")
    third.get_by_label("Values", exact=True).fill("x")
    third.get_by_label("Values", exact=True).press("Enter")

    page.get_by_role("button", name="Create segment").click()

    # The API names only its first problem, the empty name; the form shows every one.
    name_error = page.locator(".field", has=page.get_by_label("Segment name")).locator(".error")
    expect(name_error).to_have_text('"name" is not allowed to be empty.')
    expect(third.get_by_role("alert")).to_have_text('"contextName" is not allowed to be empty.')
    expect(second.get_by_role("alert")).to_have_text(
        "the provided value is not a valid semver format. The value provided was: v2.0.0"
    )
    expect(first.get_by_role("alert")).to_be_hidden()
    third.get_by_role("button", name="Remove constraint").click()
    page.get_by_label("Segment name").fill("taken")
    page.get_by_role("button", name="Create segment").click()
    expect(second.get_by_role("alert")).to_have_text(
        "the provided value is not a valid semver format. The value provided was: v2.0.0"
    )

    # Unleash checks the name after the constraints: the 409 comes once they are valid.
    second.get_by_label("Version").fill("2.0.0")
    page.get_by_role("button", name="Create segment").click()
    expect(name_error).to_have_text("Segment name already exists")
    expect(second.get_by_role("alert")).to_be_hidden()

    page.get_by_label("Segment name").fill("mobile-v2")
    page.get_by_role("button", name="Create segment").click()
    expect(page.get_by_role("link", name="mobile-v2", exact=True)).to_be_visible()


@SQLITE_ONLY
def test_segment_form__each_operator_input__saved_as_unleash_stores_it(
    page: Any, api: httpx.Client
) -> None:
    values = [f"user-{i}" for i in range(250)]
    log_in(page, "/segments/create")
    page.get_by_label("Segment name").fill("everything")
    add = page.get_by_role("button", name="Add constraint")

    add.click()
    listed = page.get_by_role("group", name="Constraint 1")
    listed.get_by_label("Context field").fill("userId")
    paste(page, "Values", "\n".join(values))
    expect(listed.get_by_text("250 values")).to_be_visible()
    expect(listed.get_by_label("Case-insensitive")).to_be_hidden()

    add.click()
    dated = page.get_by_role("group", name="Constraint 2")
    dated.get_by_label("Context field").fill("currentTime")
    dated.get_by_label("Operator").select_option("DATE_AFTER")
    dated.get_by_label("Date and time").fill("2030-01-02T03:04:05")
    expect(dated.get_by_text("Sent as 2030-01-02T03:04:05.000Z (UTC).")).to_be_visible()

    add.click()
    text = page.get_by_role("group", name="Constraint 3")
    text.get_by_label("Context field").fill("email")
    text.get_by_label("Operator").select_option("STR_ENDS_WITH")
    text.get_by_label("Values", exact=True).fill("@Example.com")
    text.get_by_role("button", name="Add values").click()
    text.get_by_label("Case-insensitive").check()
    text.get_by_label("Negate (NOT)").check()

    add.click()
    number = page.get_by_role("group", name="Constraint 4")
    number.get_by_label("Context field").fill("age")
    number.get_by_label("Operator").select_option("NUM_GTE")
    number.get_by_label("Value (number)").fill("18")

    add.click()
    regex = page.get_by_role("group", name="Constraint 5")
    regex.get_by_label("Context field").fill("sessionId")
    regex.get_by_label("Operator").select_option("REGEX")
    expect(regex.get_by_label("Negate (NOT)")).to_be_hidden()
    regex.get_by_label("Regular expression").fill("^s-[0-9]+$")

    page.get_by_role("button", name="Create segment").click()
    expect(page.get_by_role("link", name="everything", exact=True)).to_be_visible()

    (segment,) = api.get("/api/admin/segments").json()["segments"]
    assert segment["constraints"] == [
        {"contextName": "userId", "operator": "IN", "values": values,
         "caseInsensitive": False, "inverted": False},
        {"contextName": "currentTime", "operator": "DATE_AFTER",
         "value": "2030-01-02T03:04:05.000Z", "caseInsensitive": False, "inverted": False,
         "values": []},
        {"contextName": "email", "operator": "STR_ENDS_WITH", "values": ["@Example.com"],
         "caseInsensitive": True, "inverted": True},
        {"contextName": "age", "operator": "NUM_GTE", "value": "18", "caseInsensitive": False,
         "inverted": False, "values": []},
        {"contextName": "sessionId", "operator": "REGEX", "value": "^s-[0-9]+$",
         "caseInsensitive": False, "inverted": False, "values": []},
    ]
    page.get_by_role("link", name="everything", exact=True).click()
    expect(page.get_by_role("group", name="Constraint 1").get_by_text("250 values")).to_be_visible()
    first = page.get_by_role("group", name="Constraint 1")
    first.get_by_role("button", name="Remove value user-0").click()
    fourth = page.get_by_role("group", name="Constraint 4")
    fourth.get_by_role("button", name="Remove constraint").click()
    page.get_by_label("Segment name").fill("almost-everything")
    page.get_by_role("button", name="Save segment").click()
    expect(page.get_by_role("link", name="almost-everything", exact=True)).to_be_visible()
    (saved,) = api.get("/api/admin/segments").json()["segments"]
    assert saved["name"] == "almost-everything"
    assert [c["contextName"] for c in saved["constraints"]] == [
        "userId", "currentTime", "email", "sessionId"
    ]
    assert saved["constraints"][0]["values"] == values[1:]


@SQLITE_ONLY
def test_segments_list__search_filters__unused_segment_deleted(
    page: Any, api: httpx.Client
) -> None:
    for name, description in [("beta", "early users"), ("staff", "employees"), ("eu", "Europe")]:
        body = {"name": name, "description": description, "constraints": []}
        assert api.post("/api/admin/segments", json=body).status_code == 201
    log_in(page, "/segments")

    page.get_by_label("Search segments").fill("EMPLOY")

    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").get_by_role("link", name="staff", exact=True)).to_be_visible()
    expect(page.get_by_text("1 of 3 segments")).to_be_visible()

    page.get_by_role("button", name="Delete segment staff").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete segment").click()
    expect(page.get_by_role("status")).to_have_text("Segment staff deleted")
    expect(page.get_by_text("0 of 2 segments")).to_be_visible()
    names = [s["name"] for s in api.get("/api/admin/segments").json()["segments"]]
    assert names == ["beta", "eu"]


@SQLITE_ONLY
def test_flags_list__environment_switch__turns_the_flag_on(page: Any, api: httpx.Client) -> None:
    created = api.post("/api/admin/projects/default/features", json={"name": "dark-mode"})
    assert created.status_code == 201
    log_in(page)
    expect(page.get_by_role("heading", name="Flags in Default")).to_be_visible()

    page.get_by_role("switch", name="dark-mode in production").check()

    expect(page.get_by_role("status")).to_contain_text("dark-mode is on in production")
    flag = api.get("/api/admin/projects/default/features/dark-mode").json()
    assert {env["name"]: env["enabled"] for env in flag["environments"]} == {
        "development": False,
        "production": True,
    }

    page.get_by_text("New flag").click()
    page.get_by_label("Flag name").fill("dark-mode")
    page.get_by_role("button", name="Create flag").click()
    duplicate = api.post("/api/admin/projects/default/features", json={"name": "dark-mode"})
    name_field = page.locator(".field", has=page.get_by_label("Flag name"))
    expect(name_field.locator(".error")).to_have_text(duplicate.json()["message"])
    expect(page.get_by_label("Flag name")).to_be_focused()


@SQLITE_ONLY
def test_flag_page__strategy_edit__rollout_constraints_segments_variants_saved(
    page: Any, api: httpx.Client
) -> None:
    segment_id = make_flag_with_segment(api, flag="search-v2", segment="testers")
    log_in(page, f"/segments/edit/{segment_id}")
    used_by = page.get_by_role("list", name="Flags using this segment")
    expect(used_by).to_have_text(
        "search-v2 — project default, environment development, strategy flexibleRollout"
    )
    used_by.get_by_role("link", name="search-v2").click()
    development = page.get_by_role("region", name="development")
    development.get_by_role("button", name="Edit").click()

    development.get_by_label("Rollout (%)").fill("25")
    development.get_by_label("Stickiness").select_option("userId")
    development.get_by_role("button", name="Add constraint").click()
    development.get_by_label("Context field").fill("appName")
    development.get_by_label("Values", exact=True).fill("web")
    development.get_by_label("Values", exact=True).press("Enter")
    development.get_by_role("button", name="Remove segment testers").click()
    development.get_by_role("button", name="Add variant").click()
    development.get_by_label("Variant name").fill("blue")
    development.get_by_label("Payload type").select_option("string")
    development.get_by_label("Payload", exact=True).fill("#00f")
    development.get_by_role("button", name="Save strategy").click()

    strategy = development.get_by_role("article")
    variants = strategy.get_by_role("list", name="Variants")
    expect(variants).to_have_text("blue — 100.0%, string payload")
    expect(strategy).to_contain_text("25% of userId")
    (saved,) = api.get(
        "/api/admin/projects/default/features/search-v2/environments/development/strategies"
    ).json()
    assert saved["parameters"] == {"rollout": "25", "stickiness": "userId", "groupId": "search-v2"}
    assert saved["constraints"] == [
        {"contextName": "appName", "operator": "IN", "values": ["web"],
         "caseInsensitive": False, "inverted": False},
    ]
    assert saved["segments"] == []
    production = page.get_by_role("region", name="production")
    add = production.get_by_role("button", name="Add strategy")
    add.click()
    expect(add).to_be_disabled()
    production.get_by_role("button", name="Cancel").click()
    expect(production.get_by_role("form")).to_have_count(0)
    expect(add).to_be_focused()
    assert saved["variants"] == [
        {"name": "blue", "weight": 1000, "weightType": "variable", "stickiness": "default",
         "payload": {"type": "string", "value": "#00f"}},
    ]


@SQLITE_ONLY
def test_api_tokens__secret_shown_once__works__then_deleted(page: Any, base_url: str) -> None:
    log_in(page, "/api-tokens")
    page.get_by_label("Token name").fill("checkout-service")
    page.get_by_label("Type").select_option("client")
    page.get_by_label("Environment").select_option("development")
    page.get_by_role("button", name="Create token").click()

    secret = page.get_by_label("New token secret").input_value()
    assert re.fullmatch(r"\*:development\.[0-9a-f]{56}", secret)
    served = httpx.get(f"{base_url}/api/client/features", headers={"Authorization": secret})
    assert served.status_code == 200
    row = page.get_by_role("row").filter(has_text="checkout-service")
    masked = re.compile(r"^\*:development\.\*{8}[0-9a-f]{8}$")
    expect(row.get_by_role("cell").nth(4)).to_have_text(masked)
    page.reload()
    expect(page.get_by_label("New token secret")).to_have_count(0)
    expect(page.get_by_text(secret)).to_have_count(0)

    page.get_by_role("button", name="Delete token checkout-service").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete token").click()

    expect(page.get_by_role("row").filter(has_text="checkout-service")).to_have_count(0)
    refused = httpx.get(f"{base_url}/api/client/features", headers={"Authorization": secret})
    assert refused.status_code == 401


@SQLITE_ONLY
def test_event_log__type_filter__only_those_events(page: Any, api: httpx.Client) -> None:
    audited = api.post("/api/admin/segments", json={"name": "audited", "constraints": []})
    assert audited.status_code == 201
    log_in(page, "/history")
    expect(page.locator("tbody tr").first).to_be_visible()

    page.get_by_label("Event type").fill("segment-created")
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_text("Events 1\N{EN DASH}1 of 1")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr td").nth(1)).to_have_text("segment-created")
    expect(page).to_have_url(re.compile(r"/history\?type=IS%3Asegment-created$"))
    expect(page).to_have_title("Event log · leash")


@SQLITE_ONLY
def test_keyboard__login_by_enter__dialog_escape__switch_by_space(
    page: Any, api: httpx.Client
) -> None:
    make_flag_with_segment(api, flag="kbd-flag", segment="kbd-segment")
    page.goto("/login")
    page.get_by_label("Username or email").fill("admin")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Flags in Default")).to_be_focused()

    page.get_by_role("switch", name="kbd-flag in production").focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_have_text("kbd-flag is on in production")
    expect(page.get_by_role("switch", name="kbd-flag in production")).to_be_checked()

    page.get_by_role("link", name="Segments").focus()
    page.keyboard.press("Enter")
    delete = page.get_by_role("button", name="Delete segment kbd-segment")
    delete.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog").get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(delete).to_be_focused()


@SQLITE_ONLY
def test_playground__bad_time_beside_its_field__custom_field_matches(
    page: Any, api: httpx.Client
) -> None:
    flag = api.post("/api/admin/projects/default/features", json={"name": "eu-only"})
    assert flag.status_code == 201
    production = "/api/admin/projects/default/features/eu-only/environments/production"
    region = {"contextName": "region", "operator": "IN", "values": ["eu"]}
    strategy = {"name": "default", "constraints": [region]}
    assert api.post(f"{production}/strategies", json=strategy).status_code == 200
    assert api.post(f"{production}/on").status_code == 200
    log_in(page, "/playground")
    page.get_by_label("Environment").select_option("production")
    page.get_by_label("Current time (ISO 8601)").fill("yesterday")

    page.get_by_role("button", name="Try configuration").click()

    expect(page.get_by_label("Current time (ISO 8601)")).to_be_focused()
    time_error = page.locator(".field", has=page.get_by_label("Current time (ISO 8601)"))
    expect(time_error.locator(".error")).to_have_text(
        'The `/body/context/currentTime` property must match format "date-time". '
        'You sent "yesterday".'
    )
    page.get_by_label("Current time (ISO 8601)").fill("")
    page.get_by_role("button", name="Add context field").click()
    page.get_by_label("Context field name").fill("region")
    page.get_by_label("Value", exact=True).fill("eu")
    page.get_by_role("button", name="Try configuration").click()
    expect(page.locator("tr[data-flag='eu-only'] .flag-result")).to_have_text("True")
    expect(time_error.locator(".error")).to_be_hidden()
    page.get_by_label("Value", exact=True).fill("us")
    page.get_by_role("button", name="Try configuration").click()
    expect(page.locator("tr[data-flag='eu-only'] .flag-result")).to_have_text("False")


@SQLITE_ONLY
def test_new_user_link__weak_then_strong_password__can_log_in(
    page: Any, api: httpx.Client
) -> None:
    created = api.post(
        "/api/admin/user-admin",
        json={"username": "newcomer", "name": "New Comer", "rootRole": 2, "sendEmail": False},
    )
    assert created.status_code == 201, created.text
    path = "/new-user?" + created.json()["inviteLink"].split("?", 1)[1]
    page.goto(path)
    expect(page.get_by_role("heading", name="Welcome to leash")).to_be_visible()
    expect(page.get_by_text("Choose a password for New Comer.")).to_be_visible()
    page.get_by_label("New password").fill("short")
    page.get_by_label("Repeat the password").fill("short")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("The password must be at least 10 characters long.")).to_be_visible()

    page.get_by_label("New password").fill("Newcomer-pass-42")
    page.get_by_label("Repeat the password").fill("Newcomer-pass-42")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username or email").fill("newcomer")
    page.get_by_label("Password").fill("Newcomer-pass-42")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(path)
    expect(page.get_by_role("alert")).to_contain_text("This link is not valid")


@SQLITE_ONLY
def test_navigation__left_page_finishes_loading__does_not_replace_the_new_one(
    page: Any,
) -> None:
    # The flags page's data is held until the user has moved on to Segments; when it arrives
    # the Segments page must stay (a slow page once drew itself over the next one).
    held: list[Any] = []
    page.route("**/api/admin/environments", lambda route: held.append(route))
    log_in(page, "/segments")
    page.goto("/projects/default")
    expect(page.get_by_text("Loading…")).to_be_visible()
    page.get_by_role("link", name="Segments").click()
    expect(page.get_by_role("heading", name="Segments", level=1)).to_be_visible()
    [route] = held
    with page.expect_response("**/api/admin/environments"):
        route.continue_()
    # The left page's own awaits run once the response is in; let them finish.
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 100))")
    expect(page.get_by_role("heading", name="Segments", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Flags in Default")).to_have_count(0)
