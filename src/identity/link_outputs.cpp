#include "identity/link_outputs.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/csv_writer.h"
#include "core/error.h"
#include "core/json_text.h"
#include "core/parallel.h"

namespace severn::identity {

namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(tmp.string() + ": cannot open for writing");
    f << text;
    f.close();
    if (!f) throw InputError(tmp.string() + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw InputError(path.string() + ": cannot replace: " + ec.message());
}

std::string fixed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

// Probabilities near 1 need many digits to tell 0.99 from 0.9999999; %.10g keeps them exact enough.
std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string pairs_csv(const LinkResult& r) {
  std::string out = "left_id,right_id,match_probability,match_weight\n";
  const PreparedInputs& in = *r.inputs;
  for (const ScoredPair& p : r.clustering.links) {
    CsvRow row(out);
    row.text(in.id(0, p.a)).text(in.id(in.right_side(), p.b)).text(number(p.match_probability)).text(fixed(p.match_weight, 4));
  }
  return out;
}

std::string clusters_csv(const LinkResult& r) {
  const PreparedInputs& in = *r.inputs;
  const bool linking = in.linking();
  std::string out = linking ? "id,cluster_id,source\n" : "id,cluster_id\n";
  const auto left = static_cast<std::uint32_t>(in.size(0));
  for (std::uint32_t n = 0; n < r.clustering.root.size(); ++n) {
    CsvRow row(out);
    const bool is_left = n < left;
    row.text(is_left ? in.id(0, n) : in.id(1, n - left)).text(cluster_id(in, r.clustering.root[n]));
    if (linking) row.text(is_left ? "left" : "right");
  }
  return out;
}

// Rows for many pairs, built in chunks on the run's threads (explaining 800,000 links is a
// second of work per thread) and joined in order.
template <class RowWriter>
std::string rows_in_parallel(const std::vector<ScoredPair>& pairs, unsigned threads, RowWriter write_row) {
  constexpr std::size_t kChunk = 8192;
  const std::size_t chunks = (pairs.size() + kChunk - 1) / kChunk;
  std::vector<std::string> parts(chunks);
  parallel_for(chunks, threads, [&](std::size_t k) {
    const std::size_t end = std::min(pairs.size(), (k + 1) * kChunk);
    for (std::size_t i = k * kChunk; i < end; ++i) write_row(pairs[i], parts[k]);
  });
  std::string out;
  for (const std::string& part : parts) out += part;
  return out;
}

std::string scored_pairs_csv(const LinkResult& r, const std::vector<ScoredPair>& pairs) {
  const PreparedInputs& in = *r.inputs;
  std::string out = "left_id,right_id,match_probability,match_weight";
  for (const Comparison& c : r.comparisons) out += "," + c.name + "_left," + c.name + "_right," + c.name + "_level," + c.name + "_weight";
  out += "\n";
  out += rows_in_parallel(pairs, r.threads, [&](const ScoredPair& p, std::string& text) {
    const Explanation e = r.scorer->explain(p.a, p.b);
    CsvRow row(text);
    row.text(in.id(0, p.a)).text(in.id(in.right_side(), p.b)).text(number(p.match_probability)).text(fixed(p.match_weight, 4));
    for (const Contribution& x : e.contributions) row.text(x.left_value).text(x.right_value).text(x.label).text(fixed(x.weight(), 4));
  });
  return out;
}

std::string explanations_csv(const LinkResult& r) {
  const PreparedInputs& in = *r.inputs;
  std::string out = "left_id,right_id,band,prior_weight";
  for (const Comparison& c : r.comparisons) out += "," + c.name + "_level," + c.name + "_weight";
  out += ",match_weight,match_probability\n";
  const auto emit = [&](const char* band) {
    return [&in, &r, band](const ScoredPair& p, std::string& text) {
      const Explanation e = r.scorer->explain(p.a, p.b, p.pattern);
      CsvRow row(text);
      row.text(in.id(0, p.a)).text(in.id(in.right_side(), p.b)).text(band).text(fixed(e.prior_weight, 4));
      for (const Contribution& x : e.contributions) row.text(x.label).text(fixed(x.weight(), 4));
      row.text(fixed(e.match_weight, 4)).text(number(e.match_probability));
    };
  };
  out += rows_in_parallel(r.clustering.links, r.threads, emit("accepted"));
  out += rows_in_parallel(r.review, r.threads, emit("review"));
  return out;
}

std::string model_summary_json(const Model& m) {
  std::ostringstream s;
  s << "{\"lambda\": " << number(m.lambda) << ", \"comparisons\": [";
  for (std::size_t c = 0; c < m.comparisons.size(); ++c) {
    const auto& cp = m.comparisons[c];
    s << (c ? ", " : "") << "{\"name\": " << json_quoted(cp.name) << ", \"m_source\": " << json_quoted(cp.m_source)
      << ", \"levels\": [";
    for (std::size_t l = 0; l < cp.levels.size(); ++l)
      s << (l ? ", " : "") << "{\"label\": " << json_quoted(cp.levels[l].label) << ", \"m\": " << number(cp.levels[l].m)
        << ", \"u\": " << number(cp.levels[l].u) << ", \"weight\": " << fixed(m.level_weight(c, static_cast<int>(l)), 4) << "}";
    s << "]}";
  }
  s << "]}";
  return s.str();
}

std::string summary_json(const LinkResult& r, const LinkConfig& config, const RunFacts& f) {
  const PreparedInputs& in = *r.inputs;
  std::ostringstream s;
  s << "{\n  \"mode\": " << json_quoted(in.linking() ? "link" : "dedupe") << ",\n";
  s << "  \"config\": " << json_quoted(f.config_file) << ",\n";
  s << "  \"inputs\": [{\"file\": " << json_quoted(f.left_file) << ", \"records\": " << in.size(0) << "}";
  if (in.linking()) s << ", {\"file\": " << json_quoted(f.right_file) << ", \"records\": " << in.size(1) << "}";
  s << "],\n  \"fields\": [";
  for (std::size_t i = 0; i < in.field_count(); ++i) {
    const FieldValues& fv = in.field(static_cast<int>(i));
    s << (i ? ", " : "") << "{\"name\": " << json_quoted(fv.spec->name) << ", \"distinct_values\": " << fv.dictionary.size() - 1
      << ", \"non_null\": " << fv.non_null << ", \"unreadable\": " << fv.invalid;
    if (fv.invalid > 0)
      s << ", \"first_unreadable\": " << json_quoted(fv.first_invalid_source + ":" + std::to_string(fv.first_invalid_line));
    s << "}";
  }
  s << "],\n  \"blocking\": {\"all_pairs\": " << number(total_pairs(in)) << ", \"candidate_pairs\": " << r.candidate_pairs
    << ", \"rules\": [";
  for (std::size_t k = 0; k < r.rule_reports.size(); ++k) {
    const RuleReport& rr = r.rule_reports[k];
    s << (k ? ", " : "") << "\n    {\"rule\": " << json_quoted(rr.text) << ", \"pairs\": " << rr.count.holding
      << ", \"new_pairs\": " << rr.count.added << ", \"cumulative_pairs\": " << rr.cumulative
      << ", \"largest_block_pairs\": " << rr.count.largest_block << "}";
  }
  s << "]},\n";
  s << "  \"lost_matches\": {\"expected_lost\": " << number(r.lost.expected_lost) << ", \"standard_error\": "
    << number(r.lost.standard_error) << ", \"expected_found\": " << number(r.lost.expected_found)
    << ", \"blocking_recall\": " << number(r.lost.blocking_recall) << ", \"non_candidate_pairs\": "
    << number(r.lost.non_candidate_pairs) << ", \"scored\": " << r.lost.scored << ", \"exhaustive\": "
    << (r.lost.exhaustive ? "true" : "false") << ", \"strata\": " << r.lost.strata << "},\n";
  s << "  \"training\": {\"trained\": " << (r.trained ? "true" : "false") << ", \"seed\": " << config.training.seed
    << ", \"u_sample_pairs\": " << r.training.u_sample_pairs << ", \"m_from_rule\": " << json_quoted(r.training.m_rule)
    << ", \"m_from_rule_pairs\": " << r.training.m_rule_pairs << ", \"sampled_non_candidates\": "
    << r.training.sampled_non_candidates << ", \"candidate_match_share\": "
    << number(r.training.candidate_match_share) << ", \"sessions\": [";
  for (std::size_t k = 0; k < r.training.sessions.size(); ++k) {
    const EmSessionReport& e = r.training.sessions[k];
    s << (k ? ", " : "") << "\n    {\"rule\": " << json_quoted(e.rule) << ", \"pairs\": " << e.pairs << ", \"estimated\": [";
    for (std::size_t i = 0; i < e.estimated.size(); ++i) s << (i ? ", " : "") << json_quoted(e.estimated[i]);
    s << "], \"iterations\": " << e.iterations << ", \"converged\": " << (e.converged ? "true" : "false")
      << ", \"match_share\": " << number(e.match_share) << "}";
  }
  s << "], \"warnings\": [";
  for (std::size_t i = 0; i < r.training.warnings.size(); ++i) s << (i ? ", " : "") << json_quoted(r.training.warnings[i]);
  s << "]},\n";
  s << "  \"model\": " << model_summary_json(r.model) << ",\n";
  s << "  \"decisions\": {\"auto_link_probability\": " << number(config.decision.auto_link_probability)
    << ", \"review_probability\": " << number(config.decision.review_probability)
    << ", \"accepted_by_weight\": " << r.accepted_by_weight << ", \"refused_by_constraint\": " << r.clustering.refused.size()
    << ", \"links\": " << r.clustering.links.size() << ", \"review\": " << r.review.size()
    << ", \"below_review\": " << r.below_review << ", \"clusters\": " << r.clustering.clusters << "},\n";
  s << "  \"threads\": " << r.threads << ",\n  \"seconds\": {";
  for (std::size_t k = 0; k < r.times.size(); ++k) s << (k ? ", " : "") << json_quoted(r.times[k].phase) << ": " << fixed(r.times[k].seconds, 3);
  s << ", \"total\": " << fixed(f.total_seconds, 3) << "},\n";
  s << "  \"peak_memory_bytes\": " << f.peak_memory_bytes << "\n}\n";
  return s.str();
}

}  // namespace

std::uint64_t peak_memory_bytes() {
  rusage u{};
  if (getrusage(RUSAGE_SELF, &u) != 0) return 0;
  return static_cast<std::uint64_t>(u.ru_maxrss) * 1024;  // Linux reports KiB
}

void write_link_outputs(const LinkResult& r, const LinkConfig& config, const RunFacts& facts,
                        const std::filesystem::path& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw InputError(out_dir.string() + ": cannot create the output directory: " + ec.message());
  write_file(out_dir / "pairs.csv", pairs_csv(r));
  write_file(out_dir / "clusters.csv", clusters_csv(r));
  write_file(out_dir / "review.csv", scored_pairs_csv(r, r.review));
  write_file(out_dir / "refused_links.csv", scored_pairs_csv(r, r.clustering.refused));
  write_file(out_dir / "explanations.csv", explanations_csv(r));
  write_model(r.model, out_dir / "model.toml.tmp2");
  std::filesystem::rename(out_dir / "model.toml.tmp2", out_dir / "model.toml", ec);
  if (ec) throw InputError((out_dir / "model.toml").string() + ": cannot replace: " + ec.message());
  write_file(out_dir / "summary.json", summary_json(r, config, facts));
}

std::string summary_text(const LinkResult& r, const LinkConfig& config, const RunFacts& f) {
  const PreparedInputs& in = *r.inputs;
  std::ostringstream s;
  s << "severn link: " << (in.linking() ? "linked " : "deduplicated ") << in.size(0) << " records";
  if (in.linking()) s << " against " << in.size(1);
  s << " in " << fixed(f.total_seconds, 2) << " s on " << r.threads << " thread(s), peak memory "
    << fixed(static_cast<double>(f.peak_memory_bytes) / (1024.0 * 1024.0), 0) << " MiB\n";
  s << "blocking (" << number(total_pairs(in)) << " possible pairs):\n";
  for (const RuleReport& rr : r.rule_reports)
    s << "  " << rr.count.holding << " pairs, " << rr.count.added << " new, " << rr.cumulative << " cumulative: " << rr.text << "\n";
  s << "  lost matches (estimated from the model): " << fixed(r.lost.expected_lost, 2) << " +/- "
    << fixed(r.lost.standard_error, 2) << " (blocking recall " << fixed(r.lost.blocking_recall, 4) << ", "
    << (r.lost.exhaustive ? "all " : "") << r.lost.scored << " non-candidate pairs scored in " << r.lost.strata << " strata)\n";
  s << "model: lambda " << number(r.model.lambda) << (r.trained ? " (trained)" : " (loaded)") << "\n";
  for (const std::string& w : r.training.warnings) s << "  warning: " << w << "\n";
  s << "decisions: " << r.clustering.links.size() << " links at match probability >= " << config.decision.auto_link_probability;
  if (!r.clustering.refused.empty()) s << " (" << r.clustering.refused.size() << " more refused by cluster constraints)";
  s << ", " << r.review.size() << " for clerical review (>= " << config.decision.review_probability << "), "
    << r.below_review << " below; " << r.clustering.clusters << " clusters\n";
  s << "times:";
  for (const PhaseTime& t : r.times) s << " " << t.phase << " " << fixed(t.seconds, 2) << " s;";
  s << "\n";
  return s.str();
}

std::string waterfall_text(const Explanation& e, std::string_view left_id, std::string_view right_id) {
  std::ostringstream s;
  s << "pair " << left_id << " / " << right_id << "\n";
  char line[512];
  std::snprintf(line, sizeof line, "  %-18s %-22s %-22s %-24s %9s %9s %9s\n", "comparison", "left", "right", "level", "weight",
                "tf adj", "running");
  s << line;
  double running = e.prior_weight;
  std::snprintf(line, sizeof line, "  %-18s %-22s %-22s %-24s %9.3f %9s %9.3f\n", "prior (lambda)", "", "", "", e.prior_weight,
                "", running);
  s << line;
  const auto cut = [](const std::string& v) { return v.size() > 22 ? v.substr(0, 21) + "~" : v; };
  for (const Contribution& x : e.contributions) {
    running += x.weight();
    std::snprintf(line, sizeof line, "  %-18s %-22s %-22s %-24s %9.3f %9.3f %9.3f\n", cut(x.comparison).c_str(),
                  cut(x.left_value).c_str(), cut(x.right_value).c_str(), cut(x.label).c_str(), x.level_weight,
                  x.term_frequency_weight, running);
    s << line;
  }
  std::snprintf(line, sizeof line, "  match weight %.3f, match probability %.10g\n", e.match_weight, e.match_probability);
  s << line;
  return s.str();
}

}  // namespace severn::identity
