#!/usr/bin/env python3
"""The size of a built library's code and data by the crate they come from.

Usage: bench/size-by-crate.py target/release/libwaymark_ffi.so

Reads the symbol table (`nm --print-size`, demangled) of the unstripped
library and sums each symbol's size under its crate: the first path segment
of a Rust name (for `<T as Trait>::f`, T's crate), `sqlcipher (C)` and
`openssl (C)` for the vendored C libraries. Generic code is counted where it
was instantiated from, as cargo-bloat does, so `core` and `alloc` hold some
of every crate's generics. What no symbol covers (section headers, unwind
tables, string literals) is the difference to the file's size.
"""

import collections
import re
import subprocess
import sys

OPENSSL = re.compile(
    r"^(EVP|BN|OPENSSL|ossl|CRYPTO|ERR|ASN1|X509|EC|ECDSA|ECDH|RSA|DH|DSA|PEM|OBJ|SHA\d*|MD\d|AES|RAND|BIO|"
    r"OSSL|PKCS\d*|HMAC|CMAC|DES|CAST|BF|RC\d|SM\d|ENGINE|CONF|UI|OCSP|CMS|CT|TS|SRP|SSL|ChaCha|Poly1305|"
    r"KDF|SCT|NCONF|COMP|CRMF|ESS|HTTP|DSO|EVP_\w+|gcm|aesni|bsaes|vpaes|x25519|ecp_nistz256|sha\d+_block|"
    r"md5_block|keccak|poly1305|chacha|bn_|rsaz|ec_|ecx_|dh_|dsa_|rsa_|evp_|asn1_|x509|pem_|err_|conf_|rand_|"
    r"OPENSSL_|CRYPTO_|_?x86_64_|ripemd|whirlpool|ghash|aes_|des_|cmll|camellia|ossl_)",
    re.IGNORECASE,
)


def crate_of(name: str) -> str:
    if name.startswith("sqlite3") or name.startswith("sqlcipher") or name.startswith("sqlite"):
        return "sqlcipher (C)"
    if "::" not in name:
        return "openssl (C)" if OPENSSL.match(name) else "C and runtime"
    name = name.lstrip("<&*")
    name = re.sub(r"^(dyn |impl |mut |const )", "", name)
    segment = re.split(r"::|<| as |>", name, maxsplit=1)[0]
    return segment or "?"


def main(path: str) -> None:
    out = subprocess.run(
        ["nm", "--print-size", "--size-sort", "--demangle", "--defined-only", path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sizes = collections.Counter()
    for line in out.splitlines():
        parts = line.split(" ", 3)
        if len(parts) < 4 or parts[2].lower() not in "tdrbvw":
            continue
        sizes[crate_of(parts[3])] += int(parts[1], 16)
    total = sum(sizes.values())
    print(f"{'crate':<28}{'bytes':>12}{'share':>8}")
    for crate, size in sizes.most_common(25):
        print(f"{crate:<28}{size:>12,}{size / total:>8.1%}")
    rest = sum(size for _, size in sizes.most_common()[25:])
    print(f"{'(the rest)':<28}{rest:>12,}{rest / total:>8.1%}")
    print(f"{'in symbols':<28}{total:>12,}")


if __name__ == "__main__":
    main(sys.argv[1])
