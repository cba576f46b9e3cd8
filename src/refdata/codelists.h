// Code lists in OpenCodelists CSV format (header "code,term"). Two homes: the reference-data
// pack's codelists/ (QOF/PCD refsets and others, read at run time) and Severn's own lists compiled
// in from resources/codelists/ (dm+d, ICD-10, OPCS-4 and SNOMED CT lists the pack lacks; sources
// in resources/codelists/INDEX.csv). Lists are named by file stem, e.g.
// "nhsd-primary-care-domain-refsets-hyp_cod" or "dmd-saba".
#pragma once
#include <map>
#include <string>
#include <vector>

#include "refdata/data_dir.h"

namespace severn::refdata {

struct Codelist {
  std::string name;    // file stem
  std::string origin;  // "pack:codelists/<file>" or "built-in:codelists/<file>"
  std::vector<std::string> codes;
  std::vector<std::string> terms;
  bool contains(const std::string& code) const;
};

// Validates header, non-empty codes and no duplicate codes; errors name the source and line.
Codelist parse_codelist(std::string_view text, const std::string& name, const std::string& origin);

class CodelistLibrary {
 public:
  // Every codelists/*.csv of the pack named in codelists/codelists.csv, plus every built-in list.
  static CodelistLibrary load(const DataDir& dir);
  // Throws InputError naming the list and where it was looked for.
  const Codelist& get(const std::string& name) const;
  bool has(const std::string& name) const { return lists_.count(name) > 0; }
  const std::map<std::string, Codelist>& all() const { return lists_; }

 private:
  std::map<std::string, Codelist> lists_;
  std::string pack_dir_;
};

}  // namespace severn::refdata
