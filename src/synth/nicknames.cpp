#include "synth/nicknames.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/csv_table.h"
#include "core/embedded.h"
#include "core/error.h"

namespace severn::synth {
namespace {

CsvTable resource(const char* path) {
  const auto bytes = embedded::find(path);
  if (!bytes) throw InputError(std::string("built-in resource ") + path + " is missing from this build");
  return CsvTable::parse(*bytes, std::string("built-in:") + path);
}

}  // namespace

Nicknames Nicknames::load() {
  // Which sexes each given name of the generator's lists is used for.
  std::map<std::string, std::set<char>> sexes;
  for (const char* path : {"names/given_names.csv", "names/heritage_given_names.csv"}) {
    const auto t = resource(path);
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const std::string& sex = t.cell(r, "sex");
      if (!sex.empty()) sexes[t.cell(r, "name")].insert(sex[0]);
    }
  }
  std::map<std::string, std::set<std::string>> nicknames_of, formal_of;
  const auto table = resource("names/nicknames.csv");
  for (std::size_t r = 0; r < table.rows(); ++r) {
    nicknames_of[table.cell(r, "name")].insert(table.cell(r, "nickname"));
    formal_of[table.cell(r, "nickname")].insert(table.cell(r, "name"));
  }
  auto only_other_sex = [&](const std::string& name, char sex) {
    const auto it = sexes.find(name);
    return it != sexes.end() && it->second.count(sex) == 0;
  };
  Nicknames out;
  for (const auto& [name, used_for] : sexes)
    for (const char sex : used_for) {
      std::set<std::string> all;
      if (const auto n = nicknames_of.find(name); n != nicknames_of.end()) all.insert(n->second.begin(), n->second.end());
      if (const auto f = formal_of.find(name); f != formal_of.end()) all.insert(f->second.begin(), f->second.end());
      std::vector<std::string> kept;
      for (const auto& v : all)
        if (v != name && !only_other_sex(v, sex)) kept.push_back(v);
      if (!kept.empty()) out.variants_.emplace(std::string(1, sex) + name, std::move(kept));
    }
  return out;
}

const std::vector<std::string>* Nicknames::variants(const std::string& given, char sex) const {
  const auto it = variants_.find(std::string(1, sex) + given);
  return it == variants_.end() ? nullptr : &it->second;
}

}  // namespace severn::synth
