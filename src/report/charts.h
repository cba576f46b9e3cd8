// The report's charts, each drawn as one self-contained <svg> element from plain numbers: a trend
// line with its confidence band, bars with error bars, a funnel plot, and a choropleth map.
// Missing values (NaN: withheld by disclosure control, or not computable) are left as gaps and
// said to be withheld, never drawn as zero. Every chart carries a title, axis labels with units and
// a legend inside the SVG, so a saved chart still says what it shows; the method and source notes
// sit beside it in the HTML.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace severn::report {

struct ChartText {
  std::string title;    // drawn at the top of the chart
  std::string x_label;  // with units
  std::string y_label;  // with units
  std::string aria;     // one-sentence description for screen readers
  std::string ci_label = "95% confidence interval";  // the legend's name for the limits
};

// Values over time: one point per period, the value with its lower and upper limits.
struct TrendChart {
  ChartText text;
  std::vector<std::string> labels;  // one per period, short ("Apr 24")
  std::vector<double> value, lower, upper;
  int decimals = 1;
  double reference = 0;  // a horizontal reference line when reference_label is not empty
  std::string reference_label;
};
std::string trend_chart(const TrendChart& c);

// One bar per group (zero-based), with confidence-interval error bars and an optional overall line.
struct BarChart {
  ChartText text;
  std::vector<std::string> labels;
  std::vector<double> value, lower, upper;
  int decimals = 1;
  double overall = 0;  // drawn when overall_label is not empty
  std::string overall_label;
};
std::string bar_chart(const BarChart& c);

// Units against their denominators, around a target, with 95% and 99.8% control limits.
struct FunnelPoint {
  std::string label;     // shown beside points outside the 99.8% limits, and in the tooltip
  double denominator = 0;
  double value = 0;
  int significance = 0;  // -2 .. 2, as stats::funnel_significance
};
struct FunnelChart {
  ChartText text;
  std::string id;  // unique in the page: names the plot's clipping path
  std::vector<FunnelPoint> points;
  double target = 0;
  std::vector<double> curve_n, lower95, upper95, lower998, upper998;  // the limits along the x axis
  int decimals = 1;
};
std::string funnel_chart(const FunnelChart& c);

// Areas projected once into a box, as SVG path data; shared by every map of the same areas.
struct MapArea {
  std::string code, name;
  std::vector<std::vector<std::pair<double, double>>> rings;  // longitude, latitude (WGS84)
};
struct ProjectedMap {
  double width = 0, height = 0;
  std::vector<std::string> paths;  // one per area, in the areas' order
};
// An equirectangular projection about the areas' mean latitude (east-west distances scaled by its
// cosine), fitted into width x height with the aspect kept; rings of fewer than 3 distinct
// projected points are dropped.
ProjectedMap project(const std::vector<MapArea>& areas, double width, double height);

struct LegendEntry {
  std::string colour, label;
};
struct Choropleth {
  ChartText text;
  std::string id;                          // element id of the <svg>, for the page's script
  std::vector<std::string> fill;           // one per area; "" = no value (drawn white, hatched)
  std::vector<std::string> tooltip;        // one per area
  std::vector<std::string> data_key;       // one per area: a data-k attribute (the script's key)
  std::vector<LegendEntry> legend;
  std::string legend_title;
};
std::string choropleth(const std::vector<MapArea>& areas, const ProjectedMap& map, const Choropleth& c);

}  // namespace severn::report
