// A self-signed TLS certificate for the demo and the tests: an ECDSA P-256 key and an X.509 v3
// certificate for localhost (subjectAltName DNS:localhost, IP:127.0.0.1), SHA-256, valid for
// `days` from now. Real deployments use a certificate from the organisation's CA
// (docs/serve.md "Deployment").
#pragma once
#include <filesystem>

namespace severn::server {

// Writes CERT (PEM, 0644) and KEY (PEM, 0600). Throws InputError naming the file on failure.
void write_self_signed_certificate(const std::filesystem::path& cert, const std::filesystem::path& key, int days);

}  // namespace severn::server
