#include "lang/diagnostic.h"

#include <algorithm>
#include <cstdio>

namespace severn::lang {
namespace {

std::string render_all(const SourceFile& file, const std::vector<Diagnostic>& ds) {
  std::string out;
  for (std::size_t i = 0; i < ds.size(); ++i) {
    if (i) out += '\n';
    out += render(file, ds[i]);
  }
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      // Two neighbouring letters swapped count as one edit (Damerau).
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    before = prev;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string render(const SourceFile& file, const Diagnostic& d) {
  std::string out = file.path() + ":" + std::to_string(d.pos.line) + ":" +
                    std::to_string(d.pos.column) + ": error: " + d.message + "\n";
  const std::string number = std::to_string(d.pos.line);
  const std::string_view line = file.line(d.pos.line);
  out += " " + number + " | " + std::string(line) + "\n";
  std::string pad;
  for (int c = 1; c < d.pos.column && static_cast<std::size_t>(c - 1) < line.size(); ++c)
    pad += line[static_cast<std::size_t>(c - 1)] == '\t' ? '\t' : ' ';
  out += " " + std::string(number.size(), ' ') + " | " + pad + "^\n";
  if (!d.hint.empty()) out += "  " + d.hint + "\n";
  return out;
}

DefinitionError::DefinitionError(const SourceFile& file, std::vector<Diagnostic> diagnostics)
    : InputError(render_all(file, diagnostics)), diagnostics_(std::move(diagnostics)) {}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = 0;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (best.empty() || d < best_d) {
      best = c;
      best_d = d;
    }
  }
  // Close enough: at most a third of the name wrong (and at least one edit allowed).
  if (best.empty() || best_d > std::max<std::size_t>(1, name.size() / 3)) return "";
  return best;
}

}  // namespace severn::lang
