#include "identity/model.h"

#include <toml++/toml.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace severn::identity {

namespace {
constexpr const char* kFormat = "severn linkage model 1";
}

double Model::prior_weight() const { return std::log2(lambda / (1.0 - lambda)); }

double Model::level_weight(std::size_t comparison, int level) const {
  if (level == kNullLevel) return 0.0;
  const LevelParameters& l = comparisons[comparison].levels[static_cast<std::size_t>(level)];
  return std::log2(std::max(l.m, kProbabilityFloor) / std::max(l.u, kProbabilityFloor));
}

double Model::pattern_weight(Pattern p) const {
  double w = prior_weight();
  for (std::size_t c = 0; c < comparisons.size(); ++c) w += level_weight(c, pattern_level(p, c));
  return w;
}

double probability_from_weight(double weight) { return 1.0 / (1.0 + std::exp2(-weight)); }
double weight_from_probability(double p) { return std::log2(p / (1.0 - p)); }

std::string model_toml(const Model& model) {
  toml::table root;
  root.insert("format", kFormat);
  root.insert("lambda", model.lambda);
  toml::array comparisons;
  for (const auto& c : model.comparisons) {
    toml::table t;
    t.insert("name", c.name);
    t.insert("m_source", c.m_source);
    toml::array levels;
    for (const auto& l : c.levels) {
      toml::table lt;
      lt.insert("label", l.label);
      lt.insert("m", l.m);
      lt.insert("u", l.u);
      levels.push_back(std::move(lt));
    }
    t.insert("levels", std::move(levels));
    comparisons.push_back(std::move(t));
  }
  root.insert("comparison", std::move(comparisons));
  std::ostringstream text;
  text << "# Fellegi-Sunter linkage model written by severn (docs/linkage.md).\n"
          "# m = P(level | match), u = P(level | non-match); lambda = P(match) for a random pair.\n"
       << root << "\n";
  return text.str();
}

void write_model(const Model& model, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError(path.string() + ": cannot open for writing");
  out << model_toml(model);
  if (!out) throw InputError(path.string() + ": write failed");
}

Model read_model(const std::filesystem::path& path, const std::vector<Comparison>& comparisons) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the model file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_model(text.str(), path.string(), comparisons);
}

Model parse_model(std::string_view text, const std::string& file, const std::vector<Comparison>& comparisons) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    throw InputError(located(file, static_cast<std::int64_t>(e.source().begin.line), "", "TOML syntax: " + std::string(e.description())));
  }
  const auto fail = [&](const toml::node* n, const std::string& key, const std::string& reason) -> void {
    throw InputError(located(file, n != nullptr ? static_cast<std::int64_t>(n->source().begin.line) : 0, key, reason));
  };
  if (root["format"].value<std::string>() != kFormat) fail(root.get("format"), "format", std::string("expected \"") + kFormat + "\"");
  Model m;
  const auto lambda = root["lambda"].value<double>();
  if (!lambda || !(*lambda > 0.0 && *lambda < 1.0)) fail(root.get("lambda"), "lambda", "expected a probability strictly between 0 and 1");
  m.lambda = *lambda;
  const toml::array* cs = root["comparison"].as_array();
  if (cs == nullptr || cs->size() != comparisons.size())
    fail(root.get("comparison"), "comparison", "expected " + std::to_string(comparisons.size()) + " comparisons, as in the configuration");
  for (std::size_t c = 0; c < comparisons.size(); ++c) {
    const toml::table* t = (*cs)[c].as_table();
    if (t == nullptr) fail(&(*cs)[c], "comparison", "expected a table");
    ComparisonParameters p;
    p.name = (*t)["name"].value_or(std::string());
    p.m_source = (*t)["m_source"].value_or(std::string());
    if (p.name != comparisons[c].name)
      fail(t, "comparison.name", "comparison " + std::to_string(c + 1) + " is '" + p.name + "' in the model but '" + comparisons[c].name + "' in the configuration");
    const toml::array* levels = (*t)["levels"].as_array();
    if (levels == nullptr || levels->size() != comparisons[c].level_count())
      fail(t, "comparison.levels", "'" + p.name + "' has a different number of levels from the configuration");
    for (std::size_t l = 0; l < levels->size(); ++l) {
      const toml::table* lt = (*levels)[l].as_table();
      if (lt == nullptr) fail(t, "comparison.levels", "expected tables");
      LevelParameters lp;
      lp.label = (*lt)["label"].value_or(std::string());
      const auto mm = (*lt)["m"].value<double>(), uu = (*lt)["u"].value<double>();
      if (!mm || !uu || !(*mm >= 0.0 && *mm <= 1.0) || !(*uu >= 0.0 && *uu <= 1.0))
        fail(lt, "comparison.levels", "'" + p.name + "' level " + std::to_string(l + 1) + ": m and u must be probabilities");
      if (lp.label != comparisons[c].labels[l])
        fail(lt, "comparison.levels", "'" + p.name + "' level " + std::to_string(l + 1) + " is '" + lp.label +
                                          "' in the model but '" + comparisons[c].labels[l] + "' in the configuration");
      lp.m = *mm;
      lp.u = *uu;
      p.levels.push_back(lp);
    }
    m.comparisons.push_back(std::move(p));
  }
  return m;
}

}  // namespace severn::identity
