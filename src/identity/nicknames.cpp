#include "identity/nicknames.h"

#include <algorithm>

#include "core/csv_table.h"
#include "core/embedded.h"
#include "core/error.h"

namespace severn::identity {

namespace {

std::string upper(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == ' ' && out.empty()) continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

const NicknameTable& NicknameTable::builtin() {
  static const NicknameTable table = [] {
    const auto bytes = embedded::find("identity/nicknames.csv");
    if (!bytes) throw std::logic_error("identity/nicknames.csv is not embedded in this build");
    return parse(*bytes, "resources/identity/nicknames.csv");
  }();
  return table;
}

NicknameTable NicknameTable::read_file(const std::filesystem::path& path) {
  return from_table(CsvTable::read_file(path));
}

NicknameTable NicknameTable::parse(std::string_view csv_text, const std::string& source) {
  return from_table(CsvTable::parse(csv_text, source));
}

NicknameTable NicknameTable::from_table(const CsvTable& t) {
  const std::size_t name1 = t.column("name1"), name2 = t.column("name2");
  const bool has_relationship = t.has_column("relationship");
  const std::size_t relationship = has_relationship ? t.column("relationship") : 0;
  NicknameTable table;
  std::unordered_map<std::string, std::uint32_t> group_of;
  for (std::size_t row = 0; row < t.rows(); ++row) {
    if (has_relationship && t.cell(row, relationship) != "has_nickname") continue;
    const std::string a = upper(t.cell(row, name1)), b = upper(t.cell(row, name2));
    if (a.empty() || b.empty()) t.fail(row, a.empty() ? name1 : name2, "empty name");
    // Each name1 is a group; it and its nicknames belong to it.
    const auto it = group_of.try_emplace(a, static_cast<std::uint32_t>(group_of.size())).first;
    table.add(a, it->second);
    table.add(b, it->second);
  }
  for (auto& [name, groups] : table.groups_) {
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  }
  return table;
}

void NicknameTable::add(std::string_view name, std::uint32_t group) {
  groups_[std::string(name)].push_back(group);
}

const std::vector<std::uint32_t>* NicknameTable::groups(std::string_view name) const {
  const auto it = groups_.find(std::string(name));
  return it == groups_.end() ? nullptr : &it->second;
}

bool NicknameTable::equivalent(std::string_view a, std::string_view b) const {
  if (a == b) return false;
  const auto* ga = groups(a);
  const auto* gb = groups(b);
  if (ga == nullptr || gb == nullptr) return false;
  // Both lists are sorted: a merge finds a shared group.
  auto i = ga->begin(), j = gb->begin();
  while (i != ga->end() && j != gb->end()) {
    if (*i == *j) return true;
    if (*i < *j) ++i;
    else ++j;
  }
  return false;
}

}  // namespace severn::identity
