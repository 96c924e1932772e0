#include "http/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <string_view>

namespace markaz::http {
namespace {

// Mozilla "intermediate" TLS 1.2 ciphers, ECDHE only: forward secrecy and AEAD everywhere.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:prime256v1:secp384r1";
// Distinguishes our sessions from another program's in a shared cache; OpenSSL refuses to
// resume a session with a client certificate without one.
constexpr unsigned char kSessionContext[] = "markaz";

// OpenSSL's queued errors as one line (and the queue emptied, so they do not leak into the
// next call's report).
std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

core::Status Refuse(const std::string& what, const std::string& file) {
  return core::Status::InvalidArgument("tls_config", what + " " + file + ": " + OpenSslErrors());
}

// ALPN: this server speaks HTTP/1.1 only. A client that offers it gets it; one that offers
// only other protocols (h2 alone) continues without ALPN rather than failing the handshake:
// it may still speak HTTP/1.1, and if not its own error is clearer than an alert.
int SelectAlpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
               const unsigned char* in, unsigned int inlen, void* /*arg*/) {
  static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kHttp11, sizeof kHttp11, in, inlen) ==
      OPENSSL_NPN_NEGOTIATED) {
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

}  // namespace

void SslCtxFree::operator()(ssl_ctx_st* ctx) const { SSL_CTX_free(ctx); }

core::Result<TlsContext> MakeServerTlsContext(const TlsOptions& options) {
  ERR_clear_error();
  TlsContext ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return core::Status::Internal("SSL_CTX_new: " + OpenSslErrors());
  SSL_CTX* c = ctx.get();
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  // Compression (CRIME) and renegotiation (a client-initiated DoS lever) off; the client's
  // cipher order is kept, as Mozilla's intermediate profile says: every offered suite is good.
  SSL_CTX_set_options(c, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // An idle keep-alive connection holds no read/write buffers (~34 KB each otherwise).
  SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_set_cipher_list(c, kTls12Ciphers) != 1 || SSL_CTX_set1_groups_list(c, kGroups) != 1) {
    return core::Status::Internal("TLS cipher configuration: " + OpenSslErrors());
  }
  // No 0-RTT: early data can be replayed, and our POSTs are not idempotent.
  SSL_CTX_set_max_early_data(c, 0);
  SSL_CTX_set_recv_max_early_data(c, 0);
  SSL_CTX_set_alpn_select_cb(c, SelectAlpn, nullptr);
  SSL_CTX_set_session_id_context(c, kSessionContext, sizeof kSessionContext - 1);

  if (SSL_CTX_use_certificate_chain_file(c, options.cert_file.c_str()) != 1) {
    return Refuse("cannot use the certificate", options.cert_file);
  }
  if (SSL_CTX_use_PrivateKey_file(c, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL checks the pair here already; say so in words rather than "key values mismatch".
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      return Refuse("the private key " + options.key_file + " does not match the certificate",
                    options.cert_file);
    }
    return Refuse("cannot use the private key", options.key_file);
  }
  if (SSL_CTX_check_private_key(c) != 1) {
    return Refuse("the private key does not match the certificate", options.cert_file);
  }
  if (!options.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(c, options.client_ca_file.c_str(), nullptr) != 1) {
      return Refuse("cannot read the client CA", options.client_ca_file);
    }
    // The CA names sent in the CertificateRequest, so a client with several certificates
    // picks the right one.
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.client_ca_file.c_str());
    if (names == nullptr) return Refuse("no CA certificate in", options.client_ca_file);
    SSL_CTX_set_client_CA_list(c, names);
    int mode = SSL_VERIFY_PEER;
    if (options.require_client_cert) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_CTX_set_verify(c, mode, nullptr);
  }
  return ctx;
}

std::vector<std::string> PeerCertificateNames(ssl_st* ssl) {
  std::vector<std::string> names;
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return names;
  X509_NAME* subject = X509_get_subject_name(cert);
  int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at >= 0) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n > 0) names.emplace_back(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
    OPENSSL_free(utf8);
  }
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (sans != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* san = sk_GENERAL_NAME_value(sans, i);
      if (san->type != GEN_DNS && san->type != GEN_EMAIL) continue;
      const ASN1_IA5STRING* text = san->d.ia5;
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                         static_cast<std::size_t>(ASN1_STRING_length(text)));
    }
    GENERAL_NAMES_free(sans);
  }
  return names;
}

core::Status CheckClientCertificate(const ClientCertPolicy& policy,
                                    const std::vector<std::string>& cert_names,
                                    const std::string& token_org) {
  if (!policy.enabled()) return core::Status::Ok();
  bool other_org = false;
  for (const std::string& name : cert_names) {
    auto it = policy.org_by_name.find(name);
    if (it == policy.org_by_name.end()) continue;
    if (it->second == token_org) return core::Status::Ok();
    other_org = true;
  }
  if (other_org) {
    return core::Status::Unauthenticated(
        "client_cert_mismatch",
        "the client certificate belongs to another organisation than the token");
  }
  for (const auto& [name, org] : policy.org_by_name) {
    if (org == token_org) {
      return core::Status::Unauthenticated(
          "client_cert_required",
          "tokens of this organisation need its client certificate on the connection");
    }
  }
  return core::Status::Ok();
}

}  // namespace markaz::http
