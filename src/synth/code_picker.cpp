#include "synth/code_picker.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/error.h"

namespace severn::synth {

const std::initializer_list<std::string_view> kObstetricTerms = {
    "pregnan", "childbirth", "puerper", "eclampsia", "fetal", "fetus", "neonat", "mother",
    "gestation", "postpartum", "antenatal", "postnatal", "labour", "delivery"};

namespace {
std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}
}  // namespace

CodePicker::CodePicker(const refdata::Codelist& list,
                       std::initializer_list<std::string_view> preferred,
                       std::initializer_list<std::string_view> exclude, double preferred_share) {
  std::vector<double> w;
  std::vector<std::size_t> pref, rest;
  for (std::size_t i = 0; i < list.codes.size(); ++i) {
    const std::string t = lower(list.terms[i]);
    bool excluded = false;
    for (auto e : exclude) excluded = excluded || t.find(e) != std::string::npos;
    if (excluded) continue;
    bool is_pref = false;
    for (auto p : preferred) is_pref = is_pref || list.terms[i] == p;
    (is_pref ? pref : rest).push_back(i);
  }
  if (pref.empty() && rest.empty())
    throw InputError("code list '" + list.name + "' has no usable codes");
  const double ps = pref.empty() ? 0.0 : rest.empty() ? 1.0 : preferred_share;
  for (auto i : pref) {
    codes_.push_back(&list.codes[i]);
    w.push_back(ps / static_cast<double>(pref.size()));
  }
  for (auto i : rest) {
    codes_.push_back(&list.codes[i]);
    w.push_back((1 - ps) / static_cast<double>(rest.size()));
  }
  table_ = AliasTable(w);
}

const std::string* find_code(const refdata::Codelist& list,
                             std::initializer_list<const char*> alternatives) {
  for (const char* a : alternatives)
    for (const auto& c : list.codes)
      if (c == a) return &c;
  return nullptr;
}

CodePicker CodePicker::by_rank(const refdata::Codelist& list) {
  CodePicker p;
  std::vector<double> w;
  for (std::size_t i = 0; i < list.codes.size(); ++i) {
    p.codes_.push_back(&list.codes[i]);
    w.push_back(1.0 / std::pow(static_cast<double>(i + 1), 1.3));
  }
  p.table_ = AliasTable(w);
  return p;
}

CodePicker CodePicker::exactly(const refdata::Codelist& list,
                               std::initializer_list<std::initializer_list<std::string_view>> codes,
                               std::initializer_list<double> weights) {
  CodePicker p;
  std::vector<double> w(weights);
  if (w.size() != codes.size()) throw std::logic_error("CodePicker::exactly: weights mismatch");
  for (const auto& alternatives : codes) {
    const std::string* found = nullptr;
    for (auto alt : alternatives)
      for (std::size_t i = 0; i < list.codes.size() && !found; ++i)
        if (list.codes[i] == alt) found = &list.codes[i];
    if (!found)
      throw InputError("code list '" + list.name + "' lacks code " +
                       std::string(*alternatives.begin()) + " (or its alternatives)");
    p.codes_.push_back(found);
  }
  p.table_ = AliasTable(w);
  return p;
}

}  // namespace severn::synth
