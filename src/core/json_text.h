// Writing JSON by hand for small metadata files (manifest.json, OUT.json, run.json): the one
// place that turns text into a JSON string literal.
#pragma once
#include <string>
#include <string_view>

namespace severn {

// s as a quoted JSON string: `"` and `\` escaped, control characters as \u00XX. Other bytes,
// including UTF-8 sequences, are written as they are.
std::string json_quoted(std::string_view s);

}  // namespace severn
