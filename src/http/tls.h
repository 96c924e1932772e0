// TLS for the server: the OpenSSL server context (Mozilla "intermediate" profile) and the client
// certificate as a second factor. Plain OpenSSL, no Asio: server.cc wraps the context that
// MakeServerTlsContext builds, and this file compiles in seconds rather than Beast's ~40 s.
//
// Example:
//   TlsOptions tls{"server.crt", "server.key", "clients-ca.crt"};
//   core::Result<TlsContext> ctx = MakeServerTlsContext(tls);   // errors name the file
//
// Thread-safety: a TlsContext is immutable once built (OpenSSL's SSL_CTX is then safe to share
// between connections); ClientCertPolicy is a value.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX
struct ssl_st;      // OpenSSL's SSL

namespace markaz::http {

struct TlsOptions {
  std::string cert_file;       // PEM: the server certificate, then any intermediates
  std::string key_file;        // PEM: its private key (unencrypted)
  std::string client_ca_file;  // PEM: CAs that sign client certificates; empty = none asked
  // With a client CA: refuse the handshake of a client that presents no certificate. Without
  // it a client may come with a token alone (unless its org is in ClientCertPolicy).
  bool require_client_cert = false;
};

// An owned SSL_CTX.
struct SslCtxFree {
  void operator()(ssl_ctx_st* ctx) const;
};
using TlsContext = std::unique_ptr<ssl_ctx_st, SslCtxFree>;

// TLS 1.2 and 1.3 only; TLS 1.2 ciphers of the Mozilla "intermediate" profile (ECDHE with
// AES-GCM or ChaCha20-Poly1305; its DHE fallbacks are left out, as its 2025 revision does);
// OpenSSL's TLS 1.3 suites (all AEAD); curves X25519, P-256, P-384; no compression, no
// renegotiation, no 0-RTT (early data is never accepted); ALPN answers "http/1.1" only. With a
// client CA, a client certificate is asked for and must verify against it. InvalidArgument
// "tls_config" naming the file and OpenSSL's reason when a file cannot be read, is not PEM, or the
// key does not match the certificate.
core::Result<TlsContext> MakeServerTlsContext(const TlsOptions& options);

// The names of the verified certificate the client presented on `ssl`: its subject CN, then its
// DNS and e-mail subjectAltNames, in that order. Empty when it presented none (or it did not
// verify, which with SSL_VERIFY_PEER has already failed the handshake).
std::vector<std::string> PeerCertificateNames(ssl_st* ssl);

// Which org a client certificate speaks for: certificate names (CN or SAN) → org, from the
// server configuration ([tls.client_orgs]). The second factor of DESIGN.md's tokens.
struct ClientCertPolicy {
  std::map<std::string, std::string> org_by_name;  // certificate name → org id
  bool enabled() const { return !org_by_name.empty(); }
};

// Whether a request whose bearer token belongs to `token_org` may proceed, given the names of
// the client certificate on its connection (PeerCertificateNames; empty = none). The rules:
//   - a certificate that maps to an org other than the token's: Unauthenticated
//     "client_cert_mismatch" (a stolen token is useless without its org's certificate);
//   - an org that has certificates in the policy must present one of them: Unauthenticated
//     "client_cert_required";
//   - a presented certificate that maps to no org is ignored for orgs without certificates
//     (it was still verified against the client CA in the handshake).
// Ok otherwise, and always when the policy is empty.
core::Status CheckClientCertificate(const ClientCertPolicy& policy,
                                    const std::vector<std::string>& cert_names,
                                    const std::string& token_org);

}  // namespace markaz::http
