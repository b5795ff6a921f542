"""UserContextData (threat protection) is recorded per operation in /_emulator/stats."""

from __future__ import annotations

from test_flows import PASSWORD, call, env  # noqa: F401 (fixture)


def test_user_context_data_is_recorded_and_checked(env):
    _, config, client = env
    client.post("/_emulator/reset-stats")
    context = {"EncodedData": "encoded-by-amazon-script", "IpAddress": "192.0.2.1"}
    call(client, "SignUp", {"ClientId": config["clientId"], "Username": "ctx-user", "Password": PASSWORD,
                            "UserAttributes": [{"Name": "email", "Value": "ctx@example.com"}],
                            "UserContextData": context})
    call(client, "ResendConfirmationCode", {"ClientId": config["clientId"], "Username": "ctx-user",
                                            "UserContextData": {"EncodedData": "e2"}})
    call(client, "ResendConfirmationCode", {"ClientId": config["clientId"], "Username": "ctx-user"})
    stats = client.get("/_emulator/stats").get_json()
    assert stats["userContextData"] == {"SignUp": 1, "ResendConfirmationCode": 1}
    assert stats["lastUserContextData"] == {"SignUp": context, "ResendConfirmationCode": {"EncodedData": "e2"}}
    call(client, "ForgotPassword", {"ClientId": config["clientId"], "Username": "ctx-user",
                                    "UserContextData": {"EncodedData": 5}}, expect_error="SerializationException")
    call(client, "ForgotPassword", {"ClientId": config["clientId"], "Username": "ctx-user",
                                    "UserContextData": "text"}, expect_error="SerializationException")
    client.post("/_emulator/reset-stats")
    assert client.get("/_emulator/stats").get_json()["userContextData"] == {}


def test_client_metadata_is_recorded(env):
    _, config, client = env
    client.post("/_emulator/reset-stats")
    call(client, "ResendConfirmationCode", {"ClientId": config["clientId"], "Username": "ctx-user",
                                            "ClientMetadata": {"source": "pytest"}})
    call(client, "SignUp", {"ClientId": config["clientId"], "Username": "ctx-meta", "Password": PASSWORD,
                            "UserAttributes": [{"Name": "email", "Value": "meta@example.com"}]})
    assert client.get("/_emulator/stats").get_json()["lastClientMetadata"] == {
        "ResendConfirmationCode": {"source": "pytest"}}
