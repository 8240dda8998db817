//! SQLCipher's page cipher on RustCrypto, for every target but Apple's.
//!
//! SQLCipher asks a crypto provider for AES-256-CBC, HMAC, PBKDF2 and random
//! bytes. OpenSSL 3 brings all of its algorithms with those four (its default
//! provider's tables name every one), about 2.5 MB of a phone library; this
//! provider brings only what SQLCipher uses. It is SQLCipher's documented way
//! to plug one in (`SQLCIPHER_CRYPTO_CUSTOM`, set in the workspace's `.cargo/config.toml`) and
//! follows its OpenSSL reference provider call for call, so files written by
//! either open with the other (`tests/sqlcipher-openssl.db`). Apple builds use
//! CommonCrypto, which takes precedence in SQLCipher's choice. The relay
//! links this too: in a workspace build its SQLite is SQLCipher.

use std::ffi::{c_char, c_int, c_uchar, c_void};
use std::slice;

use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

const SQLITE_OK: c_int = 0;
const SQLITE_ERROR: c_int = 1;

const ENCRYPT: c_int = 1;
const DECRYPT: c_int = 0;
const SHA1: c_int = 0;
const SHA256: c_int = 1;
const SHA512: c_int = 2;

const KEY_SIZE: c_int = 32;
const BLOCK_SIZE: c_int = 16;

/// SQLCipher's `struct sqlcipher_provider` (sqlcipher.h), field for field.
#[repr(C)]
pub struct Provider {
    init: Option<unsafe extern "C" fn() -> c_int>,
    shutdown: Option<unsafe extern "C" fn()>,
    get_provider_name: Option<unsafe extern "C" fn(*mut c_void) -> *const c_char>,
    add_random: Option<unsafe extern "C" fn(*mut c_void, *const c_void, c_int) -> c_int>,
    random: Option<unsafe extern "C" fn(*mut c_void, *mut c_void, c_int) -> c_int>,
    hmac: Option<
        unsafe extern "C" fn(
            *mut c_void,
            c_int,
            *const c_uchar,
            c_int,
            *const c_uchar,
            c_int,
            *const c_uchar,
            c_int,
            *mut c_uchar,
        ) -> c_int,
    >,
    kdf: Option<
        unsafe extern "C" fn(
            *mut c_void,
            c_int,
            *const c_uchar,
            c_int,
            *const c_uchar,
            c_int,
            c_int,
            c_int,
            *mut c_uchar,
        ) -> c_int,
    >,
    cipher: Option<
        unsafe extern "C" fn(
            *mut c_void,
            c_int,
            *const c_uchar,
            c_int,
            *const c_uchar,
            *const c_uchar,
            c_int,
            *mut c_uchar,
        ) -> c_int,
    >,
    get_cipher: Option<unsafe extern "C" fn(*mut c_void) -> *const c_char>,
    get_key_sz: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    get_iv_sz: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    get_block_sz: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    get_hmac_sz: Option<unsafe extern "C" fn(*mut c_void, c_int) -> c_int>,
    ctx_init: Option<unsafe extern "C" fn(*mut *mut c_void) -> c_int>,
    ctx_free: Option<unsafe extern "C" fn(*mut *mut c_void) -> c_int>,
    fips_status: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    get_provider_version: Option<unsafe extern "C" fn(*mut c_void) -> *const c_char>,
    next: *mut Provider,
}

/// Called by SQLCipher once, while SQLite initialises, to fill in the provider.
///
/// # Safety
/// `provider` points to a `sqlcipher_provider` SQLCipher allocated.
#[no_mangle]
pub unsafe extern "C" fn waymark_sqlcipher_setup(provider: *mut Provider) -> c_int {
    let Some(provider) = (unsafe { provider.as_mut() }) else { return SQLITE_ERROR };
    provider.init = None;
    provider.shutdown = None;
    provider.get_provider_name = Some(provider_name);
    provider.add_random = Some(add_random);
    provider.random = Some(random);
    provider.hmac = Some(hmac);
    provider.kdf = Some(kdf);
    provider.cipher = Some(cipher);
    provider.get_cipher = Some(cipher_name);
    provider.get_key_sz = Some(key_size);
    provider.get_iv_sz = Some(block_size);
    provider.get_block_sz = Some(block_size);
    provider.get_hmac_sz = Some(hmac_size);
    provider.ctx_init = Some(no_context);
    provider.ctx_free = Some(no_context);
    provider.fips_status = Some(not_fips);
    provider.get_provider_version = Some(provider_version);
    SQLITE_OK
}

/// Call before SQLite starts, so that a linker that reads archives in order
/// keeps the setup function SQLCipher's object (linked later) refers to.
pub fn keep_linked() -> usize {
    waymark_sqlcipher_setup as *const () as usize
}

unsafe extern "C" fn provider_name(_: *mut c_void) -> *const c_char {
    c"rustcrypto".as_ptr()
}

unsafe extern "C" fn provider_version(_: *mut c_void) -> *const c_char {
    c"aes 0.8, cbc 0.1, hmac 0.12, pbkdf2 0.12".as_ptr()
}

unsafe extern "C" fn cipher_name(_: *mut c_void) -> *const c_char {
    c"aes-256-cbc".as_ptr()
}

unsafe extern "C" fn key_size(_: *mut c_void) -> c_int {
    KEY_SIZE
}

unsafe extern "C" fn block_size(_: *mut c_void) -> c_int {
    BLOCK_SIZE
}

unsafe extern "C" fn hmac_size(_: *mut c_void, algorithm: c_int) -> c_int {
    match algorithm {
        SHA1 => 20,
        SHA256 => 32,
        SHA512 => 64,
        _ => 0,
    }
}

unsafe extern "C" fn no_context(_: *mut *mut c_void) -> c_int {
    SQLITE_OK
}

unsafe extern "C" fn not_fips(_: *mut c_void) -> c_int {
    0
}

/// The operating system's generator is the only source; there is nothing to mix in.
unsafe extern "C" fn add_random(_: *mut c_void, _: *const c_void, _: c_int) -> c_int {
    SQLITE_OK
}

unsafe extern "C" fn random(_: *mut c_void, buffer: *mut c_void, length: c_int) -> c_int {
    let Some(out) = (unsafe { bytes_mut(buffer.cast(), length) }) else { return SQLITE_ERROR };
    status(getrandom::getrandom(out).is_ok())
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn hmac(
    _: *mut c_void,
    algorithm: c_int,
    key: *const c_uchar,
    key_size: c_int,
    input: *const c_uchar,
    input_size: c_int,
    input2: *const c_uchar,
    input2_size: c_int,
    out: *mut c_uchar,
) -> c_int {
    let (Some(key), Some(input)) = (unsafe { bytes(key, key_size) }, unsafe { bytes(input, input_size) }) else {
        return SQLITE_ERROR;
    };
    let input2 = if input2.is_null() { Some(&[][..]) } else { unsafe { bytes(input2, input2_size) } };
    let Some(input2) = input2 else { return SQLITE_ERROR };
    if out.is_null() {
        return SQLITE_ERROR;
    }
    let tag = match algorithm {
        SHA1 => mac::<Hmac<Sha1>>(key, input, input2),
        SHA256 => mac::<Hmac<Sha256>>(key, input, input2),
        SHA512 => mac::<Hmac<Sha512>>(key, input, input2),
        _ => None,
    };
    let Some(tag) = tag else { return SQLITE_ERROR };
    // SAFETY: SQLCipher sizes `out` with get_hmac_sz for this algorithm.
    unsafe { std::ptr::copy_nonoverlapping(tag.as_ptr(), out, tag.len()) };
    SQLITE_OK
}

fn mac<M: Mac + hmac::digest::KeyInit>(key: &[u8], input: &[u8], input2: &[u8]) -> Option<Vec<u8>> {
    let mut mac = <M as Mac>::new_from_slice(key).ok()?;
    mac.update(input);
    mac.update(input2);
    Some(mac.finalize().into_bytes().to_vec())
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn kdf(
    _: *mut c_void,
    algorithm: c_int,
    pass: *const c_uchar,
    pass_size: c_int,
    salt: *const c_uchar,
    salt_size: c_int,
    rounds: c_int,
    key_size: c_int,
    key: *mut c_uchar,
) -> c_int {
    let (Some(pass), Some(salt), Some(key)) =
        (unsafe { bytes(pass, pass_size) }, unsafe { bytes(salt, salt_size) }, unsafe { bytes_mut(key, key_size) })
    else {
        return SQLITE_ERROR;
    };
    let Ok(rounds) = u32::try_from(rounds) else { return SQLITE_ERROR };
    if rounds == 0 {
        return SQLITE_ERROR;
    }
    let derived = match algorithm {
        SHA1 => pbkdf2::pbkdf2::<Hmac<Sha1>>(pass, salt, rounds, key),
        SHA256 => pbkdf2::pbkdf2::<Hmac<Sha256>>(pass, salt, rounds, key),
        SHA512 => pbkdf2::pbkdf2::<Hmac<Sha512>>(pass, salt, rounds, key),
        _ => return SQLITE_ERROR,
    };
    status(derived.is_ok())
}

/// AES-256-CBC without padding over whole blocks, as SQLCipher pages are.
unsafe extern "C" fn cipher(
    _: *mut c_void,
    mode: c_int,
    key: *const c_uchar,
    key_size: c_int,
    iv: *const c_uchar,
    input: *const c_uchar,
    input_size: c_int,
    out: *mut c_uchar,
) -> c_int {
    let (Some(key), Some(iv), Some(input), Some(out)) = (
        unsafe { bytes(key, key_size) },
        unsafe { bytes(iv, BLOCK_SIZE) },
        unsafe { bytes(input, input_size) },
        unsafe { bytes_mut(out, input_size) },
    ) else {
        return SQLITE_ERROR;
    };
    let done = match mode {
        ENCRYPT => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, iv)
            .ok()
            .and_then(|c| c.encrypt_padded_b2b_mut::<NoPadding>(input, out).ok().map(|_| ())),
        DECRYPT => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .ok()
            .and_then(|c| c.decrypt_padded_b2b_mut::<NoPadding>(input, out).ok().map(|_| ())),
        _ => None,
    };
    status(done.is_some())
}

fn status(ok: bool) -> c_int {
    if ok {
        SQLITE_OK
    } else {
        SQLITE_ERROR
    }
}

/// A C buffer as a slice; `None` for a null pointer or a negative length.
unsafe fn bytes<'a>(pointer: *const c_uchar, length: c_int) -> Option<&'a [u8]> {
    let length = usize::try_from(length).ok()?;
    match (pointer.is_null(), length) {
        (_, 0) => Some(&[]),
        (true, _) => None,
        // SAFETY: SQLCipher passes buffers of the length it names.
        (false, _) => Some(unsafe { slice::from_raw_parts(pointer, length) }),
    }
}

unsafe fn bytes_mut<'a>(pointer: *mut c_uchar, length: c_int) -> Option<&'a mut [u8]> {
    let length = usize::try_from(length).ok()?;
    match (pointer.is_null(), length) {
        (_, 0) => Some(&mut []),
        (true, _) => None,
        // SAFETY: SQLCipher passes buffers of the length it names.
        (false, _) => Some(unsafe { slice::from_raw_parts_mut(pointer, length) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4231 test case 2 (HMAC-SHA-512) and RFC 2202 test case 2 (HMAC-SHA-1).
    #[test]
    fn hmac_matches_the_rfc_vectors() {
        let cases: [(c_int, &str); 2] = [
            (
                SHA512,
                "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
            ),
            (SHA1, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        ];
        for (algorithm, expected) in cases {
            let (key, data) = (b"Jefe", b"what do ya want for nothing?");
            let mut out = vec![0u8; unsafe { hmac_size(std::ptr::null_mut(), algorithm) } as usize];
            let (head, tail) = data.split_at(10);
            let code = unsafe {
                hmac(
                    std::ptr::null_mut(),
                    algorithm,
                    key.as_ptr(),
                    4,
                    head.as_ptr(),
                    head.len() as c_int,
                    tail.as_ptr(),
                    tail.len() as c_int,
                    out.as_mut_ptr(),
                )
            };
            assert_eq!(code, SQLITE_OK);
            assert_eq!(hex(&out), expected);
        }
    }

    // RFC 6070 test case 2: PBKDF2-HMAC-SHA1, "password", "salt", 2 rounds.
    #[test]
    fn kdf_matches_the_rfc_vector() {
        let mut key = [0u8; 20];
        let code = unsafe {
            kdf(std::ptr::null_mut(), SHA1, b"password".as_ptr(), 8, b"salt".as_ptr(), 4, 2, 20, key.as_mut_ptr())
        };
        assert_eq!(code, SQLITE_OK);
        assert_eq!(hex(&key), "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
    }

    // NIST SP 800-38A F.2.5 (CBC-AES256.Encrypt), first two blocks, and back.
    #[test]
    fn cipher_matches_the_nist_vector_both_ways() {
        let key = unhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        let iv = unhex("000102030405060708090a0b0c0d0e0f");
        let plain = unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        let mut sealed = vec![0u8; 32];
        let run = |mode, input: &[u8], out: &mut [u8]| unsafe {
            cipher(std::ptr::null_mut(), mode, key.as_ptr(), 32, iv.as_ptr(), input.as_ptr(), 32, out.as_mut_ptr())
        };
        assert_eq!(run(ENCRYPT, &plain, &mut sealed), SQLITE_OK);
        assert_eq!(hex(&sealed), "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d");
        let mut opened = vec![0u8; 32];
        assert_eq!(run(DECRYPT, &sealed, &mut opened), SQLITE_OK);
        assert_eq!(opened, plain);
    }

    #[test]
    fn a_partial_block_or_a_short_key_is_an_error_not_a_crash() {
        let key = [7u8; 32];
        let iv = [0u8; 16];
        let input = [1u8; 20];
        let mut out = [0u8; 20];
        let odd = unsafe {
            cipher(std::ptr::null_mut(), ENCRYPT, key.as_ptr(), 32, iv.as_ptr(), input.as_ptr(), 20, out.as_mut_ptr())
        };
        let short = unsafe {
            cipher(std::ptr::null_mut(), ENCRYPT, key.as_ptr(), 16, iv.as_ptr(), input.as_ptr(), 16, out.as_mut_ptr())
        };
        assert_eq!((odd, short), (SQLITE_ERROR, SQLITE_ERROR));
    }

    #[test]
    fn random_fills_the_buffer() {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        unsafe {
            assert_eq!(random(std::ptr::null_mut(), a.as_mut_ptr().cast(), 32), SQLITE_OK);
            assert_eq!(random(std::ptr::null_mut(), b.as_mut_ptr().cast(), 32), SQLITE_OK);
        }
        assert_ne!(a, b);
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
    }
}
