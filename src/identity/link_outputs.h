// The files of a `severn link` run, all in one output directory:
//   pairs.csv         left_id,right_id,match_probability,match_weight: the accepted links
//   clusters.csv      id,cluster_id (linking: id,cluster_id,source): every input record
//   review.csv        the clerical-review band: both records' compared values side by side
//   explanations.csv  every accepted and review pair's waterfall: prior and each comparison's
//                     level and weight, summing to match_weight
//   refused_links.csv accepted by weight but refused by a cluster constraint
//   model.toml        m, u per level and lambda (reusable with --model)
//   summary.json      rules and their pair counts, training, bands, lost-match estimate,
//                     timings, peak memory
// Each file is written beside its final name and renamed into place.
#pragma once
#include <filesystem>
#include <string>

#include "identity/linker.h"

namespace severn::identity {

struct RunFacts {
  double total_seconds = 0.0;
  std::uint64_t peak_memory_bytes = 0;
  std::string left_file, right_file, config_file;
};

void write_link_outputs(const LinkResult& result, const LinkConfig& config, const RunFacts& facts,
                        const std::filesystem::path& out_dir);

// The summary for a person, as severn link prints it.
std::string summary_text(const LinkResult& result, const LinkConfig& config, const RunFacts& facts);

// An explanation as a printable waterfall table.
std::string waterfall_text(const Explanation& e, std::string_view left_id, std::string_view right_id);

// The process's peak resident memory so far (getrusage), in bytes.
std::uint64_t peak_memory_bytes();

}  // namespace severn::identity
