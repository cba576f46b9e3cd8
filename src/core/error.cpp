#include "core/error.h"

namespace severn {

std::string located(const std::string& file, std::int64_t line, const std::string& field,
                    const std::string& reason) {
  std::string s;
  s.reserve(file.size() + field.size() + reason.size() + 32);
  s.append(file);
  if (line > 0) s.append(":").append(std::to_string(line));
  s.append(": ");
  if (!field.empty()) s.append("field '").append(field).append("': ");
  s.append(reason);
  return s;
}

}  // namespace severn
