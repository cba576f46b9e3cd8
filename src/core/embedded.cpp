#include "core/embedded.h"

namespace severn::embedded {

std::optional<std::string_view> find(std::string_view path) {
  for (const auto& r : all())
    if (r.path == path) return r.bytes;
  return std::nullopt;
}

}  // namespace severn::embedded
