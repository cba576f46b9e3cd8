#include "ingest/part_builder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/nhs_number.h"
#include "ingest/field_checks.h"

namespace severn::ingest {
namespace {

constexpr std::size_t kMaxIdLength = 64;
// How far after the as-of date a booked date (kFutureDate, a TCI) may be: 5 years.
constexpr Days kFutureDays = 5 * 365 + 1;

bool is_date_kind(Kind k) { return k == Kind::kDate || k == Kind::kFutureDate || k == Kind::kWeekEnding; }

bool has_control(std::string_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  return false;
}

// "one of: A, B, C" for short lists; long code tables are named instead of listed.
std::string allowed_text(const std::unordered_set<std::string>& set, std::string_view reference) {
  std::vector<std::string> v(set.begin(), set.end());
  std::sort(v.begin(), v.end());
  if (v.size() > 20 && !reference.empty())
    return "not a code of resources/" + std::string(reference);
  std::string out = "not one of: ";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

std::uint64_t digits_value(std::string_view s) {
  std::uint64_t v = 0;
  for (const char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

XXH128_hash_t key_hash(std::string_view a) { return XXH3_128bits(a.data(), a.size()); }

}  // namespace

PartBuilder::PartBuilder(const TablePlan& plan, const ValidationContext& context, std::string source)
    : plan_(plan), spec_(*plan.spec), ctx_(context), source_(std::move(source)) {
  const std::size_t n = spec_.fields.size();
  present_.assign(n, false);
  i32_.assign(n, 0);
  f64_.assign(n, 0);
  u64_.assign(n, 0);
  text_.assign(n, {});
  normalised_.assign(n, {});
  list_.assign(n, {});
  for (const auto& f : spec_.fields) allowed_.push_back(&ctx_.allowed_for(spec_.table, f.name));
  family_i_ = spec_.field_index("family_name");
  given_i_ = spec_.field_index("given_name");
  sex_i_ = spec_.field_index("sex");
  dob_i_ = spec_.field_index("date_of_birth");
  postcode_i_ = spec_.field_index("postcode");
  previous_family_i_ = spec_.field_index("previous_family_name");
  previous_postcode_i_ = spec_.field_index("previous_postcode");
  out_.dictionaries.resize(plan_.dictionaries.size());
  for (const auto& c : plan_.columns) {
    ColumnBuffer b;
    b.type = c.type;
    b.nullable = c.nullable;
    b.dictionary = c.dictionary;
    out_.columns.push_back(std::move(b));
  }
}

bool PartBuilder::check_date(std::size_t i, std::string_view v) {
  const auto d = parse_iso_date(v);
  if (!d) {
    reason_ = "'" + printable(v) + "' is not a valid date (YYYY-MM-DD)";
    return false;
  }
  const Kind kind = spec_.fields[i].kind;
  if (kind == Kind::kFutureDate) {
    if (*d > ctx_.as_of + kFutureDays) {
      reason_ = "date " + std::string(v) + " is more than 5 years after the as-of date " + format_iso_date(ctx_.as_of);
      return false;
    }
  } else if (*d > ctx_.as_of) {
    reason_ = "date " + std::string(v) + " is in the future (after the as-of date " +
              format_iso_date(ctx_.as_of) + ")";
    return false;
  }
  if (*d < ctx_.earliest) {
    reason_ = "date " + std::string(v) + " is before 1890-01-01, which is not plausible";
    return false;
  }
  // 1970-01-01 (day 0) was a Thursday, so day d is a Sunday when (d + 4) mod 7 is 0.
  if (kind == Kind::kWeekEnding && ((*d + 4) % 7 + 7) % 7 != 0) {
    reason_ = "week ending date " + std::string(v) + " is not a Sunday";
    return false;
  }
  i32_[i] = *d;
  return true;
}

bool PartBuilder::check_field(std::size_t i, std::string_view v) {
  const FieldSpec& f = spec_.fields[i];
  if (plan_.absent[i]) {  // an older extract without this column: nothing to check or store
    present_[i] = false;
    text_[i] = {};
    return true;
  }
  present_[i] = !v.empty();
  text_[i] = v;
  if (v.empty()) {
    if (f.nullable) return true;
    reason_ = "required value is empty";
    return false;
  }
  switch (f.kind) {
    case Kind::kNhsNumber: {
      const auto problem = check_nhs_number(v);
      if (problem != NhsNumberProblem::kNone) {
        const std::string why = "'" + printable(v) + "': " + describe(problem);
        if (f.nullable) {  // partner data: kept for the partner linking stage, not rejected
          nhs_problem_ = why;
          present_[i] = false;
          return true;
        }
        reason_ = why;
        return false;
      }
      u64_[i] = digits_value(v);
      return true;
    }
    case Kind::kDate:
    case Kind::kFutureDate:
    case Kind::kWeekEnding:
      return check_date(i, v);
    case Kind::kPositiveInt: {
      std::int32_t x = 0;
      const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || ptr != v.data() + v.size() || v[0] == '0' || x < 1 || x > 9999) {
        reason_ = "'" + printable(v) + "' is not a positive whole number (1 to 9999)";
        return false;
      }
      i32_[i] = x;
      return true;
    }
    case Kind::kOdsCode:
      reason_ = check_ods_code(v);
      return reason_.empty();
    case Kind::kSnomed:
    case Kind::kDmd:
      reason_ = check_snomed_concept(v);
      if (!reason_.empty() && f.kind == Kind::kDmd) reason_ = "dm+d code: " + reason_;
      if (reason_.empty()) u64_[i] = digits_value(v);
      return reason_.empty();
    case Kind::kIcd10:
      reason_ = check_icd10(v, normalised_[i]);
      text_[i] = normalised_[i];
      return reason_.empty();
    case Kind::kIcd10List: {
      list_[i].clear();
      std::string_view rest = v;
      for (;;) {
        const auto semi = rest.find(';');
        const std::string_view item = rest.substr(0, semi);
        std::string code;
        reason_ = check_icd10(item, code);
        if (!reason_.empty()) {
          if (item.empty()) reason_ = "empty code in a ';' separated list";
          return false;
        }
        list_[i].push_back(std::move(code));
        if (semi == std::string_view::npos) break;
        rest.remove_prefix(semi + 1);
      }
      return true;
    }
    case Kind::kOpcs4:
      reason_ = check_opcs4(v, normalised_[i]);
      text_[i] = normalised_[i];
      return reason_.empty();
    case Kind::kCategory:
    case Kind::kPartner:
      if (allowed_[i]->count(std::string(v)) == 0) {
        reason_ = "'" + printable(v) + "' is " + allowed_text(*allowed_[i], f.reference);
        return false;
      }
      return true;
    case Kind::kIntCode: {
      if (allowed_[i]->count(std::string(v)) == 0) {
        reason_ = "'" + printable(v) + "' is " + allowed_text(*allowed_[i], f.reference);
        return false;
      }
      std::int32_t x = 0;
      std::from_chars(v.data(), v.data() + v.size(), x);
      i32_[i] = x;
      return true;
    }
    case Kind::kDecimal: {
      double x = 0;
      const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(x)) {
        reason_ = "'" + printable(v) + "' is not a number";
        return false;
      }
      f64_[i] = x;
      return true;
    }
    case Kind::kPractice:
      reason_ = check_practice_code(v);
      if (reason_.empty() && ctx_.practices.count(std::string(v)) == 0)
        reason_ = "practice '" + std::string(v) + "' is not a practice of the reference pack";
      return reason_.empty();
    case Kind::kLsoa:
      reason_ = check_lsoa_code(v);
      return reason_.empty();
    case Kind::kLocalId:
    case Kind::kRecordId:
    case Kind::kPathwayRef:
      if (v.size() > kMaxIdLength || has_control(v)) {
        reason_ = "identifier is longer than 64 characters or holds control characters";
        return false;
      }
      return true;
    case Kind::kName:
      if (has_control(v)) {
        reason_ = "name holds control characters";
        return false;
      }
      return true;
    case Kind::kPostcode:
      reason_ = check_postcode(v);
      return reason_.empty();
  }
  return true;
}

void PartBuilder::quarantine(const SourceRecord& r, std::size_t field, std::string reason) {
  if (spec_.role == Role::kPartnerIndex) {
    std::string key(r.fields[static_cast<std::size_t>(plan_.partner_field)]);
    key += '\x1f';
    key += r.fields[static_cast<std::size_t>(plan_.local_field)];
    out_.quarantined_partner_keys.emplace_back(std::move(key), r.line);
  }
  // A FHIR record names the JSON pointer of the value, then the field it stands for.
  std::string name(spec_.fields[field].name);
  if (field < r.pointers.size() && !r.pointers[field].empty()) name = std::string(r.pointers[field]) + " (" + name + ")";
  out_.quarantine.push_back({r.line, std::move(name), printable(r.fields[field]), std::move(reason),
                             std::string(r.text), r.source});
}

void PartBuilder::add_unique_key(const SourceRecord& r, bool is_unlinked) {
  if (!plan_.unique_key_fields.empty()) {
    std::string key;
    for (std::size_t k = 0; k < plan_.unique_key_fields.size(); ++k) {
      if (k) key += ',';
      key += r.fields[static_cast<std::size_t>(plan_.unique_key_fields[k])];
    }
    add_key(r, key, is_unlinked, static_cast<std::size_t>(plan_.unique_key_fields[0]), plan_.unique_key_name);
  } else if (plan_.record_id_field >= 0) {
    const auto ri = static_cast<std::size_t>(plan_.record_id_field);
    add_key(r, r.fields[ri], is_unlinked, ri);
  }
}

void PartBuilder::unlinked(const SourceRecord& r, std::string reason) {
  add_unique_key(r, true);
  out_.unlinked.push_back({r.line, std::move(reason), std::string(r.text), r.source});
}

std::string_view PartBuilder::stable_view(const SourceRecord& r, std::string_view value) {
  const bool in_source = value.data() >= r.text.data() &&
                         value.data() + value.size() <= r.text.data() + r.text.size();
  if (in_source) return value;
  return out_.key_storage.emplace_back(value);
}

void PartBuilder::add_key(const SourceRecord& r, std::string_view value, bool is_unlinked,
                          std::size_t field, std::string_view field_name) {
  KeyRow k;
  k.hash = key_hash(value);
  k.line = r.line;
  k.row = static_cast<std::uint32_t>(is_unlinked ? out_.unlinked.size() : out_.accepted_rows());
  k.unlinked = is_unlinked;
  k.text = r.text;
  k.field = field_name.empty() ? spec_.fields[field].name : field_name;
  k.value = stable_view(r, value);
  k.source = r.source;
  out_.keys.push_back(std::move(k));
}

std::string PartBuilder::field_text(const SourceRecord& r, int field) const {
  return field < 0 ? std::string() : std::string(r.fields[static_cast<std::size_t>(field)]);
}

void PartBuilder::problem(const SourceProblem& p) {
  ++out_.read;
  out_.quarantine.push_back({p.line, p.field, p.value, p.reason, std::string(p.text), {}});
}

void PartBuilder::append_row(std::uint32_t person) {
  if (spec_.role != Role::kPersons) out_.person.push_back(person);
  for (std::size_t c = 0; c < plan_.columns.size(); ++c) {
    const StoredColumn& sc = plan_.columns[c];
    ColumnBuffer& b = out_.columns[c];
    if (sc.field < 0) {  // link_probability: computed, not read
      b.f64.push_back(link_probability_);
      continue;
    }
    const auto i = static_cast<std::size_t>(sc.field);
    const bool has = present_[i];
    if (b.nullable) b.valid.push_back(has ? 1 : 0);
    switch (sc.type) {
      case store::ColumnType::kDate:
      case store::ColumnType::kInt32:
        b.i32.push_back(has ? i32_[i] : 0);
        break;
      case store::ColumnType::kFloat64:
        b.f64.push_back(has ? f64_[i] : 0.0);
        break;
      case store::ColumnType::kCode:
      case store::ColumnType::kCategory:
        b.ids.push_back(has ? out_.dictionaries[static_cast<std::size_t>(b.dictionary)].id(text_[i]) : 0);
        break;
      case store::ColumnType::kCodeList: {
        std::uint32_t n = 0;
        if (has) {
          auto& dict = out_.dictionaries[static_cast<std::size_t>(b.dictionary)];
          for (const auto& code : list_[i]) b.ids.push_back(dict.id(code));
          n = static_cast<std::uint32_t>(list_[i].size());
        }
        b.list_len.push_back(n);
        break;
      }
      case store::ColumnType::kBytes32:
        break;
    }
  }
}

void PartBuilder::record(const SourceRecord& r) {
  ++out_.read;
  nhs_problem_.clear();
  for (std::size_t i = 0; i < spec_.fields.size(); ++i) {
    if (!check_field(i, r.fields[i])) {
      quarantine(r, i, std::move(reason_));
      return;
    }
  }
  for (const auto& order : spec_.orders) {
    const auto later = static_cast<std::size_t>(spec_.field_index(order.later));
    const auto earlier = static_cast<std::size_t>(spec_.field_index(order.earlier));
    if (present_[later] && present_[earlier] && i32_[later] < i32_[earlier]) {
      quarantine(r, later,
                 std::string(order.later) + " " + std::string(text_[later]) + " is before " +
                     std::string(order.earlier) + " " + std::string(text_[earlier]));
      return;
    }
  }
  for (const auto& rule : spec_.set_iff) {
    const auto fi = static_cast<std::size_t>(spec_.field_index(rule.field));
    const auto oi = static_cast<std::size_t>(spec_.field_index(rule.other));
    if (plan_.absent[fi] || plan_.absent[oi]) continue;
    const bool condition = rule.other_value.empty() ? present_[oi] : present_[oi] && text_[oi] == rule.other_value;
    if (present_[fi] == condition) continue;
    std::string why = std::string(rule.field) + (present_[fi] ? " is set" : " is empty") + " but " +
                      std::string(rule.other);
    if (rule.other_value.empty())
      why += present_[oi] ? " is set" : " is empty";
    else
      why += present_[oi] ? " is '" + printable(text_[oi]) + "'" : " is empty";
    why += ": " + std::string(rule.field) + " is set if and only if " + std::string(rule.other) +
           (rule.other_value.empty() ? " is set" : " is '" + std::string(rule.other_value) + "'");
    quarantine(r, fi, std::move(why));
    return;
  }
  if (plan_.decimal_field >= 0 && plan_.measurement_code_field >= 0) {
    const auto vi = static_cast<std::size_t>(plan_.decimal_field);
    const auto ci = static_cast<std::size_t>(plan_.measurement_code_field);
    if (present_[vi]) {
      const auto it = ctx_.ranges.find(u64_[ci]);
      if (it != ctx_.ranges.end() && (f64_[vi] < it->second.min || f64_[vi] > it->second.max)) {
        char range[96];
        std::snprintf(range, sizeof range, "%g to %g", it->second.min, it->second.max);
        quarantine(r, vi,
                   std::string(text_[vi]) + " is outside the plausible range for " +
                       it->second.measure + " (" + range + " " + it->second.unit + ")");
        return;
      }
    }
  }

  const auto nhs_i = static_cast<std::size_t>(plan_.nhs_field);
  std::int64_t person = -1;
  switch (spec_.role) {
    case Role::kPersons: {
      add_key(r, r.fields[nhs_i], false, nhs_i);
      const auto dob_i = static_cast<std::size_t>(dob_i_);
      out_.persons.push_back({u64_[nhs_i], field_text(r, family_i_), field_text(r, given_i_), field_text(r, sex_i_),
                              field_text(r, postcode_i_), i32_[dob_i]});
      // The analytic store keeps the month of birth only (DESIGN.md section 2); the full date
      // stays in the identity file.
      const CivilDate c = civil_from_days(i32_[dob_i]);
      i32_[dob_i] = days_from_civil(c.year, c.month, 1);
      append_row(0);
      return;
    }
    case Role::kPartnerIndex: {
      const auto p = static_cast<std::size_t>(plan_.partner_field);
      const auto l = static_cast<std::size_t>(plan_.local_field);
      std::string key(r.fields[p]);
      key += '\x1f';
      key += r.fields[l];
      KeyRow k;
      k.hash = key_hash(key);
      k.line = r.line;
      k.row = static_cast<std::uint32_t>(out_.partner_records.size());
      k.text = r.text;
      k.field = spec_.fields[l].name;
      k.value = stable_view(r, r.fields[l]);
      out_.keys.push_back(std::move(k));
      // Linking happens later, on the whole index (identity/partner_linking.h).
      identity::PartnerRecord rec;
      rec.partner_code = std::string(r.fields[p]);
      rec.local_id = std::string(r.fields[l]);
      rec.nhs_number = std::string(r.fields[nhs_i]);
      rec.nhs_valid = present_[nhs_i];
      rec.nhs_value = present_[nhs_i] ? u64_[nhs_i] : 0;
      rec.nhs_problem = nhs_problem_;
      rec.family_name = field_text(r, family_i_);
      rec.given_name = field_text(r, given_i_);
      rec.sex = field_text(r, sex_i_);
      rec.date_of_birth = i32_[static_cast<std::size_t>(dob_i_)];
      rec.postcode = field_text(r, postcode_i_);
      rec.previous_family_name = field_text(r, previous_family_i_);
      rec.previous_postcode = field_text(r, previous_postcode_i_);
      rec.line = r.line;
      out_.partner_records.push_back(std::move(rec));
      return;
    }
    case Role::kGpChild: {
      const auto found = ctx_.persons.find(u64_[nhs_i]);
      if (!found) {
        quarantine(r, nhs_i, "NHS number " + std::string(r.fields[nhs_i]) +
                                 " is not a person in gp/patients.csv");
        return;
      }
      person = *found;
      break;
    }
    case Role::kNational:
    case Role::kPartnerActivity: {
      const auto p = static_cast<std::size_t>(plan_.partner_field);
      const auto l = static_cast<std::size_t>(plan_.local_field);
      const bool via_partner = spec_.role == Role::kPartnerActivity;
      std::optional<std::uint32_t> record;
      if (via_partner) record = ctx_.partners.find(r.fields[p], r.fields[l]);
      if (via_partner && !record) {
        std::string key(r.fields[p]);
        key += '\x1f';
        key += r.fields[l];
        const auto q = ctx_.quarantined_partner_records.find(key);
        if (q != ctx_.quarantined_partner_records.end()) {
          unlinked(r, "its record in partners/patients.csv (line " + std::to_string(q->second) +
                          ") was quarantined");
          return;
        }
        quarantine(r, l, "no record '" + std::string(r.fields[l]) + "' for partner " +
                             std::string(r.fields[p]) + " in partners/patients.csv");
        return;
      }
      if (via_partner) {
        // The partner index is the authority: the row's person is its partner record's link.
        if (*record >= ctx_.partner_outcomes.size())
          throw std::logic_error("partner index record " + std::to_string(*record) + " has no linking outcome");
        const auto& outcome = ctx_.partner_outcomes[*record];
        if (outcome.person < 0) {
          unlinked(r, "its record in partners/patients.csv is not linked to a person: " +
                          outcome.unlinked_reason);
          return;
        }
        person = outcome.person;
        link_probability_ = outcome.probability;
        break;
      }
      if (!present_[nhs_i]) {
        unlinked(r, nhs_problem_.empty() ? "no NHS number" : nhs_problem_);
        return;
      }
      const auto found = ctx_.persons.find(u64_[nhs_i]);
      if (!found) {
        unlinked(r, "NHS number not in gp/patients.csv");
        return;
      }
      person = *found;
      break;
    }
  }

  const auto pid = static_cast<std::uint32_t>(person);
  const Days dob = ctx_.persons.date_of_birth(pid);
  for (std::size_t i = 0; i < spec_.fields.size(); ++i) {
    if (!is_date_kind(spec_.fields[i].kind) || !present_[i] || spec_.fields[i].name == "date_of_birth")
      continue;
    if (i32_[i] < dob) {
      quarantine(r, i, std::string(spec_.fields[i].name) + " " + std::string(text_[i]) +
                           " is before the person's date of birth");
      return;
    }
  }
  add_unique_key(r, false);
  if (plan_.pathway_field >= 0) {
    // The part-local id of (patient pathway, provider, local id); the assembler turns it into the
    // store's pathway number in source order (assembler.h).
    const auto pi = static_cast<std::size_t>(plan_.pathway_field);
    std::string key(r.fields[pi]);
    key += '\x1f';
    key += r.fields[static_cast<std::size_t>(plan_.partner_field)];
    key += '\x1f';
    key += r.fields[static_cast<std::size_t>(plan_.local_field)];
    i32_[pi] = static_cast<std::int32_t>(out_.pathway_keys.id(key));
  }
  append_row(pid);
}

std::uint64_t PartOutput::accepted_rows() const {
  if (!partner_records.empty() || !persons.empty())
    return partner_records.empty() ? persons.size() : partner_records.size();
  return person.size();
}

}  // namespace severn::ingest
