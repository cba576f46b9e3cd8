// wl_activity / wl_pathways columns built in memory (the store adapter's shape), for the
// columnar tests and the benchmark.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "elective/activity_reader.h"

namespace severn::elective::testing {

// A dictionary: text -> id, with stable views of its values.
class Interner {
 public:
  std::uint32_t id(std::string_view text) {
    const auto it = ids_.find(std::string(text));
    if (it != ids_.end()) return it->second;
    values_.push_back(std::make_unique<std::string>(text));
    const auto id = static_cast<std::uint32_t>(values_.size() - 1);
    ids_.emplace(*values_.back(), id);
    return id;
  }
  std::vector<std::string_view> views() const {
    std::vector<std::string_view> out;
    for (const auto& v : values_) out.emplace_back(*v);
    return out;
  }

 private:
  std::vector<std::unique_ptr<std::string>> values_;
  std::unordered_map<std::string, std::uint32_t> ids_;
};

// A nullable category column under construction.
struct CategoryBuilder {
  Interner dict;
  std::vector<std::uint32_t> ids;
  std::vector<std::uint8_t> bits;
  bool nullable = false;
  void add(std::string_view text) {
    const std::size_t row = ids.size();
    if (bits.size() * 8 <= row) bits.push_back(0);
    if (text.empty() && nullable) {
      ids.push_back(0);
      return;
    }
    ids.push_back(dict.id(text));
    bits[row >> 3] = static_cast<std::uint8_t>(bits[row >> 3] | (1U << (row & 7)));
  }
  CategoryColumn column() const { return {ids, nullable ? bits.data() : nullptr, dict.views()}; }
};

inline std::vector<std::uint64_t> offsets_of(const std::vector<std::uint32_t>& person_of_row) {
  std::uint32_t persons = 0;
  for (const auto p : person_of_row) persons = std::max(persons, p + 1);
  std::vector<std::uint64_t> off(persons + 1, 0);
  for (const auto p : person_of_row) ++off[p + 1];
  for (std::size_t i = 1; i < off.size(); ++i) off[i] += off[i - 1];
  return off;
}

// Rows must be added grouped by person, persons in increasing order.
struct ActivityTable {
  std::vector<std::uint32_t> person;
  std::vector<std::uint64_t> offsets;
  std::vector<std::int32_t> pathway, date, tf;
  CategoryBuilder provider, type, status, outcome{{}, {}, {}, true}, reason{{}, {}, {}, true}, transfer{{}, {}, {}, true};

  void add(std::uint32_t who, std::int32_t pw, Days day, std::string_view activity_type, std::string_view rtt_status,
           std::string_view provider_code = "RXW", std::string_view validation = "", std::string_view removal = "",
           std::string_view transfer_to = "", std::int32_t function = 110) {
    person.push_back(who);
    pathway.push_back(pw);
    date.push_back(day);
    tf.push_back(function);
    provider.add(provider_code);
    type.add(activity_type);
    status.add(rtt_status);
    outcome.add(validation);
    reason.add(removal);
    transfer.add(transfer_to);
  }
  ActivityColumns columns() {
    offsets = offsets_of(person);
    ActivityColumns c;
    c.person_offsets = offsets;
    c.pathway = pathway;
    c.activity_date = date;
    c.treatment_function = tf;
    c.provider = provider.column();
    c.activity_type = type.column();
    c.rtt_status = status.column();
    c.validation_outcome = outcome.column();
    c.removal_reason = reason.column();
    c.transfer_provider = transfer.column();
    return c;
  }
};

struct ReportedTable {
  std::vector<std::uint32_t> person;
  std::vector<std::uint64_t> offsets;
  std::vector<std::int32_t> pathway, period, tf, start, stop, removal;
  std::vector<std::uint8_t> stop_bits, removal_bits;
  CategoryBuilder provider, status{{}, {}, {}, true}, reason{{}, {}, {}, true}, priority{{}, {}, {}, true},
      list_type;

  static void bit(std::vector<std::uint8_t>& bits, std::size_t row, bool on) {
    if (bits.size() * 8 <= row) bits.push_back(0);
    if (on) bits[row >> 3] = static_cast<std::uint8_t>(bits[row >> 3] | (1U << (row & 7)));
  }
  // stop/removal: kStillOpen for none.
  void add(std::uint32_t who, std::int32_t pw, std::int32_t rtt_period, Days clock_start, Days clock_stop,
           std::string_view stop_status, Days removal_date, std::string_view removal_reason,
           std::string_view provider_code = "RXW", std::string_view prio = "") {
    const std::size_t row = person.size();
    person.push_back(who);
    pathway.push_back(pw);
    period.push_back(rtt_period);
    tf.push_back(110);
    start.push_back(clock_start);
    stop.push_back(clock_stop == kStillOpen ? 0 : clock_stop);
    bit(stop_bits, row, clock_stop != kStillOpen);
    removal.push_back(removal_date == kStillOpen ? 0 : removal_date);
    bit(removal_bits, row, removal_date != kStillOpen);
    provider.add(provider_code);
    status.add(stop_status);
    reason.add(removal_reason);
    priority.add(prio);
    list_type.add("non_admitted");
  }
  ReportedColumns columns() {
    offsets = offsets_of(person);
    ReportedColumns c;
    c.person_offsets = offsets;
    c.pathway = pathway;
    c.rtt_period = period;
    c.treatment_function = tf;
    c.clock_start = start;
    c.clock_stop = {stop, stop_bits.data()};
    c.removal_date = {removal, removal_bits.data()};
    c.provider = provider.column();
    c.rtt_status = status.column();
    c.removal_reason = reason.column();
    c.priority = priority.column();
    c.waiting_list_type = list_type.column();
    return c;
  }
};

}  // namespace severn::elective::testing
