// A store that cannot be used (missing, corrupt, wrong version). An InputError, so the CLI exits 1
// with the message.
#pragma once
#include "core/error.h"

namespace severn::store {

class StoreError : public InputError {
 public:
  explicit StoreError(const std::string& message) : InputError(message) {}
};

}  // namespace severn::store
