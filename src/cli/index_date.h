// The index date of `severn run` and `severn report`: --index-date when given, else the data's end
// recorded in the store's manifest at ingest (docs/store.md), else, for a store without dated
// rows, its as-of date. The choice and its reason are printed and go into run.json.
#pragma once
#include <string>

#include "core/date.h"
#include "core/error.h"
#include "store/manifest.h"

namespace severn::cli {

struct IndexDate {
  Days date = 0;
  std::string text;    // YYYY-MM-DD
  std::string reason;  // short, for the printed line
  std::string source;  // the reason in full, for run.json
  std::string describe() const { return "index date " + text + " (" + reason + ")"; }
};

inline IndexDate choose_index_date(const store::Manifest& manifest, const std::string& option) {
  IndexDate out;
  if (!option.empty()) {
    out.text = option;
    out.reason = out.source = "--index-date";
  } else if (!manifest.data_end.empty()) {
    out.text = manifest.data_end;
    out.reason = "the data's end, from the manifest";
    out.source = out.reason + ": " + manifest.data_end_source;
  } else {
    out.text = manifest.as_of;
    out.reason = out.source = "the store's as-of date: the manifest records no data end";
  }
  const auto d = parse_iso_date(out.text);
  if (!d) throw InputError("--index-date: '" + out.text + "' is not a date in the form YYYY-MM-DD");
  out.date = *d;
  return out;
}

}  // namespace severn::cli
