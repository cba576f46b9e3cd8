// The checker: names, types and dimensions of a parsed definition, and its code lists loaded.
// Every error carries file, line, column and what was expected; all statements are checked, so
// one run reports every independent error.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lang/ast.h"
#include "lang/source.h"
#include "lang/types.h"
#include "refdata/codelists.h"

namespace severn::lang {

struct LoadedCodelist {
  std::string name;
  std::string file;  // where it was found
  CodeFamily family = CodeFamily::kNone;
  refdata::Codelist codes;
  bool with_subcodes = false;  // see CodelistDecl::with_subcodes; classification lists only
};

// Whether `code` (as stored: "K02.1", "F10", "I10") is in `list`, honouring `with subcodes`.
bool codelist_matches(const LoadedCodelist& list, const std::unordered_set<std::string>& codes,
                      std::string_view code);

struct CheckedDefinition {
  Definition definition;
  std::map<std::string, LoadedCodelist> codelists;
  std::map<std::string, Type> lets;
  std::map<std::string, Type> variables;
  // The type of every expression node the checker looked at (query/lower.h reads them): a name
  // inside a frame method with an event-level type is a column of that frame's table.
  std::unordered_map<const Expr*, Type> types;
};

struct CheckOptions {
  // Where `codelist x = "file.csv"` is looked for after the .sev file's own directory: the
  // reference pack's codelists/ directory ("" to skip).
  std::string pack_codelists_dir;
};

// Throws DefinitionError listing every error found.
CheckedDefinition check(const SourceFile& file, Definition definition, const CheckOptions& options);

// Reads, parses and checks a .sev file. Throws InputError if the file cannot be read.
CheckedDefinition check_file(const std::string& path, const CheckOptions& options);

}  // namespace severn::lang
