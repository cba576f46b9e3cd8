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
  const std::string_view whole = file.line(d.pos.line);
  // A very long line (a generated or hostile file) is shown as a window around the column.
  constexpr std::size_t kLongLine = 240, kBefore = 80, kShown = 160;
  const std::size_t column = std::min(whole.size(), static_cast<std::size_t>(std::max(d.pos.column, 1) - 1));
  std::size_t from = 0;
  std::string_view line = whole;
  if (whole.size() > kLongLine) {
    from = column > kBefore ? column - kBefore : 0;
    line = whole.substr(from, kShown);
  }
  const std::string before = from > 0 ? "..." : "";
  const std::string after = from + line.size() < whole.size() ? "..." : "";
  std::string shown(line);
  for (char& c : shown)  // control bytes (a NUL) would garble the terminal
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == '\x7f') c = ' ';
  out += " " + number + " | " + before + shown + after + "\n";
  std::string pad(before.size(), ' ');
  for (std::size_t c = from; c < column && c - from < shown.size(); ++c) pad += shown[c - from] == '\t' ? '\t' : ' ';
  out += " " + std::string(number.size(), ' ') + " | " + pad + "^\n";
  if (!d.hint.empty()) out += "  " + d.hint + "\n";
  return out;
}

DefinitionError::DefinitionError(const SourceFile& file, std::vector<Diagnostic> diagnostics)
    : InputError(render_all(file, diagnostics)), diagnostics_(std::move(diagnostics)) {}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = 0;
  const std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  for (const auto& c : candidates) {
    // The distance is at least the difference in length: skip the quadratic work (a name of a
    // megabyte is compared with nothing).
    if ((name.size() > c.size() ? name.size() - c.size() : c.size() - name.size()) > limit) continue;
    const std::size_t d = edit_distance(name, c);
    if (best.empty() || d < best_d) {
      best = c;
      best_d = d;
    }
  }
  // Close enough: at most a third of the name wrong (and at least one edit allowed).
  if (best.empty() || best_d > limit) return "";
  return best;
}

}  // namespace severn::lang
