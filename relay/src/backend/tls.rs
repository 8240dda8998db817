//! PostgreSQL over TLS, when the URL asks for it.
//!
//! `sslmode=require`, `verify-ca` and `verify-full` all mean TLS with the
//! server's certificate checked, chain and host name, against the system's
//! root certificates, or against the PEM file that `sslrootcert=PATH` names
//! (`sslrootcert=system`: the system's). An encrypted connection to a server
//! nobody checked would not keep out a machine in the middle, so the relay
//! never makes one, though libpq's `require` would. Any other sslmode, or
//! none, connects in plain text, as tokio-postgres does without TLS.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::BackendError;

/// How to connect, as the URL asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tls {
    Plain,
    /// TLS, verified against `root_cert`, or the system's roots when `None`.
    Verified {
        root_cert: Option<PathBuf>,
    },
}

/// The connection settings and the TLS the URL asks for. tokio-postgres knows
/// only `sslmode=disable|prefer|require` and no `sslrootcert`, so the relay
/// takes those two out of the query and hands the rest on.
pub(super) fn parse(url: &str) -> Result<(tokio_postgres::Config, Tls), BackendError> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let (mut kept, mut mode, mut root_cert) = (Vec::new(), None, None);
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", value)) => mode = Some((pair, value)),
            Some(("sslrootcert", value)) => root_cert = Some(value),
            _ => kept.push(pair),
        }
    }
    let tls = match mode {
        Some((_, "require" | "verify-ca" | "verify-full")) => {
            kept.push("sslmode=require");
            Tls::Verified { root_cert: root_cert.filter(|path| *path != "system").map(PathBuf::from) }
        }
        Some((pair, _)) => {
            kept.push(pair);
            Tls::Plain
        }
        None => Tls::Plain,
    };
    let url = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    // tokio-postgres's parse errors name the option, never the URL (which may hold a password).
    let config = url.parse().map_err(|error| BackendError::Database(format!("the PostgreSQL URL: {error}")))?;
    Ok((config, tls))
}

/// A TLS connector that trusts `root_cert`'s certificates, or the system's.
pub(super) fn connector(root_cert: Option<&Path>) -> Result<MakeRustlsConnect, BackendError> {
    let roots = match root_cert {
        Some(path) => roots_in(path)?,
        None => system_roots()?,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| BackendError::Tls(error.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

fn roots_in(path: &Path) -> Result<RootCertStore, BackendError> {
    let unreadable =
        |error: &dyn std::fmt::Display| BackendError::Tls(format!("sslrootcert {}: {error}", path.display()));
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))? {
        roots.add(cert.map_err(|e| unreadable(&e))?).map_err(|e| unreadable(&e))?;
    }
    if roots.is_empty() {
        return Err(unreadable(&"no certificate in the file"));
    }
    Ok(roots)
}

fn system_roots() -> Result<RootCertStore, BackendError> {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if roots.is_empty() {
        return Err(BackendError::Tls(
            "no system root certificates found: install them (Debian: ca-certificates) or name a PEM file \
             with sslrootcert=PATH"
                .into(),
        ));
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tls_of(url: &str) -> Tls {
        parse(url).unwrap().1
    }

    #[test]
    fn only_a_url_that_asks_for_tls_gets_it_and_then_verified() {
        assert_eq!(tls_of("postgres://u@h/db"), Tls::Plain);
        assert_eq!(tls_of("postgres://u@h/db?sslmode=disable"), Tls::Plain);
        assert_eq!(tls_of("postgres://u@h/db?sslmode=prefer"), Tls::Plain);
        for mode in ["require", "verify-ca", "verify-full"] {
            assert_eq!(tls_of(&format!("postgres://u@h/db?sslmode={mode}")), Tls::Verified { root_cert: None });
        }
        assert_eq!(
            tls_of("postgres://u@h/db?connect_timeout=5&sslmode=verify-full&sslrootcert=/etc/ca.pem"),
            Tls::Verified { root_cert: Some("/etc/ca.pem".into()) }
        );
        assert_eq!(tls_of("postgres://u@h/db?sslrootcert=system&sslmode=require"), Tls::Verified { root_cert: None });
        let (config, _) = parse("postgres://u@h/db?connect_timeout=5&sslmode=verify-full").unwrap();
        assert_eq!(config.get_ssl_mode(), tokio_postgres::config::SslMode::Require);
        assert_eq!(config.get_connect_timeout(), Some(&std::time::Duration::from_secs(5)), "other options are kept");
    }

    #[test]
    fn a_root_file_without_certificates_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.pem");
        std::fs::write(&path, "nothing here\n").unwrap();
        let error = connector(Some(&path)).err().unwrap().to_string();
        assert!(error.contains("sslrootcert") && error.contains("no certificate"), "{error}");
    }
}
