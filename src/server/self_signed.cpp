#include "server/self_signed.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "core/error.h"

namespace severn::server {
namespace {

struct KeyFree { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct CertFree { void operator()(X509* x) const { X509_free(x); } };
struct ExtFree { void operator()(X509_EXTENSION* e) const { X509_EXTENSION_free(e); } };

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) throw InputError("self-signed certificate: cannot add an extension");
}

// Opens `path` for writing with `mode` from the start (no window in which a key is readable).
std::FILE* open_with_mode(const std::filesystem::path& path, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw InputError(path.string() + ": cannot write");
  ::fchmod(fd, mode);
  std::FILE* f = ::fdopen(fd, "w");
  if (f == nullptr) {
    ::close(fd);
    throw InputError(path.string() + ": cannot write");
  }
  return f;
}

}  // namespace

void write_self_signed_certificate(const std::filesystem::path& cert_path, const std::filesystem::path& key_path, int days) {
  std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_EC_gen("P-256"));
  if (!key) throw InputError("self-signed certificate: cannot generate a P-256 key");
  std::unique_ptr<X509, CertFree> cert(X509_new());
  X509_set_version(cert.get(), 2);  // v3
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) throw InputError("self-signed certificate: no random serial");
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Severn demo"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) throw InputError("self-signed certificate: cannot sign");

  std::FILE* kf = open_with_mode(key_path, 0600);
  const bool key_ok = PEM_write_PrivateKey(kf, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (std::fclose(kf) != 0 || !key_ok) throw InputError(key_path.string() + ": cannot write the private key");
  std::FILE* cf = open_with_mode(cert_path, 0644);
  const bool cert_ok = PEM_write_X509(cf, cert.get()) == 1;
  if (std::fclose(cf) != 0 || !cert_ok) throw InputError(cert_path.string() + ": cannot write the certificate");
}

}  // namespace severn::server
