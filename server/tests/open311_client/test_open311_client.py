"""GreenWatch's Open311 GeoReport v2 endpoint, driven by a real client
library from PyPI (georeport 0.3.1) against the real server binary.

scripts/test-open311 starts the server and sets:
  GW_BASE_URL        the server's root, e.g. http://127.0.0.1:40123
  GW_API_KEY         a key made by `greenwatch-server open311 key add`
  GW_STAFF_USER, GW_STAFF_PASSWORD   an operator made by `staff add`

What the library covers: services (JSON, XML), service definitions (JSON,
XML), requests with filters (JSON, XML), one request (JSON, XML). georeport
cannot POST, read discovery, tokens or the updates extension, and has no
lower-level request method, so those use `requests` directly; so do the
staff actions that close a case.
"""

import os

import pytest
import requests
from georeport import GeoReport

BASE_URL = os.environ["GW_BASE_URL"].rstrip("/")
ENDPOINT = BASE_URL + "/open311/v2"
API_KEY = os.environ["GW_API_KEY"]
STAFF_USER = os.environ["GW_STAFF_USER"]
STAFF_PASSWORD = os.environ["GW_STAFF_PASSWORD"]
REPLY = "The plant was fined; the filter is fixed. 已责令整改。"
SUMMARY = "Smoke & soot <at night> near the plant 夜间烟尘"
# What the reporter sent that no public answer may show (issue #14).
PRIVATE = ("13800138000", "Li Wei", "li.wei@example.org", "Black smoke", "Pile driving",
           "smoke.jpg", "Riverside", "31.2304", "121.4737")


@pytest.fixture(scope="module")
def client():
    return GeoReport(ENDPOINT, api_key=API_KEY)


@pytest.fixture(scope="module")
def xml_client():
    return GeoReport(ENDPOINT, api_key=API_KEY, output_format="xml")


def post_request(**fields):
    """POST requests.json as the spec's form; georeport cannot POST."""
    form = {"api_key": API_KEY, **fields}
    response = requests.post(ENDPOINT + "/requests.json", data=form, timeout=10)
    return response


@pytest.fixture(scope="module")
def filed():
    """Two requests filed through Open311: air (position) and noise (address)."""
    air = post_request(
        service_code="air",
        lat="31.2304",
        long="121.4737",
        description="Black smoke from the plant's chimney every night <after 22:00> & soot",
        first_name="Li",
        last_name="Wei",
        phone="13800138000",
        email="li.wei@example.org",
        media_url="https://example.org/smoke.jpg",
    )
    assert air.status_code == 200, air.text
    noise = post_request(
        service_code="noise",
        address_string="No. 5 Riverside Road",
        description="Pile driving at the building site after midnight",
    )
    assert noise.status_code == 200, noise.text
    return {
        "air": air.json()[0],
        "noise": noise.json()[0],
    }


def test_discovery_names_this_endpoint_and_both_formats():
    response = requests.get(ENDPOINT + "/discovery.json", timeout=10)
    assert response.status_code == 200
    endpoint = response.json()["endpoints"][0]
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


def test_service_list_is_our_categories(client, xml_client):
    services = client.get_service_list()
    codes = [service["service_code"] for service in services]
    assert "air" in codes and "noise" in codes and "water_river" in codes
    assert all(service["metadata"] is False for service in services)
    xml_services = xml_client.get_service_list()
    assert [service["service_code"] for service in xml_services] == codes


def test_service_definitions_answer_with_no_attributes(client, xml_client):
    assert client.get_service_definition("air") == {"service_code": "air", "attributes": []}
    definition = xml_client.get_service_definition("noise")
    assert definition["service_code"] == "noise"


def test_posting_needs_a_valid_key():
    response = requests.post(
        ENDPOINT + "/requests.json",
        data={"api_key": "wrong", "service_code": "air", "address_string": "x road",
              "description": "Smoke over the river all day"},
        timeout=10,
    )
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403


def test_bad_fields_come_back_as_the_specs_error_list():
    response = post_request(service_code="air", lat="95", long="121", description="bad")
    assert response.status_code == 400
    descriptions = [error["description"] for error in response.json()]
    assert any(d.startswith("lat/long:") for d in descriptions), descriptions
    assert any(d.startswith("description:") for d in descriptions), descriptions


def test_a_posted_request_reads_back_in_its_public_form(client, xml_client, filed):
    case = filed["air"]["service_request_id"]
    assert case.startswith("GW-")
    request = client.get_service_request(case)
    assert request["service_request_id"] == case
    assert request["status"] == "open"
    assert request["service_code"] == "air"
    # The position's ~200 m grid cell, never the fix; no description until
    # staff write a public summary; no address, no media link.
    assert request["lat"] == 31.231 and request["long"] == 121.473
    for field in ("description", "address", "media_url"):
        assert field not in request, request
    for private in PRIVATE:
        assert private not in str(request)
    xml_request = xml_client.get_service_request(case)
    assert xml_request["service_request_id"] == case
    assert xml_request["lat"] == "31.231"
    for private in PRIVATE:
        assert private not in str(xml_request)


def test_the_token_names_the_case(filed):
    token = filed["air"]["token"]
    response = requests.get(f"{ENDPOINT}/tokens/{token}.json", timeout=10)
    assert response.status_code == 200
    assert response.json()[0]["service_request_id"] == filed["air"]["service_request_id"]


def test_the_list_filters_through_the_library(client, xml_client, filed):
    air = filed["air"]["service_request_id"]
    noise = filed["noise"]["service_request_id"]
    listed = [r["service_request_id"] for r in client.get_service_requests()]
    assert air in listed and noise in listed
    by_code = client.get_service_requests(service_code="noise")
    assert [r["service_request_id"] for r in by_code] == [noise]
    assert "address" not in by_code[0] and "lat" not in by_code[0]
    by_ids = client.get_service_requests(service_request_id=f"{air},{noise}")
    assert sorted(r["service_request_id"] for r in by_ids) == sorted([air, noise])
    past = client.get_service_requests(
        start_date="2020-01-01T00:00:00Z", end_date="2020-03-01T00:00:00Z"
    )
    assert past == []
    xml_by_code = xml_client.get_service_requests(service_code="noise")
    # xmltodict gives a lone element as a dict.
    assert xml_by_code["service_request_id"] == noise


def test_a_resolved_case_is_closed_with_the_reply_in_status_notes(client, xml_client, filed):
    case = filed["air"]["service_request_id"]
    staff = requests.Session()
    login = staff.post(
        BASE_URL + "/api/v1/staff/login",
        json={"username": STAFF_USER, "password": STAFF_PASSWORD},
        timeout=10,
    )
    assert login.status_code == 200, login.text
    for action, body in (("accept", {"public_summary": SUMMARY}), ("resolve", {"reply": REPLY})):
        response = staff.post(
            f"{BASE_URL}/api/v1/staff/cases/{case}/{action}", json=body, timeout=10
        )
        assert response.status_code == 200, response.text

    request = client.get_service_request(case)
    assert request["status"] == "closed"
    assert request["status_notes"] == REPLY
    assert request["description"] == SUMMARY
    xml_request = xml_client.get_service_request(case)
    assert xml_request["status_notes"] == REPLY
    assert xml_request["description"] == SUMMARY
    for private in PRIVATE:
        assert private not in str(request) and private not in str(xml_request)
    closed = client.get_service_requests(status="closed")
    assert [r["service_request_id"] for r in closed] == [case]
    still_open = [r["service_request_id"] for r in client.get_service_requests(status="open")]
    assert case not in still_open and filed["noise"]["service_request_id"] in still_open

    updates = requests.get(
        ENDPOINT + "/request_updates.json",
        params={"service_request_id": case, "locale": "en"},
        timeout=10,
    ).json()
    assert [u["description"] for u in updates] == ["Received", "Accepted", REPLY]
    assert [u["status"] for u in updates] == ["open", "open", "closed"]
