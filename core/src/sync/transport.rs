//! How the core reaches the relay: a trait the shells implement with their
//! platform's HTTP client (OkHttp, URLSession), and the CLI and tests with a
//! Rust one. The core never opens a socket itself.

/// One HTTP request to the relay.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HttpRequest {
    /// `GET`, `PUT` or `DELETE`.
    pub method: String,
    pub url: String,
    /// Sent as `Authorization: Bearer <token>`; never log it.
    pub bearer_token: String,
    pub body: Vec<u8>,
}

/// Never prints the token or the body.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("body_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
    /// The `Retry-After` header in seconds, when the relay sent one.
    pub retry_after_seconds: Option<u32>,
}

/// No answer from the relay: the request may or may not have arrived.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error))]
pub enum TransportError {
    #[error("the relay could not be reached: {reason}")]
    Unreachable { reason: String },
    #[error("the relay did not answer in time: {reason}")]
    Timeout { reason: String },
}

#[cfg(feature = "uniffi")]
impl From<uniffi::UnexpectedUniFFICallbackError> for TransportError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TransportError::Unreachable { reason: error.reason }
    }
}

/// Sends requests to the relay. Implementations must time out (the core
/// retries later) and must not follow redirects to other hosts.
#[cfg_attr(feature = "uniffi", uniffi::export(foreign))]
pub trait HttpTransport: Send + Sync {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}
