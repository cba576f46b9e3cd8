// Aggregates (any signed-in role): what the report published, sliced; and the dashboard's pages.
#include "core/embedded.h"
#include "core/json_text.h"
#include "server/api_impl.h"
#include "server/api_json.h"

namespace severn::server {
namespace {

void append_optional_table(std::string& out, const std::optional<CsvTable>& t,
                           const std::function<bool(std::size_t)>& keep = {}) {
  if (!t) {
    out += "{\"columns\":[],\"rows\":[]}";
    return;
  }
  append_table_json(out, *t, 0, t->rows(), keep);
}

std::string_view content_type_of(std::string_view name) {
  const auto ends = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".json")) return "application/json";
  return "";
}

ApiResponse asset_response(std::string_view name) {
  const std::string_view type = content_type_of(name);
  const auto bytes = type.empty() ? std::nullopt : embedded::find("web/" + std::string(name));
  if (!bytes) return error_response(404, "no such page");
  ApiResponse r;
  r.content_type = std::string(type);
  r.body = std::string(*bytes);
  return r;
}

// The measures response's cache key: its parameters in a fixed order (each given at most once).
std::string measures_cache_key(const Call& c) {
  std::string key = "measures";
  for (const char* p : {"definition", "measure", "breakdown", "from", "to", "format"}) {
    const std::string* v = c.param(p);
    key += '\x1f';
    if (v != nullptr) key += *v;
  }
  return key;
}

}  // namespace

ApiResponse Api::Impl::definitions(Call& c) {
  return cached("definitions:" + std::string(role_may(c.session->role, Activity::kReadWorklist) ? "w" : "-"), [&] { return definitions_uncached(c); });
}

ApiResponse Api::Impl::measures(Call& c) {
  return cached(measures_cache_key(c), [&] { return measures_uncached(c); });
}

ApiResponse Api::Impl::pcns(Call& c) {
  return cached("pcns", [&] { return pcns_uncached(c); });
}

ApiResponse Api::Impl::providers(Call& c) {
  return cached("providers", [&] { return providers_uncached(c); });
}

ApiResponse Api::Impl::lsoa_map(Call& c) {
  return cached("map", [&] { return lsoa_map_uncached(c); });
}

ApiResponse Api::Impl::elective_snapshot(Call& c) {
  return cached("snapshot", [&] { return elective_snapshot_uncached(c); });
}

ApiResponse Api::Impl::elective_scenarios(Call& c) {
  return cached("scenarios", [&] { return elective_scenarios_uncached(c); });
}

ApiResponse Api::Impl::page(Call&) { return asset_response("index.html"); }

ApiResponse Api::Impl::static_asset(Call& c) { return asset_response(c.path_args[0]); }

ApiResponse Api::Impl::definitions_uncached(Call& c) {
  const bool worklists = role_may(c.session->role, Activity::kReadWorklist);
  std::string out = "{\"api_version\":1,\"index_date\":" + json_quoted(data.index_date_text) + ",\"definitions\":[";
  for (std::size_t i = 0; i < data.definitions.size(); ++i) {
    const ServedDefinition& d = data.definitions[i];
    out += (i ? "," : "");
    out += "{\"name\":" + json_quoted(d.name) + ",\"title\":" + json_quoted(d.title) + ",\"source\":" + json_quoted(d.source) +
           ",\"version\":" + json_quoted(d.version) + ",\"measures\":[";
    for (std::size_t m = 0; m < d.measures.size(); ++m) {
      const MeasureInfo& x = d.measures[m];
      out += (m ? "," : "");
      out += "{\"name\":" + json_quoted(x.name) + ",\"comment\":" + json_quoted(x.comment) +
             ",\"statistic\":" + json_quoted(x.statistic) + ",\"confidence\":" + json_quoted(x.confidence) +
             ",\"breakdowns\":" + json_string_array(x.breakdowns) + ",\"from\":" + json_quoted(x.from) +
             ",\"to\":" + json_quoted(x.to) + ",\"intervals\":" + std::to_string(x.intervals) +
             ",\"inequality\":" + (x.inequality ? "true" : "false") + "}";
    }
    out += "],\"worklists\":[";
    if (worklists)
      for (std::size_t w = 0; w < d.worklists.size(); ++w) out += (w ? "," : "") + ("{\"name\":" + json_quoted(d.worklists[w].name) + "}");
    out += "]}";
  }
  return json_response(200, out + "]}");
}

ApiResponse Api::Impl::measures_uncached(Call& c) {
  const std::string* def_name = c.param("definition");
  const std::string* measure_name = c.param("measure");
  if (def_name == nullptr || measure_name == nullptr) return error_response(400, "definition and measure are required");
  const ServedDefinition* d = data.find_definition(*def_name);
  if (d == nullptr) return error_response(404, "no definition '" + *def_name + "' (GET /api/definitions lists them)");
  const MeasureInfo* m = d->find_measure(*measure_name);
  if (m == nullptr) return error_response(404, "definition '" + *def_name + "' has no measure '" + *measure_name + "'");
  const std::string* breakdown = c.param("breakdown");
  if (breakdown != nullptr && *breakdown != "all" &&
      std::find(m->breakdowns.begin(), m->breakdowns.end(), *breakdown) == m->breakdowns.end())
    return error_response(400, "measure '" + m->name + "' has no breakdown '" + *breakdown + "'");
  const std::string from = c.param("from") ? *c.param("from") : "";
  const std::string to = c.param("to") ? *c.param("to") : "";
  // Dates as YYYY-MM-DD compare as text.
  const auto keep_in = [&](const CsvTable& t, bool by_breakdown) {
    const std::size_t cs = t.column("interval_start"), ce = t.column("interval_end");
    const std::size_t cb = t.column("breakdown");
    return [&t, cs, ce, cb, by_breakdown, breakdown, from, to](std::size_t r) {
      if (!from.empty() && t.cell(r, cs) < from) return false;
      if (!to.empty() && t.cell(r, ce) > to) return false;
      return !by_breakdown || breakdown == nullptr || t.cell(r, cb) == *breakdown;
    };
  };
  if (wants_csv(c))
    return csv_response(table_csv(*d->measures_csv, m->measures_begin, m->measures_end, keep_in(*d->measures_csv, true)),
                        d->name + "-" + m->name + ".csv");
  std::string out = "{\"api_version\":1,\"definition\":" + json_quoted(d->name) + ",\"measure\":" + json_quoted(m->name) +
                    ",\"statistic\":" + json_quoted(m->statistic) + ",\"confidence\":" + json_quoted(m->confidence) +
                    ",\"measures\":";
  append_table_json(out, *d->measures_csv, m->measures_begin, m->measures_end, keep_in(*d->measures_csv, true));
  out += ",\"funnels\":";
  if (d->funnels_csv) append_table_json(out, *d->funnels_csv, m->funnels_begin, m->funnels_end, keep_in(*d->funnels_csv, true));
  else out += "{\"columns\":[],\"rows\":[]}";
  out += ",\"inequality\":";
  // The slope index is taken across a deprivation breakdown: it is kept whatever breakdown is asked.
  if (d->inequality_csv)
    append_table_json(out, *d->inequality_csv, m->inequality_begin, m->inequality_end, keep_in(*d->inequality_csv, false));
  else out += "{\"columns\":[],\"rows\":[]}";
  return json_response(200, out + "}");
}

ApiResponse Api::Impl::pcns_uncached(Call&) {
  std::string out = "{\"api_version\":1,\"pcns\":[";
  for (std::size_t i = 0; i < data.pcns.size(); ++i)
    out += (i ? "," : "") + ("{\"code\":" + json_quoted(data.pcns[i].code) + ",\"name\":" + json_quoted(data.pcns[i].name) +
                             ",\"place\":" + json_quoted(data.pcns[i].place) + "}");
  return json_response(200, out + "]}");
}

ApiResponse Api::Impl::providers_uncached(Call&) {
  std::string out = "{\"api_version\":1,\"providers\":[";
  for (std::size_t i = 0; i < data.elective.providers.size(); ++i)
    out += (i ? "," : "") + ("{\"code\":" + json_quoted(data.elective.providers[i].code) +
                             ",\"name\":" + json_quoted(data.elective.providers[i].name) + "}");
  return json_response(200, out + "]}");
}

ApiResponse Api::Impl::lsoa_map_uncached(Call&) {
  std::string out = "{\"api_version\":1,";
  out += std::string_view(data.map_json).substr(1);  // the map's own fields after ours
  return json_response(200, out);
}

ApiResponse Api::Impl::elective_snapshot_uncached(Call&) {
  const ServedElective& e = data.elective;
  std::string out = "{\"api_version\":1,\"present\":" + std::string(e.present ? "true" : "false") + ",\"monthly\":";
  append_optional_table(out, e.monthly);
  out += ",\"weekly\":";
  append_optional_table(out, e.weekly);
  out += ",\"clock_stops\":";
  append_optional_table(out, e.clock_stops);
  out += ",\"by_deprivation\":{\"measures\":";
  append_optional_table(out, e.measures_csv);
  out += ",\"funnels\":";
  append_optional_table(out, e.funnels_csv);
  out += ",\"inequality\":";
  append_optional_table(out, e.inequality_csv);
  return json_response(200, out + "}}");
}

ApiResponse Api::Impl::elective_scenarios_uncached(Call&) {
  std::string out = "{\"api_version\":1,\"simulation\":";
  append_optional_table(out, data.elective.simulation);
  return json_response(200, out + "}");
}

}  // namespace severn::server
