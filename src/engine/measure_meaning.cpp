#include "engine/measure_meaning.h"

#include <xxhash.h>

#include <cstdio>
#include <map>

namespace severn::engine {
namespace {

std::string hex128(const std::string& text) {
  const XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return buf;
}

class Printer {
 public:
  explicit Printer(const lang::CheckedDefinition& def) : def_(def) {
    for (const auto& l : def.definition.lets) lets_[l.name] = l.value.get();
  }

  // A let's meaning is its expression's text with names resolved, fingerprinted once.
  std::string print(const lang::Expr& e) {
    std::string out;
    write(e, out);
    return out;
  }

 private:
  void write(const lang::Expr& e, std::string& out) {
    using lang::ExprKind;
    out += '(';
    out += std::to_string(static_cast<int>(e.kind));
    out += ' ';
    switch (e.kind) {
      case ExprKind::kName: {
        const auto let = lets_.find(e.name);
        if (let != lets_.end()) {
          out += "let:" + meaning_of(e.name, *let->second);
        } else if (const auto cl = def_.codelists.find(e.name); cl != def_.codelists.end()) {
          out += "codelist:" + cl->second.file + (cl->second.with_subcodes ? "+subcodes" : "");
        } else {
          out += e.name;  // a table, a column, index_date
        }
        break;
      }
      case ExprKind::kDate: out += std::to_string(e.date); break;
      default:
        out += e.name;
        out += '|';
        out += e.literal;
        break;
    }
    out += e.negated ? " !" : "";
    out += e.has_else ? " else" : "";
    out += e.has_object ? " obj" : "";
    out += e.low_open ? " lo" : "";
    out += e.high_open ? " hi" : "";
    for (const auto& a : e.args) {
      out += ' ';
      if (a) write(*a, out);
      else out += "_";
    }
    out += ')';
  }

  const std::string& meaning_of(const std::string& name, const lang::Expr& value) {
    const auto it = memo_.find(name);
    if (it != memo_.end()) return it->second;
    std::string text;
    write(value, text);
    return memo_[name] = hex128(text);
  }

  const lang::CheckedDefinition& def_;
  std::map<std::string, const lang::Expr*> lets_;
  std::map<std::string, std::string> memo_;
};

}  // namespace

std::vector<MeasureMeaning> measure_meanings(const lang::CheckedDefinition& def) {
  Printer p(def);
  const std::string population = def.definition.population ? p.print(*def.definition.population) : "(all)";
  std::vector<MeasureMeaning> out;
  for (const auto& m : def.definition.measures) {
    // A row measure counts rows of its table, never the same thing as persons.
    const std::string den = "population " + population + (m.over.empty() ? "" : " over " + m.over) + " denominator " +
                            p.print(*m.denominator);
    out.push_back({hex128(den + " numerator " + p.print(*m.numerator)), hex128(den)});
  }
  return out;
}

}  // namespace severn::engine
