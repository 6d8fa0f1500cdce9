//! What a failed connection says about the server's certificate: the one reading of a TLS
//! refusal that the client's errors, the kit's report and the command line share, so each can
//! tell a user "trust its CA" rather than "error sending request".

use std::error::Error;

/// Why the server's certificate was refused ("signed by a CA that is not trusted"), when
/// `error` or one of its causes is that refusal; `None` for any other failure.
pub fn refused_certificate(error: &(dyn Error + 'static)) -> Option<String> {
    let mut current = Some(error);
    while let Some(cause) = current {
        if let Some(rustls::Error::InvalidCertificate(reason)) =
            cause.downcast_ref::<rustls::Error>()
        {
            return Some(describe(reason));
        }
        // An I/O error's source skips the error it wraps, where rustls's refusal sits.
        if let Some(wrapped) = cause
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            && let Some(reason) = refused_certificate(wrapped)
        {
            return Some(reason);
        }
        current = cause.source();
    }
    None
}

fn describe(reason: &rustls::CertificateError) -> String {
    use rustls::CertificateError::*;
    match reason {
        UnknownIssuer => "signed by a CA that is not trusted".into(),
        NotValidForName | NotValidForNameContext { .. } => {
            "not issued for the host name in the URL".into()
        }
        Expired | ExpiredContext { .. } => "expired".into(),
        NotValidYet | NotValidYetContext { .. } => "not valid yet".into(),
        Revoked => "revoked".into(),
        BadSignature => "badly signed".into(),
        other => format!("refused ({other:?})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("error sending request")
        }
    }

    impl Error for Outer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_refusal_wrapped_in_io_errors_is_found() {
        let refusal = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let error = Outer(std::io::Error::other(refusal));
        assert_eq!(
            refused_certificate(&error).as_deref(),
            Some("signed by a CA that is not trusted")
        );
        let expired = rustls::Error::InvalidCertificate(rustls::CertificateError::Expired);
        assert_eq!(
            refused_certificate(&std::io::Error::other(expired)).as_deref(),
            Some("expired")
        );
    }

    #[test]
    fn other_failures_say_nothing_of_the_certificate() {
        let refused = Outer(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(refused_certificate(&refused), None);
        let handshake = std::io::Error::other(rustls::Error::HandshakeNotComplete);
        assert_eq!(refused_certificate(&handshake), None);
    }
}
