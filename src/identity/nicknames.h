// Given names and their nicknames (William / Bill / Billy), read as data from a CSV of
// (name1, relationship, name2) rows: only `has_nickname` rows are used. Two names are
// nickname-equivalent when one is a nickname of the other or both are nicknames of the same
// name (Bill and Will, both nicknames of William). The relation is not closed transitively: the
// table lists Bill under both William and Frederick, and a closure would make William = Fred.
//
// The default table is resources/identity/nicknames.csv, compiled into the binary; its source
// and licence are in resources/identity/INDEX.csv.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace severn {
class CsvTable;
}

namespace severn::identity {

class NicknameTable {
 public:
  // The embedded default table.
  static const NicknameTable& builtin();
  // Throws InputError naming the file and line when it is unreadable or has no name1,name2
  // columns.
  static NicknameTable read_file(const std::filesystem::path& path);
  // `source` names the text in messages.
  static NicknameTable parse(std::string_view csv_text, const std::string& source);

  // Names are compared upper-cased; a name equal to itself is not a nickname match (the exact
  // level catches it first).
  bool equivalent(std::string_view a, std::string_view b) const;
  // The groups a name belongs to (sorted): the same groups mean equivalent names.
  const std::vector<std::uint32_t>* groups(std::string_view name) const;
  std::size_t names() const { return groups_.size(); }

 private:
  static NicknameTable from_table(const CsvTable& table);
  void add(std::string_view name, std::uint32_t group);
  std::unordered_map<std::string, std::vector<std::uint32_t>> groups_;
};

}  // namespace severn::identity
