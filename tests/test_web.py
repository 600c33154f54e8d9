from sqlalchemy.exc import OperationalError


def test_healthz_reports_database_and_scheduler(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"database": "ok", "scheduler": "off", "last_sweep": None}


def test_healthz_reports_a_running_scheduler(app, client):
    class Scheduler:
        running = True

    app.extensions["tracker.scheduler"] = Scheduler()
    assert client.get("/healthz").json["scheduler"] == "running"


def test_healthz_is_503_when_the_database_does_not_answer(app, client, monkeypatch):
    engine = app.extensions["tracker.engine"]

    def refuse():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(engine, "raw_connection", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_healthz_answers_on_a_database_whose_tables_are_not_made_yet(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'bare.db'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"database": "ok", "scheduler": "off", "last_sweep": None}


def test_home_page_needs_sign_in_and_then_shows_the_incidents(client, make_user, login):
    assert client.get("/").status_code == 302
    login(client, make_user("viewer"))
    assert client.get("/").headers["Location"] == "/incidents"


def test_layout_shows_user_navigation_and_stylesheet(client, make_user, login):
    login(client, make_user("responder", name="Rae Responder"))
    page = client.get("/account").get_data(as_text=True)
    assert '<nav class="site-nav" aria-label="Main">' in page
    assert "Rae Responder" in page
    assert 'href="/static/tracker.css"' in page
    assert '<meta name="viewport"' in page
    assert client.get("/static/tracker.css").status_code == 200


def test_unknown_page_is_a_page_and_unknown_api_route_is_json(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "Error 404" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-route")
    assert api.status_code == 404
    assert set(api.json["error"]) == {"message", "fields"}
