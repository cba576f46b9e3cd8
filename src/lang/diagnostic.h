// Errors in a definition file: file, line and column, the line itself with a caret under the
// place, and what was expected. Rendered like a compiler's:
//
//   hyp.sev:7:38: error: unknown name 'sbpp'
//      7 | let last = clinical_events.where(code in sbpp).latest().value
//        |                                          ^
//     did you mean 'sbp'?
#pragma once
#include <string>
#include <vector>

#include "core/error.h"
#include "lang/source.h"

namespace severn::lang {

struct Diagnostic {
  Pos pos;
  std::string message;
  std::string hint;  // "expected ...", "did you mean ...?", or empty
};

std::string render(const SourceFile& file, const Diagnostic& d);

// Thrown by the parser and checker with every error found; an InputError, so the CLI exits 1.
class DefinitionError : public InputError {
 public:
  DefinitionError(const SourceFile& file, std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// The closest of `candidates` to `name` by edit distance, if close enough to suggest.
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace severn::lang
