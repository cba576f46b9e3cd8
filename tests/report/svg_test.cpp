// Unit tests of the report's SVG helpers and charts: scales, ticks, number text, paths with gaps
// for missing values, and that a withheld value is drawn as a gap, never as zero.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "report/charts.h"
#include "report/svg.h"

namespace severn::report {
namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

TEST(ReportSvg, ScaleMapsDomainOntoRange) {
  const svg::Scale y{0, 10, 200, 0};
  EXPECT_DOUBLE_EQ(y(0), 200);
  EXPECT_DOUBLE_EQ(y(10), 0);
  EXPECT_DOUBLE_EQ(y(2.5), 150);
  const svg::Scale flat{5, 5, 0, 100};
  EXPECT_DOUBLE_EQ(flat(5), 50);
}

TEST(ReportSvg, NiceAxisHasRoundEndsAndSteps) {
  const auto a = svg::nice_axis(0.3, 9.7, 5);
  EXPECT_DOUBLE_EQ(a.lo, 0);
  EXPECT_DOUBLE_EQ(a.hi, 10);
  EXPECT_DOUBLE_EQ(a.step, 2);
  ASSERT_EQ(a.ticks.size(), 6u);
  EXPECT_DOUBLE_EQ(a.ticks[3], 6);
  const auto b = svg::nice_axis(14.52, 16.01, 5);
  EXPECT_DOUBLE_EQ(b.step, 0.5);
  EXPECT_DOUBLE_EQ(b.lo, 14.5);
  EXPECT_DOUBLE_EQ(b.hi, 16.5);
  const auto c = svg::nice_axis(7, 7, 5);  // one value: widened, still holds it
  EXPECT_LT(c.lo, 7);
  EXPECT_GT(c.hi, 7);
  const auto d = svg::nice_axis(-3.3, -2.7, 4);
  EXPECT_LE(d.lo, -3.3);
  EXPECT_GE(d.hi, -2.7);
  for (double t : d.ticks) EXPECT_NEAR(std::remainder(t, d.step), 0, 1e-9);
}

TEST(ReportSvg, NumbersHaveSeparatorsAndNoNegativeZero) {
  EXPECT_EQ(svg::number(12345.678, 1), "12,345.7");
  EXPECT_EQ(svg::number(-1234, 0), "-1,234");
  EXPECT_EQ(svg::number(999, 0), "999");
  EXPECT_EQ(svg::number(1000000, 0), "1,000,000");
  EXPECT_EQ(svg::number(-0.0001, 2), "0.00");
  EXPECT_EQ(svg::number(NAN, 2), "");
  EXPECT_EQ(svg::coord(12.0), "12");
  EXPECT_EQ(svg::coord(-0.04), "0");
  EXPECT_EQ(svg::coord(3.14159), "3.1");
  EXPECT_EQ(svg::decimals_for(150), 0);
  EXPECT_EQ(svg::decimals_for(15), 1);
  EXPECT_EQ(svg::decimals_for(1.5), 2);
  EXPECT_EQ(svg::decimals_for(0.15), 3);
  EXPECT_EQ(svg::escape("<a & \"b\" 'c'>"), "&lt;a &amp; &quot;b&quot; &#39;c&#39;&gt;");
}

TEST(ReportSvg, LinePathBreaksAtMissingValues) {
  EXPECT_EQ(svg::line_path({0, 1, 2, 3, 4}, {0, 1, NAN, 3, 4}), "M0 0 L1 1 M3 3 L4 4");
  EXPECT_EQ(svg::line_path({0, 1, 2}, {5, 6, 7}), "M0 5 L1 6 L2 7");
  // A lone present point between gaps makes no segment (the chart marks it with a dot).
  EXPECT_EQ(svg::line_path({0, 1, 2}, {NAN, 5, NAN}), "");
  EXPECT_EQ(svg::line_path({0, 1, 2, 3}, {1, NAN, 2, 3}), "M2 2 L3 3");
  EXPECT_EQ(svg::line_path({}, {}), "");
}

TEST(ReportSvg, BandPathIsOnePolygonPerRun) {
  EXPECT_EQ(svg::band_path({0, 1, 2}, {1, 2, 3}, {4, 5, 6}), "M0 4 L1 5 L2 6 L2 3 L1 2 L0 1 Z");
  EXPECT_EQ(svg::band_path({0, 1, 2, 3, 4}, {1, 1, NAN, 1, 1}, {2, 2, 2, 2, 2}), "M0 2 L1 2 L1 1 L0 1 Z M3 2 L4 2 L4 1 L3 1 Z");
  EXPECT_EQ(svg::band_path({0, 1}, {NAN, 1}, {2, 2}), "");
}

TEST(ReportSvg, EqualIntervalClasses) {
  EXPECT_EQ(svg::equal_interval_class(0, 0, 10, 5), 0);
  EXPECT_EQ(svg::equal_interval_class(10, 0, 10, 5), 4);
  EXPECT_EQ(svg::equal_interval_class(4.1, 0, 10, 5), 2);
  EXPECT_EQ(svg::equal_interval_class(NAN, 0, 10, 5), -1);
  EXPECT_EQ(svg::equal_interval_class(3, 3, 3, 5), 2);
}

TrendChart trend(std::vector<double> v) {
  TrendChart c;
  c.text.title = "Trend";
  c.text.x_label = "Month";
  c.text.y_label = "Per cent (%)";
  for (std::size_t i = 0; i < v.size(); ++i) {
    c.labels.push_back("M" + std::to_string(i));
    c.value.push_back(v[i]);
    c.lower.push_back(std::isnan(v[i]) ? NAN : v[i] - 1);
    c.upper.push_back(std::isnan(v[i]) ? NAN : v[i] + 1);
  }
  return c;
}

TEST(ReportCharts, TrendLeavesAGapForAWithheldPeriod) {
  const std::string s = trend_chart(trend({40, 41, NAN, 43, 44}));
  EXPECT_EQ(count(s, "<circle"), 4u);          // a dot per present period, none for the withheld one
  EXPECT_EQ(count(s, "class=\"withheld\""), 1u);  // the withheld period is marked as such
  EXPECT_NE(s.find(">withheld</text>"), std::string::npos);  // and the legend says so
  EXPECT_EQ(s.find("<title>M2:"), std::string::npos);
  // The line has two pieces: the gap is not bridged, and nothing is drawn at zero.
  const auto d = s.find("\" fill=\"none\" stroke=\"#005EB8\" stroke-width=\"2\"");
  ASSERT_NE(d, std::string::npos);
  const auto path_start = s.rfind("<path d=\"", d);
  const std::string path = s.substr(path_start, d - path_start);
  EXPECT_EQ(count(path, "M"), 2u);
  const auto axis = svg::nice_axis(39, 45, 5);
  EXPECT_GT(axis.lo, 0);  // zero is outside the axis: a NaN drawn as 0 would fall off the chart
  EXPECT_NE(s.find("Per cent (%)"), std::string::npos);
  EXPECT_NE(s.find("Month"), std::string::npos);
  EXPECT_EQ(trend_chart(trend({40, 41, 42})).find("class=\"withheld\""), std::string::npos);
}

TEST(ReportCharts, BarsSayWithheldInsteadOfDrawingZero) {
  BarChart c;
  c.text.title = "By deprivation";
  c.text.x_label = "IMD quintile";
  c.text.y_label = "Per cent (%)";
  c.labels = {"Q1", "Q2", "Q3"};
  c.value = {50, NAN, 40};
  c.lower = {45, NAN, 35};
  c.upper = {55, NAN, 45};
  c.overall = 45;
  c.overall_label = "ICS 45";
  const std::string s = bar_chart(c);
  EXPECT_EQ(count(s, ">withheld</text>"), 1u);
  EXPECT_EQ(count(s, "<title>Q"), 2u);  // a bar (with its tooltip) for each present group only
  EXPECT_EQ(s.find("<title>Q2"), std::string::npos);
  EXPECT_NE(s.find("ICS 45"), std::string::npos);
  EXPECT_NE(s.find("stroke-dasharray=\"5 3\""), std::string::npos);
}

TEST(ReportCharts, FunnelLabelsOnlyPointsOutsideTheOuterLimits) {
  FunnelChart c;
  c.id = "t";
  c.text.title = "PCNs";
  c.target = 50;
  c.points = {{"WITHIN", 1000, 50, 0}, {"HIGH", 1000, 60, 2}, {"LOW95", 800, 46, -1}};
  for (double n : {100.0, 500.0, 1000.0, 1200.0}) {
    c.curve_n.push_back(n);
    const double w = 100 / std::sqrt(n);
    c.lower95.push_back(50 - 1.96 * w);
    c.upper95.push_back(50 + 1.96 * w);
    c.lower998.push_back(50 - 3.09 * w);
    c.upper998.push_back(50 + 3.09 * w);
  }
  const std::string s = funnel_chart(c);
  EXPECT_NE(s.find(">HIGH</text>"), std::string::npos);
  EXPECT_EQ(s.find(">WITHIN</text>"), std::string::npos);
  EXPECT_EQ(s.find(">LOW95</text>"), std::string::npos);
  EXPECT_NE(s.find("<title>LOW95: 46.0 of 800 (below 95% limit)</title>"), std::string::npos);
  EXPECT_NE(s.find("clip-path=\"url(#clip-t)\""), std::string::npos);
}

TEST(ReportCharts, ProjectionFitsTheBoxAndKeepsTheAspect) {
  MapArea a;
  a.code = "A";
  a.rings = {{{-3.0, 52.0}, {-2.0, 52.0}, {-2.0, 53.0}, {-3.0, 53.0}, {-3.0, 52.0}}};
  MapArea empty;  // no rings: an empty path, not an error
  const ProjectedMap m = project({a, empty}, 200, 100);
  ASSERT_EQ(m.paths.size(), 2u);
  EXPECT_EQ(m.paths[1], "");
  // 1 degree of latitude fills the height (100 px); 1 degree of longitude at 52.5N is cos(52.5) as wide.
  const double w = 100 * std::cos(52.5 * M_PI / 180);
  const double x0 = (200 - w) / 2;
  EXPECT_EQ(m.paths[0], "M" + svg::coord(x0) + " 100L" + svg::coord(x0 + w) + " 100L" + svg::coord(x0 + w) + " 0L" +
                            svg::coord(x0) + " 0Z");
}

TEST(ReportCharts, ChoroplethHatchesAreasWithoutAValue) {
  MapArea a, b;
  a.code = "A";
  a.name = "Area A";
  a.rings = {{{0, 0}, {1, 0}, {1, 1}, {0, 0}}};
  b = a;
  b.code = "B";
  const std::vector<MapArea> areas = {a, b};
  Choropleth c;
  c.id = "m";
  c.fill = {"#FF0000", ""};
  c.tooltip = {"A: 1", "B: none"};
  c.data_key = {"1", "2"};
  c.legend = {{"#FF0000", "one"}, {"", "no value"}};
  c.legend_title = "A legend title long enough to need wrapping onto a second line";
  const std::string s = choropleth(areas, project(areas, 100, 100), c);
  EXPECT_EQ(count(s, "fill=\"url(#m-nodata)\""), 2u);  // area B and the legend's swatch
  EXPECT_EQ(count(s, "fill=\"#FF0000\""), 2u);
  EXPECT_EQ(count(s, "class=\"lt\""), 3u);  // the legend title wrapped
  EXPECT_NE(s.find("data-k=\"2\""), std::string::npos);
}

}  // namespace
}  // namespace severn::report
