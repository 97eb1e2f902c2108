"""micloud 0.6, untouched, signs in to the simulated cloud and drives its devices.

micloud is an independent client of Xiaomi's real protocol (the password sign-in python-miio
and hass-xiaomi-miot build on; RC4-signed calls to ``{country}.api.io.mi.com/app``). Only where
its HTTP goes changes: its `requests` sessions mount `XiaomiHostsAdapter`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import requests
from micloud import miutils
from micloud.micloud import MiCloud
from micloud.micloudexception import MiCloudAccessDenied

from harness.homes import MICLOUD_HOME as HOME
from harness.xiaomi_hosts import XiaomiHostsAdapter, blocking, routed_sessions, serving_cloud
from simulator import xiaomi_crypto as crypto
from simulator.cloud import CloudServer


@pytest.fixture
async def cloud(
    start_simulator: Callable[..., Any], request: pytest.FixtureRequest
) -> AsyncIterator[CloudServer]:
    """The home's cloud, listening on loopback; the account is in de unless a test asks for
    another country (only that country's API lists the account's homes and devices)."""
    country = getattr(request, "param", "de")
    home = {**HOME, "account": {**HOME["account"], "country": country}}
    async with serving_cloud(await start_simulator(home)) as server:
        yield server


def api(client: MiCloud, path: str, data: Any, country: str = "de") -> Any:
    """One app API call through micloud's own signing: the decrypted JSON answer."""
    answer = client.request_country(path, country, {"data": json.dumps(data)})
    assert answer is not None, f"{path}: micloud got no answer it could decrypt"
    return json.loads(answer)


@pytest.mark.parametrize(("cloud", "country"), [("de", "de"), ("cn", "cn")], indirect=["cloud"])
async def test_micloud_signs_in_and_drives_devices(cloud: CloudServer, country: str) -> None:
    """Sign in, homes, devices, two reads, a write and an action; the devices change."""
    sim = cloud.simulator
    lamp, car = str(sim.devices["lamp"].did), str(sim.devices["car"].did)
    assert cloud.port is not None

    def session() -> dict[str, Any]:
        with routed_sessions(cloud.port or 0) as adapters:
            client = MiCloud("bob@example.com", "hunter2")
            assert client.login() is True
            got: dict[str, Any] = {"user_id": client.user_id, "token": client.get_token()}
            got["devices"] = client.get_devices(country=country)
            got["homes"] = api(client, "/v2/homeroom/gethome", {"fg": True, "limit": 300}, country)
            reads = [{"did": car, "siid": 2, "piid": 1}, {"did": lamp, "siid": 2, "piid": 1}]
            got["read"] = api(client, "/miotspec/prop/get", {"params": reads}, country)
            write = [{"did": lamp, "siid": 2, "piid": 1, "value": False}]
            got["written"] = api(client, "/miotspec/prop/set", {"params": write}, country)
            act = {"did": car, "siid": 6, "aiid": 2, "in": []}
            got["action"] = api(client, "/miotspec/action", {"params": act}, country)
            got["hosts"] = {host for adapter in adapters for host in adapter.hosts}
        return got

    sim.devices["lamp"].set(2, 1, True)
    got = await blocking(session)
    assert str(got["user_id"]) == cloud.xiaomi.user_id
    assert got["token"]
    api_host = "api.io.mi.com" if country == "cn" else f"{country}.api.io.mi.com"
    assert got["hosts"] == {"account.xiaomi.com", "sts.api.io.mi.com", api_host}
    assert {d["did"]: (d["model"], d["token"]) for d in got["devices"]} == {
        did: (device.model, device.token)
        for did, device in ((lamp, sim.devices["lamp"]), (car, sim.devices["car"]))
    }
    (home,) = got["homes"]["result"]["homelist"]
    assert home["name"] == "Cloud Home"
    assert {room["name"]: room["dids"] for room in home["roomlist"]} == {
        "Hall": [lamp],
        "Garage": [car],
    }
    assert got["read"]["result"] == [
        {"did": car, "siid": 2, "piid": 1, "code": 0, "value": 80},
        {"did": lamp, "siid": 2, "piid": 1, "code": 0, "value": True},
    ]
    assert got["written"]["result"] == [{"did": lamp, "siid": 2, "piid": 1, "code": 0}]
    assert got["action"]["result"]["code"] == 0
    assert sim.devices["lamp"].get(2, 1) is False
    assert sim.devices["car"].get(6, 1) == 1


@pytest.mark.parametrize("password", ["wrong", "", "HUNTER2"])
async def test_a_wrong_password_is_refused(cloud: CloudServer, password: str) -> None:
    """serviceLoginAuth2 answers code 70016 and no location; micloud reports access denied."""

    def sign_in() -> str:
        with routed_sessions(cloud.port or 0):
            client = MiCloud("bob@example.com", password or "x" * 8)
            try:
                client.login()
            except MiCloudAccessDenied as err:
                return str(err)
        return "signed in"

    assert (await blocking(sign_in)).startswith("Access denied")
    assert cloud.xiaomi.refusals["password"] == 1
    assert cloud.xiaomi.describe()["service_tokens"] == 0


def signed_in(port: int) -> MiCloud:
    """A micloud client signed in through the simulator."""
    with routed_sessions(port):
        client = MiCloud("bob@example.com", "hunter2")
        assert client.login() is True
    return client


def post(port: int, client: MiCloud, form: dict[str, str]) -> requests.Response:
    """POST a form to the device list, with the client's cookies."""
    with requests.Session() as session:
        session.mount("https://", XiaomiHostsAdapter(port))
        cookies = {"userId": str(client.user_id), "serviceToken": client.service_token or ""}
        return session.post(
            "https://de.api.io.mi.com/app/home/device_list", data=form, cookies=cookies
        )


def rc4_form(client: MiCloud, data: str) -> dict[str, str]:
    """The RC4 form micloud's own code makes for `data`."""
    nonce = miutils.gen_nonce()
    signed = miutils.signed_nonce(client.ssecurity, nonce)
    url = "https://de.api.io.mi.com/app/home/device_list"
    form: dict[str, str] = miutils.generate_enc_params(
        url, "POST", signed, nonce, {"data": data}, client.ssecurity
    )
    return form


def flip(text: str) -> str:
    """`text` (base64) with its first byte changed."""
    raw = bytearray(base64.b64decode(text))
    raw[0] ^= 1
    return base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda form: {**form, "signature": flip(form["signature"])}, "invalid signature"),
        (lambda form: {**form, "data": flip(form["data"])}, "invalid signature"),
        (lambda form: {**form, "rc4_hash__": flip(form["rc4_hash__"])}, "invalid signature"),
        (lambda form: {**form, "_nonce": miutils.gen_nonce()}, "invalid signature"),
        (lambda form: {k: v for k, v in form.items() if k != "signature"}, "invalid signature"),
    ],
    ids=["signature", "data", "rc4-hash", "other-nonce", "no-signature"],
)
async def test_a_bad_signature_is_refused(
    cloud: CloudServer, change: Callable[[dict[str, str]], dict[str, str]], message: str
) -> None:
    """A request whose signature does not hold: HTTP 401, plain JSON code 3, not encrypted."""
    port = cloud.port or 0

    def calls() -> tuple[requests.Response, requests.Response]:
        client = signed_in(port)
        good = post(port, client, rc4_form(client, "{}"))
        bad = post(port, client, change(rc4_form(client, "{}")))
        return good, bad

    good, bad = await blocking(calls)
    assert good.status_code == 200
    assert "message" not in good.text
    assert (bad.status_code, bad.json()) == (401, {"code": 3, "message": message})
    assert cloud.xiaomi.refusals["signature"] == 1


async def test_an_unknown_or_expired_service_token_is_refused(cloud: CloudServer) -> None:
    """No session behind the cookie: HTTP 401, code 3 "auth err"; expire_tokens does it too."""
    port = cloud.port or 0

    def calls() -> list[requests.Response]:
        client = signed_in(port)
        answers = [post(port, client, rc4_form(client, "{}"))]
        client.service_token = "never issued"
        answers.append(post(port, client, rc4_form(client, "{}")))
        return answers

    good, unknown = await blocking(calls)
    assert good.status_code == 200
    assert (unknown.status_code, unknown.json()) == (401, {"code": 3, "message": "auth err"})
    client = await blocking(lambda: signed_in(port))
    cloud.apply_faults({"expire_tokens": True})
    expired = await blocking(lambda: post(port, client, rc4_form(client, "{}")))
    assert (expired.status_code, expired.json()["message"]) == (401, "auth err")


def test_signing_and_rc4_agree_with_micloud() -> None:
    """Known answers: the simulator's helpers and micloud's functions on fixed inputs."""
    ssecurity, nonce = base64.b64encode(bytes(range(16))).decode(), "AAECAwQFBgcAGwMd"
    signed = crypto.signed_nonce(ssecurity, nonce)
    assert signed == miutils.signed_nonce(ssecurity, nonce)
    text = '{"params":[{"did":"1","siid":2,"piid":1}]}'
    assert crypto.encrypt(signed, text) == miutils.encrypt_rc4(signed, text)
    assert crypto.decrypt(signed, miutils.encrypt_rc4(signed, text)) == text.encode()
    url = "https://de.api.io.mi.com/app/miotspec/prop/get"
    fields = {"data": text}
    assert crypto.rc4_signature(
        "POST", "/miotspec/prop/get", fields.items(), signed
    ) == miutils.gen_enc_signature(url, "POST", signed, fields)
    assert crypto.hmac_signature(
        "/miotspec/prop/get", signed, nonce, fields.items()
    ) == miutils.gen_signature(url.replace("/app/", "/"), signed, nonce, fields)


@pytest.mark.parametrize(
    ("path", "data", "expected"),
    [
        ("/v2/homeroom/gethome_merged", {"fg": True}, ("home id",)),
        ("/v2/home/device_list_page", {"limit": 1}, (1, True)),
        ("/home/home_device_list", {"home_id": "this", "limit": 1}, (1, "car did")),
        ("/home/home_device_list", {"home_id": 1}, (0, "")),
        ("/v2/message/v2/check_new_msg", {"begin_at": 0}, ({"new_msg": False},)),
    ],
    ids=["gethome-merged", "device-page", "home-devices", "other-home", "messages"],
)
async def test_other_app_routes(
    cloud: CloudServer, path: str, data: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    """The routes mijiaAPI uses answer through micloud's signing too."""
    if data.get("home_id") == "this":
        data = {**data, "home_id": int(cloud.home_id)}

    def call() -> Any:
        with routed_sessions(cloud.port or 0):
            return api(signed_in(cloud.port or 0), path, data)

    answer = await blocking(call)
    assert answer["code"] == 0
    result = answer["result"]
    got: tuple[Any, ...]
    if "homelist" in result:
        got = (result["homelist"][0]["id"],)
    elif "list" in result:
        got = (len(result["list"]), result["has_more"])
    elif "device_info" in result:
        got = (len(result["device_info"]), result["max_did"])
    else:
        got = (result,)
    names = {"home id": cloud.home_id, "car did": str(cloud.simulator.devices["car"].did)}
    assert got == tuple(
        names.get(item, item) if isinstance(item, str) else item for item in expected
    )


@pytest.mark.parametrize("tamper", [False, True])
async def test_the_plain_hmac_form(cloud: CloudServer, tamper: bool) -> None:
    """HMAC-signed with micloud's gen_signature (as hass-xiaomi-miot's plain calls): plain JSON."""
    port = cloud.port or 0

    def call() -> requests.Response:
        client = signed_in(port)
        nonce = miutils.gen_nonce()
        signed = miutils.signed_nonce(client.ssecurity, nonce)
        url = "https://de.api.io.mi.com/app/home/device_list"
        data = {"data": "{}"}
        signature = miutils.gen_signature(url.replace("/app/", "/"), signed, nonce, data)
        form = {"signature": signature, "_nonce": nonce, **data}
        if tamper:
            form["data"] = '{"x":1}'
        return post(port, client, form)

    response = await blocking(call)
    if tamper:
        assert (response.status_code, response.json()["message"]) == (401, "invalid signature")
    else:
        assert response.status_code == 200
        assert len(response.json()["result"]["list"]) == 2
