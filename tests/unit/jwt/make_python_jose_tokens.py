#!/usr/bin/python3
"""Writes python_jose_tokens.json: tokens made and judged by python-jose, the
reference platform's JWT library (Debian's python3-jose 3.3), for the tests of
our HS256 module. Run once by hand; the output is committed as test data.

    /usr/bin/python3 tests/unit/jwt/make_python_jose_tokens.py > tests/unit/jwt/python_jose_tokens.json

Each case has the token, the secret, the time it is judged at, what
python-jose answered ("reference") and what our module must answer
("expect"): the same, except on the hardening rows where the reference was
lax (a token without exp or without the platform's claims).
"""
import base64
import json
import time
from unittest import mock

from jose import jwt

SECRET = "test-secret-shared-by-auth-and-core"
NOW = 1_700_000_000
LATER = NOW + 30


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(header: dict, claims, secret: str | None) -> str:
    """A token built by hand, for what python-jose refuses to make."""
    head = b64(json.dumps(header, separators=(",", ":")).encode())
    if isinstance(claims, bytes):
        body = b64(claims)
    else:
        body = b64(json.dumps(claims, separators=(",", ":")).encode())
    if secret is None:
        return f"{head}.{body}."
    import hashlib
    import hmac
    mac = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256)
    return f"{head}.{body}.{b64(mac.digest())}"


def judge(token):
    with mock.patch("jose.jwt.timegm", return_value=NOW):
        try:
            return {"claims": jwt.decode(token, SECRET, algorithms=["HS256"])}
        except Exception as error:  # the reference answered str(error)
            return {"error": str(error)}


def claims(user_id=1, username="alice", enabled=True, exp=LATER):
    return {"user_id": user_id, "username": username, "enabled": enabled, "exp": exp}


cases = []


def add(name, token, sign=None, expect=None):
    reference = judge(token)
    case = {"name": name, "token": token, "reference": reference,
            "expect": expect if expect is not None else reference}
    if sign is not None:
        case["sign"] = sign  # our Sign() of these claims must give this token
    cases.append(case)


alice = claims()
alice_token = jwt.encode(alice, SECRET, algorithm="HS256")
add("alice", alice_token, sign=alice)
charlie = claims(3, "charlie", False)
add("charlie_disabled", jwt.encode(charlie, SECRET, algorithm="HS256"), sign=charlie)
odd = claims(7, "zoë \"quoted\" / back\\slash \u2028 \U0001F600 \x7f\x01 tab\t")
add("unicode_and_escapes", jwt.encode(odd, SECRET, algorithm="HS256"), sign=odd)
add("exp_equals_now", jwt.encode(claims(exp=NOW), SECRET, algorithm="HS256"),
    sign=claims(exp=NOW))
add("other_secret", jwt.encode(alice, "another-secret", algorithm="HS256"))
head, body, sig = alice_token.split(".")
flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
add("signature_flipped", f"{head}.{body}.{flipped}")
tampered = b64(json.dumps(claims(enabled=True, user_id=2), separators=(",", ":")).encode())
add("payload_tampered", f"{head}.{tampered}.{sig}")
add("alg_none", raw_token({"alg": "none", "typ": "JWT"}, alice, None))
add("alg_hs512", jwt.encode(alice, SECRET, algorithm="HS512"))
add("alg_missing", raw_token({"typ": "JWT"}, alice, SECRET))
add("expired", jwt.encode(claims(exp=NOW - 1), SECRET, algorithm="HS256"))
add("exp_not_integer", jwt.encode(claims(exp="soon"), SECRET, algorithm="HS256"))
add("exp_as_digit_string", jwt.encode(claims(exp=str(LATER)), SECRET, algorithm="HS256"))
add("nbf_in_future", jwt.encode({**alice, "nbf": NOW + 100}, SECRET, algorithm="HS256"))
add("not_a_jwt", "abc")
add("two_segments", "a.b")
add("empty", "")
add("header_not_base64", "a.b.c")
add("signature_truncated", alice_token[:-2])
add("payload_not_an_object", raw_token({"alg": "HS256", "typ": "JWT"}, b"[1,2]", SECRET))
add("payload_not_json", raw_token({"alg": "HS256", "typ": "JWT"}, b"{nope", SECRET),
    expect={"error": "Invalid payload string: must be a json object"})

# Hardening: the reference accepted these; the platform must not.
no_exp = {"user_id": 1, "username": "alice", "enabled": True}
add("missing_exp", jwt.encode(no_exp, SECRET, algorithm="HS256"),
    expect={"error": 'Token is missing the "exp" claim'})
add("missing_user_id", jwt.encode({"username": "alice", "enabled": True, "exp": LATER},
                                  SECRET, algorithm="HS256"),
    expect={"error": 'Token is missing the "user_id" claim'})
add("missing_enabled", jwt.encode({"user_id": 1, "username": "alice", "exp": LATER},
                                  SECRET, algorithm="HS256"),
    expect={"error": 'Token is missing the "enabled" claim'})

print(json.dumps({"secret": SECRET, "now": NOW, "cases": cases}, indent=2))
