#include "elective/policy_comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "core/csv_writer.h"
#include "elective/priority_score.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {
namespace {

constexpr int kImdCells = 6;  // quintiles 1-5, then unknown

struct Cells {
  std::vector<std::int64_t> all{0}, imd = std::vector<std::int64_t>(kImdCells, 0),
                                    eth = std::vector<std::int64_t>(kEthnicityGroups.size(), 0);
};

int imd_cell(int quintile) { return quintile >= 1 && quintile <= 5 ? quintile - 1 : kImdCells - 1; }

// One counted quantity of one table, published.
struct Published {
  std::vector<std::vector<std::string>> text;     // [breakdown: all, imd, eth][cell]
  std::vector<std::vector<std::int64_t>> value;   // the count figures are derived from; -1 withheld
};

Published publish(const Cells& c, const disclosure::Policy& policy, bool apply_control) {
  Published p;
  const std::vector<const std::vector<std::int64_t>*> parts{&c.all, &c.imd, &c.eth};
  p.text.resize(3);
  p.value.resize(3);
  disclosure::Decision d;
  if (apply_control) d = disclosure::suppress(policy, c.all[0], {{c.imd}, {c.eth}});
  for (std::size_t b = 0; b < 3; ++b) {
    for (std::size_t i = 0; i < parts[b]->size(); ++i) {
      const std::int64_t exact = (*parts[b])[i];
      const disclosure::Reason r = !apply_control ? disclosure::Reason::kPublished : b == 0 ? d.total : d.cells[b - 1][i];
      if (r != disclosure::Reason::kPublished) {
        p.text[b].push_back(disclosure::kWithheldMarker);
        p.value[b].push_back(-1);
        continue;
      }
      const std::int64_t shown = apply_control ? disclosure::rounded(policy, exact) : exact;
      p.text[b].push_back(std::to_string(shown));
      p.value[b].push_back(apply_control && !policy.derive_from_published() ? exact : shown);
    }
  }
  return p;
}

std::string percent(std::int64_t num, std::int64_t den) {
  if (num < 0 || den <= 0) return num < 0 || den < 0 ? disclosure::kWithheldMarker : "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", 100.0 * static_cast<double>(num) / static_cast<double>(den));
  return buf;
}

}  // namespace

int quantile_weeks(std::vector<Days> days, double q) {
  if (days.empty()) return -1;
  std::sort(days.begin(), days.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(days.size())));
  return completed_weeks(days[std::max<std::size_t>(rank, 1) - 1]);
}

std::string policy_comparison_csv(const std::vector<SimResult>& results, const disclosure::Policy& policy,
                                  bool apply_control) {
  std::string out;
  {
    CsvRow h(out);
    for (const char* c : {"policy", "horizon_weeks", "breakdown", "group", "waiting", "median_weeks_waited",
                          "p92_weeks_waited", "over_18_weeks", "over_18_weeks_pct", "over_52_weeks", "over_52_weeks_pct",
                          "over_priority_target", "over_priority_target_pct", "treated", "treated_median_weeks_waited"})
      h.text(c);
  }
  for (const SimResult& r : results) {
    for (const HorizonState& h : r.horizons) {
      Cells waiting, over18, over52, target, treated;
      // Days by cell, for the quantiles: [breakdown][cell].
      std::vector<std::vector<std::vector<Days>>> waits(3), treated_waits(3);
      for (auto* w : {&waits, &treated_waits}) {
        (*w)[0].resize(1);
        (*w)[1].resize(kImdCells);
        (*w)[2].resize(kEthnicityGroups.size());
      }
      const auto add = [](Cells& c, int imd, int eth) {
        ++c.all[0];
        ++c.imd[static_cast<std::size_t>(imd)];
        ++c.eth[static_cast<std::size_t>(eth)];
      };
      for (const WaitingAt& w : h.waiting) {
        const int imd = imd_cell(w.imd_quintile), eth = w.ethnicity;
        add(waiting, imd, eth);
        if (over_weeks(w.waited, 18)) add(over18, imd, eth);
        if (over_weeks(w.waited, 52)) add(over52, imd, eth);
        if (w.waited > priority_target_days(w.priority)) add(target, imd, eth);
        waits[0][0].push_back(w.waited);
        waits[1][static_cast<std::size_t>(imd)].push_back(w.waited);
        waits[2][static_cast<std::size_t>(eth)].push_back(w.waited);
      }
      for (const TreatedBy& t : h.treated) {
        const int imd = imd_cell(t.imd_quintile), eth = t.ethnicity;
        add(treated, imd, eth);
        treated_waits[0][0].push_back(t.waited);
        treated_waits[1][static_cast<std::size_t>(imd)].push_back(t.waited);
        treated_waits[2][static_cast<std::size_t>(eth)].push_back(t.waited);
      }
      const Published pw = publish(waiting, policy, apply_control), p18 = publish(over18, policy, apply_control),
                      p52 = publish(over52, policy, apply_control), pt = publish(target, policy, apply_control),
                      ptr = publish(treated, policy, apply_control);
      const char* breakdowns[3] = {"all", "imd_quintile", "ethnicity_group"};
      for (std::size_t b = 0; b < 3; ++b) {
        for (std::size_t i = 0; i < pw.text[b].size(); ++i) {
          std::string group = b == 0 ? "all" : b == 1 ? (i < 5 ? std::to_string(i + 1) : "unknown") : kEthnicityGroups[i];
          CsvRow row(out);
          row.text(policy_name(r.policy)).integer(h.weeks).text(breakdowns[b]).text(group);
          row.text(pw.text[b][i]);
          const bool shown = pw.value[b][i] >= 0 && !waits[b][i].empty();
          if (shown) row.integer(quantile_weeks(waits[b][i], 0.5)).integer(quantile_weeks(waits[b][i], 0.92));
          else if (pw.value[b][i] < 0) row.text(disclosure::kWithheldMarker).text(disclosure::kWithheldMarker);
          else row.empty().empty();
          for (const Published* p : {&p18, &p52, &pt}) row.text(p->text[b][i]).text(percent(p->value[b][i], pw.value[b][i]));
          row.text(ptr.text[b][i]);
          if (ptr.value[b][i] >= 0 && !treated_waits[b][i].empty()) row.integer(quantile_weeks(treated_waits[b][i], 0.5));
          else if (ptr.value[b][i] < 0) row.text(disclosure::kWithheldMarker);
          else row.empty();
        }
      }
    }
  }
  return out;
}

}  // namespace severn::elective
