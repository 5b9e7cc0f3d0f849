#!/usr/bin/python3
"""Checks model/auth's tokens with PyJWT, an independent implementation.

(a) PyJWT verifies RS256 and ES256 tokens that sasim signed, with the public
    key sasim printed, and finds the legacy claims and the header kid (the
    SHA-256 of the key's DER, computed here with `cryptography`).
(b) sasim's authenticator accepts an ES256 (and an RS256) token that PyJWT
    signed with sasim's builtin key, and refuses it once tampered with.

Usage: verify_with_pyjwt.py PATH/TO/sasim_jwt_tool
"""
import base64
import hashlib
import subprocess
import sys

import jwt
from cryptography.hazmat.primitives import serialization

EXPECTED_CLAIMS = {
    "iss": "kubernetes/serviceaccount",
    "sub": "system:serviceaccount:pyjwt:checker",
    "kubernetes.io/serviceaccount/namespace": "pyjwt",
    "kubernetes.io/serviceaccount/secret.name": "checker-token-abcde",
    "kubernetes.io/serviceaccount/service-account.name": "checker",
    "kubernetes.io/serviceaccount/service-account.uid": "uid-123",
}


def run(tool, *args):
    return subprocess.run([tool, *args], capture_output=True, text=True, check=False)


def kid_of(public_pem):
    key = serialization.load_pem_public_key(public_pem.encode())
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()


def check(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)
    print("ok:", message)


def main():
    tool = sys.argv[1]
    for alg in ("RS256", "ES256"):
        signed = run(tool, "sign", alg)
        check(signed.returncode == 0, f"{alg}: sasim signs a token")
        token, public_pem = signed.stdout.split("\n", 1)
        header = jwt.get_unverified_header(token)
        check(header == {"alg": alg, "kid": kid_of(public_pem)}, f"{alg}: header is exactly alg and kid {header}")
        claims = jwt.decode(token, public_pem, algorithms=[alg])
        check(claims == EXPECTED_CLAIMS, f"{alg}: PyJWT verifies sasim's token and reads the legacy claims")
        check(run(tool, "sign", alg).stdout.split("\n", 1)[0] == token, f"{alg}: signing again gives the same token")

        private_pem = run(tool, "key", alg).stdout
        theirs = jwt.encode(EXPECTED_CLAIMS, private_pem, algorithm=alg, headers={"kid": header["kid"]})
        verified = run(tool, "verify", theirs)
        check(verified.returncode == 0 and "system:serviceaccount:pyjwt:checker uid=uid-123" in verified.stdout,
              f"{alg}: sasim accepts PyJWT's token: {verified.stdout.strip()}")
        head, payload, signature = theirs.split(".")
        flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
        tampered = run(tool, "verify", ".".join([head, payload, flipped]))
        check(tampered.returncode == 1 and "invalid bearer token" in tampered.stdout,
              f"{alg}: sasim refuses PyJWT's token with a changed signature")


if __name__ == "__main__":
    main()
