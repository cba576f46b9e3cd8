// Bytes over TLS to the test server, exactly as given: for requests no well-behaved client would
// send (malformed lines, oversized headers, raw paths with dot segments).
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>

namespace severn::testing {

// Sends `request` and returns everything the server sent until it closed the connection or went
// quiet for `timeout_seconds`; "" when the connection or handshake failed.
inline std::string raw_tls_exchange(int port, const std::string& request, int timeout_seconds = 10) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{timeout_seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return "";
  }
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, "localhost");
  std::string out;
  if (SSL_connect(ssl) == 1) {
    std::size_t sent = 0;
    while (sent < request.size()) {
      const int n = SSL_write(ssl, request.data() + sent, static_cast<int>(std::min<std::size_t>(request.size() - sent, 1 << 14)));
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    char buf[16384];
    for (;;) {
      const int n = SSL_read(ssl, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
  return out;
}

// The status code of a raw response ("HTTP/1.1 404 ..."), or 0.
inline int raw_status(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.substr(9, 3).c_str());
}

}  // namespace severn::testing
