#include "server/api_json.h"

#include <algorithm>
#include <array>

#include "core/csv_writer.h"
#include "core/json_text.h"
#include "disclosure/suppression.h"

namespace severn::server {
namespace {

// Columns whose cells are labels or identifiers, never quantities.
bool text_column(std::string_view c) {
  static constexpr std::array<std::string_view, 18> kText{
      "group",      "pcn",           "practice",     "nhs_number",         "family_name",       "given_name",
      "date_of_birth", "provider_code", "treatment_function_code", "patient_pathway_id", "local_patient_id",
      "code",       "breakdown",     "user",         "target",             "purpose",           "address", "detail"};
  return std::find(kText.begin(), kText.end(), c) != kText.end();
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (is_digit(s[i])) {
    while (i < n && is_digit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  return i == n;
}

void append_cell_json(std::string& out, std::string_view column, std::string_view cell) {
  if (cell == disclosure::kWithheldMarker) out += "null";
  else if (!text_column(column) && is_json_number(cell)) out += cell;
  else out += json_quoted(cell);
}

void append_table_json(std::string& out, const CsvTable& table, std::size_t begin, std::size_t end,
                       const std::function<bool(std::size_t)>& keep) {
  const auto& header = table.header();
  out += "{\"columns\":[";
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c) out += ',';
    out += json_quoted(header[c]);
  }
  out += "],\"rows\":[";
  bool first = true;
  end = std::min(end, table.rows());
  for (std::size_t r = begin; r < end; ++r) {
    if (keep && !keep(r)) continue;
    if (!first) out += ',';
    first = false;
    out += '[';
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (c) out += ',';
      append_cell_json(out, header[c], table.cell(r, c));
    }
    out += ']';
  }
  out += "]}";
}

std::string table_csv(const CsvTable& table, std::size_t begin, std::size_t end,
                      const std::function<bool(std::size_t)>& keep) {
  std::string out;
  {
    CsvRow h(out);
    for (const auto& c : table.header()) h.text(c);
  }
  end = std::min(end, table.rows());
  for (std::size_t r = begin; r < end; ++r) {
    if (keep && !keep(r)) continue;
    CsvRow row(out);
    for (std::size_t c = 0; c < table.header().size(); ++c) {
      const std::string& cell = table.cell(r, c);
      // A downloaded CSV is opened in spreadsheets: a text cell that would start a formula (a name
      // ingested from a hostile extract, say) is written with a leading quote (OWASP CSV injection).
      if (!cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos && !is_json_number(cell))
        row.text("'" + cell);
      else
        row.text(cell);
    }
  }
  return out;
}

std::string error_json(std::string_view message) {
  return "{\"api_version\":1,\"error\":" + json_quoted(message) + "}";
}

}  // namespace severn::server
