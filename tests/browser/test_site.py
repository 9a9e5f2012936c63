from tests.browser.conftest import assert_accessible, assert_no_csp_violations


def test_home_page_loads_without_csp_violations_and_passes_axe(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.get_by_role("link", name="Siirry sisältöön").count() == 1
    assert_no_csp_violations(page)
    assert_accessible(page)


def test_home_page_is_usable_on_a_phone_screen(page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, "no sideways scrolling on a phone"
    assert page.get_by_role("navigation", name="Päävalikko").is_visible()


def test_accessibility_statement_and_login_pages_pass_axe(page):
    for path in ("/accessibility/", "/accounts/login/", "/accounts/signup/"):
        page.goto(path)
        assert_no_csp_violations(page)
        assert_accessible(page)


def test_a_volunteer_signs_in_with_email_and_password_in_the_browser(page, member):
    from tests.browser.conftest import login

    login(page, member)
    assert page.get_by_text("Kirjautuneena: Veikko").is_visible()
    assert_no_csp_violations(page)


def test_two_visitors_switch_the_event_calendar_to_english_and_back(page, browser, live_server):
    # The second visitor gets the page the first one's visit left in memory: its switch must
    # work for them too (it holds no per-visitor token).
    second = browser.new_context(base_url=live_server.url, locale="fi-FI")
    for visitor in (page, second.new_page()):
        visitor.goto("/events/")
        visitor.get_by_role("button", name="In English").click()
        assert visitor.locator("html").get_attribute("lang") == "en"
        assert visitor.url.endswith("/events/")
        visitor.get_by_role("button", name="Suomeksi").click()
        assert visitor.locator("html").get_attribute("lang") == "fi"
    second.close()
