#include "report/charts.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/svg.h"

namespace severn::report {

namespace {

using svg::coord;
using svg::escape;
using svg::missing;
namespace colour = svg::colour;

// The plotting area of a chart of width x height, inside margins for the title, legend and axes.
struct Frame {
  double width = 420, height = 280;
  double left = 64, right = 20, top = 56, bottom = 50;
  double x0() const { return left; }
  double x1() const { return width - right; }
  double y0() const { return height - bottom; }  // the bottom of the plot, in pixels
  double y1() const { return top; }
};

std::string str(std::string_view s) { return std::string(s); }

std::string open_svg(const ChartText& t, double width, double height, const std::string& id = "") {
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + coord(width) + ' ' +
                  coord(height) + "\" role=\"img\"" + (id.empty() ? "" : " id=\"" + escape(id) + "\"") +
                  " aria-label=\"" + escape(t.aria.empty() ? t.title : t.aria) + "\">";
  s += "<title>" + escape(t.title) + "</title>";
  s += "<rect width=\"" + coord(width) + "\" height=\"" + coord(height) + "\" fill=\"#FFFFFF\"/>";
  s += "<text x=\"10\" y=\"20\" class=\"ct\">" + escape(t.title) + "</text>";
  return s;
}

int tick_decimals(double step) {
  if (step >= 1) return 0;
  return static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
}

// Horizontal grid lines with their labels, and the y axis label.
std::string y_axis(const svg::Axis& axis, const svg::Scale& y, const Frame& f, const std::string& label) {
  std::string s;
  const int d = tick_decimals(axis.step);
  for (double t : axis.ticks) {
    const double py = y(t);
    s += "<line x1=\"" + coord(f.x0()) + "\" x2=\"" + coord(f.x1()) + "\" y1=\"" + coord(py) + "\" y2=\"" + coord(py) +
         "\" stroke=\"" + str(colour::kGrid) + "\" stroke-width=\"1\"/>";
    s += "<text x=\"" + coord(f.x0() - 6) + "\" y=\"" + coord(py + 4) + "\" class=\"tk\" text-anchor=\"end\">" +
         svg::number(t, d) + "</text>";
  }
  const double mid = (f.y0() + f.y1()) / 2;
  s += "<text transform=\"translate(14 " + coord(mid) + ") rotate(-90)\" class=\"al\" text-anchor=\"middle\">" +
       escape(label) + "</text>";
  return s;
}

std::string x_label(const Frame& f, const std::string& label) {
  return "<text x=\"" + coord((f.x0() + f.x1()) / 2) + "\" y=\"" + coord(f.height - 8) +
         "\" class=\"al\" text-anchor=\"middle\">" + escape(label) + "</text>";
}

std::string axis_line(const Frame& f) {
  return "<line x1=\"" + coord(f.x0()) + "\" x2=\"" + coord(f.x1()) + "\" y1=\"" + coord(f.y0()) + "\" y2=\"" +
         coord(f.y0()) + "\" stroke=\"" + str(colour::kAxis) + "\" stroke-width=\"1\"/>";
}

// A legend row under the title: each entry a small symbol then its text, laid out left to right.
struct Legend {
  std::string svg;
  double x = 10, y = 40;
  void add(const std::string& symbol_at_origin, const std::string& text, double text_width) {
    svg += "<g transform=\"translate(" + coord(x) + ' ' + coord(y) + ")\">" + symbol_at_origin + "<text x=\"20\" y=\"4\" class=\"lg\">" +
           escape(text) + "</text></g>";
    x += 26 + text_width;
  }
};
double text_width(const std::string& s) { return 5.6 * static_cast<double>(s.size()); }

std::string line_symbol(std::string_view colour, const std::string& dash = "", double width = 2) {
  return "<line x1=\"0\" x2=\"16\" y1=\"0\" y2=\"0\" stroke=\"" + str(colour) + "\" stroke-width=\"" + coord(width) + "\"" +
         (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"") + "/>";
}
std::string box_symbol(std::string_view colour) {
  return "<rect x=\"0\" y=\"-5\" width=\"16\" height=\"10\" fill=\"" + str(colour) + "\"/>";
}

double present_min(std::initializer_list<const std::vector<double>*> series, double start) {
  double m = start;
  for (const auto* v : series)
    for (double x : *v)
      if (!missing(x)) m = std::min(m, x);
  return m;
}
double present_max(std::initializer_list<const std::vector<double>*> series, double start) {
  double m = start;
  for (const auto* v : series)
    for (double x : *v)
      if (!missing(x)) m = std::max(m, x);
  return m;
}

std::string close_svg() { return "</svg>"; }

// The marker of a funnel point: circle within the limits, triangles pointing the way it lies outside.
std::string funnel_marker(double x, double y, int significance) {
  if (significance > 0)
    return "<path d=\"M" + coord(x) + ' ' + coord(y - 5.5) + " L" + coord(x + 5) + ' ' + coord(y + 3.5) + " L" + coord(x - 5) +
           ' ' + coord(y + 3.5) + " Z\" fill=\"" + str(colour::kAbove) + "\" stroke=\"#FFFFFF\" stroke-width=\"0.8\"/>";
  if (significance < 0)
    return "<path d=\"M" + coord(x) + ' ' + coord(y + 5.5) + " L" + coord(x + 5) + ' ' + coord(y - 3.5) + " L" + coord(x - 5) +
           ' ' + coord(y - 3.5) + " Z\" fill=\"" + str(colour::kBelow) + "\" stroke=\"#FFFFFF\" stroke-width=\"0.8\"/>";
  return "<circle cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"4\" fill=\"" + str(colour::kWithin) +
         "\" stroke=\"#FFFFFF\" stroke-width=\"0.8\"/>";
}

}  // namespace

std::string trend_chart(const TrendChart& c) {
  const Frame f;
  const std::size_t n = c.value.size();
  const bool has_ref = !c.reference_label.empty();
  const double inf = std::numeric_limits<double>::infinity();
  double lo = present_min({&c.value, &c.lower, &c.upper}, has_ref ? c.reference : inf);
  double hi = present_max({&c.value, &c.lower, &c.upper}, has_ref ? c.reference : -inf);
  if (lo == inf) lo = hi = 0;
  const svg::Axis axis = svg::nice_axis(lo, hi, 5);
  const svg::Scale y{axis.lo, axis.hi, f.y0(), f.y1()};
  std::vector<double> px(n), py(n), pl(n), pu(n);
  for (std::size_t i = 0; i < n; ++i) {
    px[i] = n == 1 ? (f.x0() + f.x1()) / 2 : f.x0() + 14 + (f.x1() - f.x0() - 28) * static_cast<double>(i) / static_cast<double>(n - 1);
    py[i] = missing(c.value[i]) ? NAN : y(c.value[i]);
    pl[i] = missing(c.lower[i]) ? NAN : y(c.lower[i]);
    pu[i] = missing(c.upper[i]) ? NAN : y(c.upper[i]);
  }
  std::string s = open_svg(c.text, f.width, f.height);
  Legend legend;
  legend.add(line_symbol(colour::kNhsBlue), "value", text_width("value"));
  legend.add(box_symbol(colour::kBand), c.text.ci_label, text_width(c.text.ci_label));
  if (has_ref) legend.add(line_symbol(colour::kReference, "5 3"), c.reference_label, text_width(c.reference_label));
  bool any_missing = false;
  for (double v : c.value) any_missing |= missing(v);
  if (any_missing) legend.add(line_symbol(colour::kWithin, "2 3", 1.2), "withheld", text_width("withheld"));
  s += legend.svg;
  s += y_axis(axis, y, f, c.text.y_label);
  // Withheld periods: a dotted line where the value would be, so the gap reads as missing, not zero.
  for (std::size_t i = 0; i < n; ++i)
    if (missing(c.value[i]))
      s += "<line x1=\"" + coord(px[i]) + "\" x2=\"" + coord(px[i]) + "\" y1=\"" + coord(f.y1()) + "\" y2=\"" + coord(f.y0()) +
           "\" stroke=\"" + str(colour::kWithin) + "\" stroke-width=\"1.2\" stroke-dasharray=\"2 3\" class=\"withheld\"/>";
  const std::string band = svg::band_path(px, pl, pu);
  if (!band.empty()) s += "<path d=\"" + band + "\" fill=\"" + str(colour::kBand) + "\" fill-opacity=\"0.75\" stroke=\"none\"/>";
  // A lone present point has no band polygon: its limits are drawn as a whisker.
  for (std::size_t i = 0; i < n; ++i) {
    const bool prev = i > 0 && !missing(pl[i - 1]) && !missing(pu[i - 1]);
    const bool next = i + 1 < n && !missing(pl[i + 1]) && !missing(pu[i + 1]);
    if (!missing(pl[i]) && !missing(pu[i]) && !prev && !next)
      s += "<line x1=\"" + coord(px[i]) + "\" x2=\"" + coord(px[i]) + "\" y1=\"" + coord(pl[i]) + "\" y2=\"" + coord(pu[i]) +
           "\" stroke=\"" + str(colour::kBand) + "\" stroke-width=\"6\"/>";
  }
  if (has_ref)
    s += "<line x1=\"" + coord(f.x0()) + "\" x2=\"" + coord(f.x1()) + "\" y1=\"" + coord(y(c.reference)) + "\" y2=\"" +
         coord(y(c.reference)) + "\" stroke=\"" + str(colour::kReference) + "\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>";
  const std::string line = svg::line_path(px, py);
  if (!line.empty()) s += "<path d=\"" + line + "\" fill=\"none\" stroke=\"" + str(colour::kNhsBlue) + "\" stroke-width=\"2\"/>";
  for (std::size_t i = 0; i < n; ++i)
    if (!missing(py[i]))
      s += "<circle cx=\"" + coord(px[i]) + "\" cy=\"" + coord(py[i]) + "\" r=\"3\" fill=\"" + str(colour::kNhsBlue) + "\"><title>" +
           escape(c.labels[i]) + ": " + svg::number(c.value[i], c.decimals) + " (" + svg::number(c.lower[i], c.decimals) + " to " +
           svg::number(c.upper[i], c.decimals) + ")</title></circle>";
  s += axis_line(f);
  // Labels counted back from the latest period, so the latest is always labelled.
  const std::size_t every = n > 8 ? (n + 6) / 7 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    if ((n - 1 - i) % every != 0) continue;
    s += "<text x=\"" + coord(px[i]) + "\" y=\"" + coord(f.y0() + 16) + "\" class=\"tk\" text-anchor=\"middle\">" +
         escape(c.labels[i]) + "</text>";
  }
  s += x_label(f, c.text.x_label);
  return s + close_svg();
}

std::string bar_chart(const BarChart& c) {
  const Frame f;
  const std::size_t n = c.value.size();
  const bool has_overall = !c.overall_label.empty();
  double lo = std::min(0.0, present_min({&c.value, &c.lower}, 0));
  double hi = present_max({&c.value, &c.upper}, has_overall ? c.overall : 0);
  const svg::Axis axis = svg::nice_axis(lo, hi, 5);
  const svg::Scale y{axis.lo, axis.hi, f.y0(), f.y1()};
  std::string s = open_svg(c.text, f.width, f.height);
  Legend legend;
  legend.add(box_symbol(colour::kNhsBlue), "value", text_width("value"));
  legend.add("<line x1=\"8\" x2=\"8\" y1=\"-6\" y2=\"6\" stroke=\"" + str(colour::kText) + "\" stroke-width=\"1.5\"/>", c.text.ci_label,
             text_width(c.text.ci_label));
  if (has_overall) legend.add(line_symbol(colour::kReference, "5 3"), c.overall_label, text_width(c.overall_label));
  s += legend.svg;
  s += y_axis(axis, y, f, c.text.y_label);
  const double band = (f.x1() - f.x0()) / static_cast<double>(std::max<std::size_t>(n, 1));
  const double bar = std::min(band * 0.6, 56.0);
  const double zero = y(std::max(axis.lo, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    const double cx = f.x0() + band * (static_cast<double>(i) + 0.5);
    if (missing(c.value[i])) {
      s += "<text transform=\"translate(" + coord(cx + 4) + ' ' + coord(zero - 6) + ") rotate(-90)\" class=\"wh\">withheld</text>";
    } else {
      const double top = y(c.value[i]);
      s += "<rect x=\"" + coord(cx - bar / 2) + "\" y=\"" + coord(std::min(top, zero)) + "\" width=\"" + coord(bar) +
           "\" height=\"" + coord(std::abs(zero - top)) + "\" fill=\"" + str(colour::kNhsBlue) + "\"><title>" + escape(c.labels[i]) +
           ": " + svg::number(c.value[i], c.decimals) + " (" + svg::number(c.lower[i], c.decimals) + " to " +
           svg::number(c.upper[i], c.decimals) + ")</title></rect>";
      double label_y = top - 5;
      if (!missing(c.lower[i]) && !missing(c.upper[i])) {
        const double a = y(c.lower[i]), b = y(c.upper[i]);
        s += "<path d=\"M" + coord(cx) + ' ' + coord(a) + " L" + coord(cx) + ' ' + coord(b) + " M" + coord(cx - 6) + ' ' + coord(a) +
             " L" + coord(cx + 6) + ' ' + coord(a) + " M" + coord(cx - 6) + ' ' + coord(b) + " L" + coord(cx + 6) + ' ' + coord(b) +
             "\" stroke=\"" + str(colour::kText) + "\" stroke-width=\"1.5\" fill=\"none\"/>";
        label_y = std::min(a, b) - 5;
      }
      s += "<text x=\"" + coord(cx) + "\" y=\"" + coord(std::max(label_y, f.y1() + 8)) + "\" class=\"vl\" text-anchor=\"middle\">" +
           svg::number(c.value[i], c.decimals) + "</text>";
    }
    s += "<text x=\"" + coord(cx) + "\" y=\"" + coord(f.y0() + 16) + "\" class=\"tk\" text-anchor=\"middle\">" + escape(c.labels[i]) +
         "</text>";
  }
  if (has_overall)
    s += "<line x1=\"" + coord(f.x0()) + "\" x2=\"" + coord(f.x1()) + "\" y1=\"" + coord(y(c.overall)) + "\" y2=\"" +
         coord(y(c.overall)) + "\" stroke=\"" + str(colour::kReference) + "\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>";
  s += axis_line(f);
  s += x_label(f, c.text.x_label);
  return s + close_svg();
}

std::string funnel_chart(const FunnelChart& c) {
  const Frame f;
  double max_n = 0, lo = c.target, hi = c.target, min_n = std::numeric_limits<double>::infinity();
  for (const auto& p : c.points) {
    max_n = std::max(max_n, p.denominator);
    min_n = std::min(min_n, p.denominator);
    lo = std::min(lo, p.value);
    hi = std::max(hi, p.value);
  }
  // The y axis holds the points and the 99.8% limits at the smallest unit, not the limits' wild
  // ends near a denominator of 0 (they are clipped to the plot).
  for (std::size_t i = 0; i < c.curve_n.size(); ++i) {
    if (c.curve_n[i] < min_n * 0.9) continue;
    if (!missing(c.lower998[i])) lo = std::min(lo, c.lower998[i]);
    if (!missing(c.upper998[i])) hi = std::max(hi, c.upper998[i]);
    break;
  }
  for (double n : c.curve_n) max_n = std::max(max_n, n);
  const svg::Axis yaxis = svg::nice_axis(lo, hi, 5);
  const svg::Axis xaxis = svg::nice_axis(0, max_n > 0 ? max_n : 1, 5);
  const svg::Scale y{yaxis.lo, yaxis.hi, f.y0(), f.y1()};
  const svg::Scale x{0, xaxis.hi, f.x0(), f.x1()};
  const std::string clip = "clip-" + c.id;
  std::string s = open_svg(c.text, f.width, f.height);
  s += "<defs><clipPath id=\"" + clip + "\"><rect x=\"" + coord(f.x0()) + "\" y=\"" + coord(f.y1()) + "\" width=\"" +
       coord(f.x1() - f.x0()) + "\" height=\"" + coord(f.y0() - f.y1()) + "\"/></clipPath></defs>";
  Legend legend;
  legend.add(line_symbol(colour::kText, "", 1.5), "ICS value", text_width("ICS value"));
  legend.add(line_symbol(colour::kAxis, "4 3", 1.2), "95% limits", text_width("95% limits"));
  legend.add(line_symbol(colour::kAxis, "", 1.2), "99.8% limits", text_width("99.8% limits"));
  legend.add(funnel_marker(8, 0, 1), "above", text_width("above"));
  legend.add(funnel_marker(8, 0, -1), "below", text_width("below"));
  s += legend.svg;
  s += y_axis(yaxis, y, f, c.text.y_label);
  for (double t : xaxis.ticks)
    s += "<text x=\"" + coord(x(t)) + "\" y=\"" + coord(f.y0() + 16) + "\" class=\"tk\" text-anchor=\"" +
         (t == xaxis.ticks.back() ? "end" : "middle") + "\">" +
         svg::number(t, tick_decimals(xaxis.step)) + "</text>";
  std::vector<double> cx(c.curve_n.size());
  const auto ys = [&](const std::vector<double>& v) {
    std::vector<double> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = missing(v[i]) ? NAN : y(std::clamp(v[i], yaxis.lo - (yaxis.hi - yaxis.lo), yaxis.hi + (yaxis.hi - yaxis.lo)));
    return out;
  };
  for (std::size_t i = 0; i < c.curve_n.size(); ++i) cx[i] = x(c.curve_n[i]);
  s += "<g clip-path=\"url(#" + clip + ")\" fill=\"none\" stroke=\"" + str(colour::kAxis) + "\" stroke-width=\"1.2\">";
  s += "<path d=\"" + svg::line_path(cx, ys(c.lower95)) + ' ' + svg::line_path(cx, ys(c.upper95)) + "\" stroke-dasharray=\"4 3\"/>";
  s += "<path d=\"" + svg::line_path(cx, ys(c.lower998)) + ' ' + svg::line_path(cx, ys(c.upper998)) + "\"/>";
  s += "</g>";
  s += "<line x1=\"" + coord(f.x0()) + "\" x2=\"" + coord(f.x1()) + "\" y1=\"" + coord(y(c.target)) + "\" y2=\"" + coord(y(c.target)) +
       "\" stroke=\"" + str(colour::kText) + "\" stroke-width=\"1.5\"/>";
  // Labels of the points outside the 99.8% limits: right of the point, else left, above or
  // below, whichever first overlaps no label already placed.
  struct Box {
    double x0, y0, x1, y1;
  };
  std::vector<Box> placed;
  for (const auto& p : c.points) {
    const double px = x(p.denominator), py = y(p.value);
    placed.push_back({px - 5, py - 5, px + 5, py + 5});
  }
  for (const auto& p : c.points) {
    const double px = x(p.denominator), py = y(p.value);
    s += "<g><title>" + escape(p.label) + ": " + svg::number(p.value, c.decimals) + " of " + svg::number(p.denominator, 0) + " (" +
         (p.significance == 0 ? "within limits" : std::string(p.significance > 0 ? "above " : "below ") +
                                                      (std::abs(p.significance) == 2 ? "99.8%" : "95%") + " limit") +
         ")</title>" + funnel_marker(px, py, p.significance) + "</g>";
    if (std::abs(p.significance) == 2) {
      const double w = 6.2 * static_cast<double>(p.label.size()), h = 11;
      const Box options[] = {{px + 7, py - 7, px + 7 + w, py - 7 + h},
                             {px - 7 - w, py - 7, px - 7, py - 7 + h},
                             {px - w / 2, py - 8 - h, px + w / 2, py - 8},
                             {px - w / 2, py + 8, px + w / 2, py + 8 + h}};
      const auto free = [&](const Box& b) {
        if (b.x0 < f.x0() || b.x1 > f.x1() || b.y0 < f.y1() || b.y1 > f.y0()) return false;
        for (const Box& q : placed)
          if (b.x0 < q.x1 && q.x0 < b.x1 && b.y0 < q.y1 && q.y0 < b.y1) return false;
        return true;
      };
      Box chosen = options[0];
      for (const Box& b : options)
        if (free(b)) {
          chosen = b;
          break;
        }
      placed.push_back(chosen);
      s += "<text x=\"" + coord(chosen.x0) + "\" y=\"" + coord(chosen.y1 - 2) + "\" class=\"pl\">" + escape(p.label) + "</text>";
    }
  }
  s += axis_line(f);
  s += x_label(f, c.text.x_label);
  return s + close_svg();
}

ProjectedMap project(const std::vector<MapArea>& areas, double width, double height) {
  ProjectedMap m;
  m.width = width;
  m.height = height;
  double lon0 = 1e9, lon1 = -1e9, lat0 = 1e9, lat1 = -1e9;
  for (const auto& a : areas)
    for (const auto& r : a.rings)
      for (const auto& [lon, lat] : r) {
        lon0 = std::min(lon0, lon);
        lon1 = std::max(lon1, lon);
        lat0 = std::min(lat0, lat);
        lat1 = std::max(lat1, lat);
      }
  if (lon0 > lon1) {
    m.paths.assign(areas.size(), "");
    return m;
  }
  const double k = std::cos((lat0 + lat1) / 2 * M_PI / 180);
  const double span_x = std::max((lon1 - lon0) * k, 1e-12), span_y = std::max(lat1 - lat0, 1e-12);
  const double scale = std::min(width / span_x, height / span_y);
  const double ox = (width - span_x * scale) / 2, oy = (height - span_y * scale) / 2;
  for (const auto& a : areas) {
    std::string d;
    for (const auto& r : a.rings) {
      // Points closer than kThin pixels to the last kept one add nothing visible at this scale.
      constexpr double kThin = 0.6;
      std::vector<std::string> pts;
      double last_x = NAN, last_y = NAN;
      for (const auto& [lon, lat] : r) {
        const double px = ox + (lon - lon0) * k * scale, py = oy + (lat1 - lat) * scale;
        if (!pts.empty() && std::hypot(px - last_x, py - last_y) < kThin) continue;
        std::string p = coord(px) + ' ' + coord(py);
        if (pts.empty() || pts.back() != p) pts.push_back(std::move(p));
        last_x = px;
        last_y = py;
      }
      while (pts.size() > 1 && pts.back() == pts.front()) pts.pop_back();
      if (pts.size() < 3) continue;
      if (!d.empty()) d += ' ';
      d += 'M' + pts[0];
      for (std::size_t i = 1; i < pts.size(); ++i) d += 'L' + pts[i];
      d += 'Z';
    }
    m.paths.push_back(std::move(d));
  }
  return m;
}

std::string choropleth(const std::vector<MapArea>& areas, const ProjectedMap& map, const Choropleth& c) {
  const double top = 34, legend_w = 170;
  const double width = map.width + legend_w, height = map.height + top + 8;
  std::string s = open_svg(c.text, width, height, c.id);
  s += "<defs><pattern id=\"" + escape(c.id) + "-nodata\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
       "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#FFFFFF\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
       "stroke=\"#AEB7BD\" stroke-width=\"2\"/></pattern></defs>";
  s += "<g transform=\"translate(0 " + coord(top) + ")\" stroke=\"#FFFFFF\" stroke-width=\"0.35\" stroke-linejoin=\"round\">";
  for (std::size_t i = 0; i < areas.size() && i < map.paths.size(); ++i) {
    if (map.paths[i].empty()) continue;
    const std::string fill = i < c.fill.size() && !c.fill[i].empty() ? c.fill[i] : "url(#" + c.id + "-nodata)";
    s += "<path d=\"" + map.paths[i] + "\" fill=\"" + escape(fill) + "\"";
    if (i < c.data_key.size() && !c.data_key[i].empty()) s += " data-k=\"" + escape(c.data_key[i]) + "\"";
    s += "><title>" + escape(i < c.tooltip.size() ? c.tooltip[i] : areas[i].name) + "</title></path>";
  }
  s += "</g>";
  // The legend: its title wrapped to lines of about 26 characters, then one swatch per class.
  double ly = top + 10;
  const double lx = map.width + 10;
  std::string line, title = c.legend_title + ' ';
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < title.size()) {
    const std::size_t space = title.find(' ', at);
    const std::string word = title.substr(at, space - at);
    if (!line.empty() && line.size() + 1 + word.size() > 26) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    at = space + 1;
  }
  if (!line.empty()) lines.push_back(line);
  s += "<g class=\"legend\">";
  for (const auto& l : lines) {
    s += "<text x=\"" + coord(lx) + "\" y=\"" + coord(ly) + "\" class=\"lt\">" + escape(l) + "</text>";
    ly += 14;
  }
  ly += 4;
  for (std::size_t i = 0; i < c.legend.size(); ++i) {
    const auto& e = c.legend[i];
    const std::string fill = e.colour.empty() ? "url(#" + c.id + "-nodata)" : e.colour;
    s += "<rect x=\"" + coord(lx) + "\" y=\"" + coord(ly) + "\" width=\"18\" height=\"14\" fill=\"" + escape(fill) +
         "\" stroke=\"#AEB7BD\" stroke-width=\"0.5\" data-legend=\"" + std::to_string(i) + "\"/>";
    s += "<text x=\"" + coord(lx + 24) + "\" y=\"" + coord(ly + 11) + "\" class=\"lg\" data-legend-text=\"" + std::to_string(i) + "\">" +
         escape(e.label) + "</text>";
    ly += 19;
  }
  s += "</g>";
  return s + close_svg();
}

}  // namespace severn::report
