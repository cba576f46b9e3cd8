#include "elective/snapshot_release.h"

#include <set>
#include <stdexcept>

namespace severn::elective {
namespace {

std::string cross_name(const TwoWayLayout& l) { return l.a_name + "_x_" + l.b_name; }
std::string cross_label(const std::string& a, const std::string& b) { return a + "|" + b; }

void check_shape(const TwoWayLayout& l, const Margins<std::int64_t>& m) {
  if (m.by_a.size() != l.a_labels.size() || m.by_b.size() != l.b_labels.size() ||
      m.by_ab.size() != l.a_labels.size() * l.b_labels.size())
    throw std::logic_error("snapshot release: counts do not match their layout");
}

}  // namespace

std::string interval_text(Days from, Days to) { return format_iso_date(from) + "/" + format_iso_date(to); }

disclosure::Release release_of(const std::vector<TwoWayLayout>& layouts, const std::vector<CountSeries>& series) {
  disclosure::Release r;
  for (std::size_t s = 0; s < series.size(); ++s) {
    const CountSeries& c = series[s];
    const TwoWayLayout& l = layouts.at(c.layout);
    check_shape(l, c.counts);
    disclosure::Series out;
    out.meaning = c.meaning;
    out.interval = c.interval;
    out.family = c.layout;
    out.label = c.label;
    out.within = c.within;
    out.total = c.counts.all;
    disclosure::SeriesBreakdown a{l.a_name, {}}, b{l.b_name, {}}, ab{cross_name(l), {}};
    for (std::size_t i = 0; i < l.a_labels.size(); ++i) a.groups.push_back({l.a_labels[i], c.counts.by_a[i]});
    for (std::size_t j = 0; j < l.b_labels.size(); ++j) b.groups.push_back({l.b_labels[j], c.counts.by_b[j]});
    for (std::size_t i = 0; i < l.a_labels.size(); ++i)
      for (std::size_t j = 0; j < l.b_labels.size(); ++j)
        ab.groups.push_back({cross_label(l.a_labels[i], l.b_labels[j]), c.counts.by_ab[i * l.b_labels.size() + j]});
    out.breakdowns = {std::move(a), std::move(b), std::move(ab)};
    r.series.push_back(std::move(out));
  }
  // Each cross cell lies within one provider and within one column: the `all` rows are their sums.
  std::set<std::string> nested;
  for (const TwoWayLayout& l : layouts) {
    if (!nested.insert(cross_name(l)).second) continue;
    disclosure::Nesting in_a{cross_name(l), l.a_name, {}}, in_b{cross_name(l), l.b_name, {}};
    for (const auto& x : l.a_labels)
      for (const auto& y : l.b_labels) {
        in_a.parent_of[cross_label(x, y)] = x;
        in_b.parent_of[cross_label(x, y)] = y;
      }
    r.nestings.push_back(std::move(in_a));
    r.nestings.push_back(std::move(in_b));
  }
  return r;
}

PublishedCounts publish_counts(const std::vector<TwoWayLayout>& layouts, const std::vector<CountSeries>& series,
                               const std::optional<disclosure::Policy>& policy) {
  PublishedCounts out;
  out.series.resize(series.size());
  if (!policy) {
    const auto exact = [](std::int64_t n) { return disclosure::CellState{disclosure::Reason::kPublished, n}; };
    for (std::size_t s = 0; s < series.size(); ++s) {
      check_shape(layouts.at(series[s].layout), series[s].counts);
      const auto& c = series[s].counts;
      auto& m = out.series[s];
      m.all = exact(c.all);
      for (auto n : c.by_a) m.by_a.push_back(exact(n));
      for (auto n : c.by_b) m.by_b.push_back(exact(n));
      for (auto n : c.by_ab) m.by_ab.push_back(exact(n));
    }
    return out;
  }
  const disclosure::Release release = release_of(layouts, series);
  const disclosure::ReleaseDecision d = disclosure::control(release, *policy);
  for (std::size_t s = 0; s < series.size(); ++s) {
    const auto& dec = d.series[s];
    auto& m = out.series[s];
    m.all = dec.total;
    m.by_a = dec.groups.at(0);
    m.by_b = dec.groups.at(1);
    m.by_ab = dec.groups.at(2);
  }
  out.audit = d.audit;
  return out;
}

}  // namespace severn::elective
