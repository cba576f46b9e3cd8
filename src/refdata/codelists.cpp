#include "refdata/codelists.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "core/csv_table.h"
#include "core/embedded.h"
#include "core/error.h"

namespace severn::refdata {

bool Codelist::contains(const std::string& code) const {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

Codelist parse_codelist(std::string_view text, const std::string& name, const std::string& origin) {
  const auto t = CsvTable::parse(text, origin);
  if (t.header().size() < 2 || t.header()[0] != "code" || t.header()[1] != "term")
    throw InputError(located(origin, 1, "", "code list header must start 'code,term'"));
  Codelist c{name, origin, {}, {}};
  std::set<std::string> seen;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto& code = t.cell(r, 0);
    if (code.empty()) t.fail(r, 0, "empty code");
    if (!seen.insert(code).second) t.fail(r, 0, "duplicate code " + code);
    c.codes.push_back(code);
    c.terms.push_back(t.cell(r, 1));
  }
  if (c.codes.empty()) throw InputError(origin + ": code list has no codes");
  return c;
}

CodelistLibrary CodelistLibrary::load(const DataDir& dir) {
  CodelistLibrary lib;
  lib.pack_dir_ = (dir.root() / "codelists").string();
  const auto index = CsvTable::read_file(dir.require("codelists/codelists.csv"));
  const auto c_file = index.column("file");
  for (std::size_t r = 0; r < index.rows(); ++r) {
    const std::string file = index.cell(r, c_file);
    const auto path = dir.require("codelists/" + file);
    const auto table_text = [&] {
      std::ifstream in(path, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    const std::string stem = std::filesystem::path(file).stem().string();
    lib.lists_[stem] = parse_codelist(table_text, stem, "pack:codelists/" + file);
  }
  for (const auto& res : embedded::all()) {
    const std::string path(res.path);
    if (path.rfind("codelists/", 0) != 0 || path == "codelists/INDEX.csv") continue;
    const std::string stem = std::filesystem::path(path).stem().string();
    if (lib.lists_.count(stem))
      throw InputError("built-in code list '" + stem + "' has the same name as one in the pack");
    lib.lists_[stem] = parse_codelist(res.bytes, stem, "built-in:" + path);
  }
  return lib;
}

const Codelist& CodelistLibrary::get(const std::string& name) const {
  auto it = lists_.find(name);
  if (it == lists_.end())
    throw InputError("code list '" + name + "' not found (looked in " + pack_dir_ +
                     " and the built-in lists)");
  return it->second;
}

}  // namespace severn::refdata
