// Errors that reach a person. Input problems (bad files, bad arguments) are InputError and map to
// exit code 1; anything else escaping to main is an internal error (exit code 2).
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace severn {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// "FILE:LINE: field 'F': REASON" -- the shape every input error takes when it points into a file.
std::string located(const std::string& file, std::int64_t line, const std::string& field,
                    const std::string& reason);

}  // namespace severn
