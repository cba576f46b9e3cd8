#include "engine/groups.h"

#include <charconv>
#include <map>
#include <stdexcept>

#include "refdata/geography.h"
#include "refdata/organisations.h"

namespace severn::engine {
namespace {

constexpr std::uint32_t kUnregistered = 0;  // practice, pcn, place: no registration that day
constexpr std::uint32_t kUnknown = 1;       // practice, pcn, place: not in the reference data
constexpr int kAgeBands = 19;               // 0-4 ... 85-89, 90+

std::uint32_t intern(std::vector<std::string>& labels, const std::string& label) {
  for (std::uint32_t i = 0; i < labels.size(); ++i)
    if (labels[i] == label) return i;
  labels.push_back(label);
  return static_cast<std::uint32_t>(labels.size() - 1);
}

}  // namespace

// ONS 2001 census 5+1 groups of the 16+1 categories (NHS Data Dictionary ETHNIC CATEGORY).
std::string ethnicity_group(std::string_view c) {
  if (c.size() != 1) return "unknown";
  switch (c[0]) {
    case 'A': case 'B': case 'C': return "White";
    case 'D': case 'E': case 'F': case 'G': return "Mixed";
    case 'H': case 'J': case 'K': case 'L': return "Asian or Asian British";
    case 'M': case 'N': case 'P': return "Black or Black British";
    case 'R': case 'S': return "Other ethnic groups";
    case 'Z': return "Not stated";
    default: return "unknown";
  }
}

std::string age_band(int age) {
  if (age < 0) return "unknown";
  if (age >= 90) return "90+";
  const int lo = age / 5 * 5;
  return std::to_string(lo) + "-" + std::to_string(lo + 4);
}

std::uint32_t LetGroups::code(const Value& v) {
  text_.clear();
  char buf[32];
  switch (v.kind) {
    case VKind::kNull: text_ = "unknown"; break;
    case VKind::kBool: text_ = v.i ? "true" : "false"; break;
    case VKind::kInt: text_ = std::to_string(v.i); break;
    case VKind::kFloat: {
      const auto r = std::to_chars(buf, buf + sizeof buf, v.f);
      text_.assign(buf, r.ptr);
      break;
    }
    case VKind::kDate: text_ = format_iso_date(static_cast<Days>(v.i)); break;
    case VKind::kCode:
    case VKind::kString: text_.assign(v.s); break;
  }
  const auto [it, added] = codes_.emplace(text_, static_cast<std::uint32_t>(labels_.size()));
  if (added) labels_.push_back(text_);
  return it->second;
}

GroupColumns::GroupColumns(const refdata::DataDir& data, const Plan& plan, std::vector<std::string> names) {
  const Program& p = *plan.program;
  practice_ = &p.table("practice_registrations").columns.at("practice");
  const BoundTable& patients = p.table("patients");
  sex_ = &patients.columns.at("sex");
  lsoa_ = &patients.columns.at("lsoa");
  ethnic_ = &patients.columns.at("ethnic_category");
  dob_ = &patients.columns.at("date_of_birth");

  std::map<std::string, int> decile_of;
  for (const auto& l : refdata::load_geography(data).lsoas) decile_of[l.code] = l.imd_decile;
  std::map<std::string, std::pair<std::string, std::string>> org_of;  // practice -> (pcn, place)
  bool need_orgs = false;
  for (const auto& n : names) need_orgs = need_orgs || n == "pcn" || n == "place";
  if (need_orgs)
    for (const auto& pr : refdata::load_organisations(data).practices) org_of[pr.code] = {pr.pcn_code, pr.place};

  for (auto& n : names) {
    Column c;
    c.name = n;
    if (const auto it = plan.lets.find(n); it != plan.lets.end()) {
      c.kind = Kind::kLet;
      c.let_node = it->second;
    } else if (n == "practice" || n == "pcn" || n == "place") {
      c.kind = n == "practice" ? Kind::kPractice : n == "pcn" ? Kind::kPcn : Kind::kPlace;
      c.labels = {"unregistered", "unknown"};
      const auto& dict = *practice_->dictionary;
      for (std::uint32_t id = 0; id < dict.size(); ++id) {
        const std::string code(dict[id]);
        if (c.kind == Kind::kPractice) {
          c.by_dict_id.push_back(intern(c.labels, code));
          continue;
        }
        const auto it = org_of.find(code);
        c.by_dict_id.push_back(it == org_of.end() ? kUnknown
                                                  : intern(c.labels, c.kind == Kind::kPcn ? it->second.first : it->second.second));
      }
    } else if (n == "imd_decile" || n == "imd_quintile") {
      c.kind = n == "imd_decile" ? Kind::kImdDecile : Kind::kImdQuintile;
      c.labels = {"unknown"};
      const int top = c.kind == Kind::kImdDecile ? 10 : 5;
      for (int i = 1; i <= top; ++i) c.labels.push_back(std::to_string(i));
      const auto& dict = *lsoa_->dictionary;
      for (std::uint32_t id = 0; id < dict.size(); ++id) {
        const auto it = decile_of.find(std::string(dict[id]));
        const int decile = it == decile_of.end() ? 0 : it->second;
        c.by_dict_id.push_back(static_cast<std::uint32_t>(c.kind == Kind::kImdDecile ? decile : (decile + 1) / 2));
      }
    } else if (n == "ethnicity_group") {
      c.kind = Kind::kEthnicity;
      c.labels = {"unknown"};
      const auto& dict = *ethnic_->dictionary;
      for (std::uint32_t id = 0; id < dict.size(); ++id) c.by_dict_id.push_back(intern(c.labels, ethnicity_group(dict[id])));
    } else if (n == "age_band") {
      c.kind = Kind::kAgeBand;
      for (int b = 0; b < kAgeBands; ++b) c.labels.push_back(age_band(b * 5));
      c.labels.push_back("unknown");
    } else if (n == "sex") {
      c.kind = Kind::kSex;
      c.labels = {"unknown"};
      const auto& dict = *sex_->dictionary;
      for (std::uint32_t id = 0; id < dict.size(); ++id) c.by_dict_id.push_back(intern(c.labels, std::string(dict[id])));
    } else {
      throw std::logic_error("unknown group column " + n);
    }
    columns_.push_back(std::move(c));
  }
}

std::size_t GroupColumns::index(const std::string& name) const {
  for (std::size_t c = 0; c < columns_.size(); ++c)
    if (columns_[c].name == name) return c;
  throw std::logic_error("group column not prepared: " + name);
}

void GroupColumns::codes(Evaluator& ev, int l, std::vector<LetGroups>& lets, std::uint32_t* out) const {
  const std::uint32_t person = ev.person();
  const Days day = ev.lane(l).index_date;
  bool looked_up = false;
  std::uint32_t practice_code = 0;
  bool registered = false;
  const auto category = [&](const BoundColumn& b, const Column& c) -> std::uint32_t {
    if (!b.view->valid(person)) return 0;
    return c.by_dict_id[b.view->values<std::uint32_t>()[person]];
  };
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const Column& c = columns_[i];
    switch (c.kind) {
      case Kind::kPractice:
      case Kind::kPcn:
      case Kind::kPlace: {
        if (!looked_up) {
          looked_up = true;
          const std::int64_t r = ev.registration_on(day);
          registered = r >= 0 && practice_->view->valid(static_cast<std::uint64_t>(r));
          if (registered) practice_code = practice_->view->values<std::uint32_t>()[static_cast<std::uint64_t>(r)];
        }
        out[i] = registered ? c.by_dict_id[practice_code] : kUnregistered;
        break;
      }
      case Kind::kImdDecile:
      case Kind::kImdQuintile: out[i] = category(*lsoa_, c); break;
      case Kind::kEthnicity: out[i] = category(*ethnic_, c); break;
      case Kind::kSex: out[i] = category(*sex_, c); break;
      case Kind::kAgeBand: {
        std::uint32_t band = kAgeBands;  // unknown
        if (dob_->view->valid(person)) {
          const Days dob = dob_->view->values<std::int32_t>()[person];
          if (day >= dob) band = static_cast<std::uint32_t>(std::min(age_in_years(dob, day) / 5, kAgeBands - 1));
        }
        out[i] = band;
        break;
      }
      case Kind::kLet: out[i] = lets[i].code(ev.value(c.let_node, l)); break;
    }
  }
}

std::size_t GroupColumns::cardinality(std::size_t c, const std::vector<LetGroups>& lets) const {
  return columns_[c].kind == Kind::kLet ? lets[c].size() : columns_[c].labels.size();
}

const std::string& GroupColumns::label(std::size_t c, std::uint32_t code, const std::vector<LetGroups>& lets) const {
  return columns_[c].kind == Kind::kLet ? lets[c].label(code) : columns_[c].labels[code];
}

}  // namespace severn::engine
