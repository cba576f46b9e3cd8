// Spec tests as data (tests/spec/*.spec, described in tests/spec/README.md): each file is a
// small extract (the hand-written three-person extract of tests/ingest, with rows added or files
// replaced), a definition and the outputs expected, run on every engine: the native engine over
// the ingested store, and the SQL engine over the store's warehouse in PostgreSQL and in DuckDB.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/csv_table.h"
#include "core/error.h"
#include "differential.h"
#include "engine/run.h"
#include "measures/run_definition.h"
#include "ingest_fixture.h"

namespace severn::testing {
namespace {

const std::filesystem::path kSpecDir = std::filesystem::path(SEVERN_SOURCE_DIR) / "tests" / "spec";

struct Expectation {
  std::string file;      // an output file
  std::string how;       // "" whole file, "columns N", "contains"
  std::string text;
};

struct Spec {
  std::map<std::string, std::string> files = valid_extract();   // the extract
  std::map<std::string, std::string> beside;                    // files beside the definition
  std::string definition;
  std::string index_date = "2025-03-31";
  bool disclosure = false;
  disclosure::Policy policy;
  std::vector<Expectation> expect;
  // `--- sql refuses`: what the SQL engines' error must say (a construct they do not compile
  // yet); the native engine must give the outputs expected.
  std::string sql_refuses;
};

// Sections start with a line "--- what [argument ...]" and run to the next.
Spec parse_spec(const std::filesystem::path& path) {
  Spec spec;
  spec.beside["snomed.csv"] = "code,term\n271649006,Systolic blood pressure\n";
  spec.beside["icd.csv"] = "code,term\nI10,Essential hypertension\nW19,Fall\n";
  std::ifstream in(path, std::ios::binary);
  std::string line, head, body;
  const auto fail = [&](const std::string& why) { return std::runtime_error(path.string() + ": " + why); };
  const auto finish = [&] {
    if (head.empty()) return;  // the description before the first section
    std::istringstream h(head);
    std::string what, arg, rest;
    h >> what >> arg;
    std::getline(h, rest);
    if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
    if (what == "append") spec.files.at(arg) += body;  // throws for a file the extract lacks
    else if (what == "replace") spec.files[arg] = body;
    else if (what == "file") spec.beside[arg] = body;
    else if (what == "definition") spec.definition = body;
    else if (what == "index_date") spec.index_date = arg;
    else if (what == "disclosure") {
      spec.disclosure = true;
      std::istringstream b(body);
      std::string key;
      int v = 0;
      while (b >> key >> v) {
        if (key == "redact_max") spec.policy.redact_max = v;
        else if (key == "round_to") spec.policy.round_to = v;
        else throw fail("unknown disclosure setting '" + key + "'");
      }
    } else if (what == "expect") spec.expect.push_back({arg, rest, body});
    else if (what == "sql" && arg == "refuses") {
      spec.sql_refuses = body;
      while (!spec.sql_refuses.empty() && spec.sql_refuses.back() == '\n') spec.sql_refuses.pop_back();
      if (spec.sql_refuses.empty()) throw fail("'sql refuses' says nothing the refusal must contain");
    }
    else throw fail("unknown section '" + what + "'");
  };
  while (std::getline(in, line)) {
    if (line.rfind("--- ", 0) == 0) {
      finish();
      head = line.substr(4);
      body.clear();
    } else {
      body += line + "\n";
    }
  }
  finish();
  if (spec.definition.empty()) throw fail("no definition");
  if (spec.expect.empty()) throw fail("nothing expected");
  return spec;
}

// dataset.csv without its pseudonym column (keyed hashes, not worth writing into a spec).
std::string without_first_column(const std::string& csv) {
  std::istringstream in(csv);
  std::string line, out;
  while (std::getline(in, line)) out += line.substr(line.find(',') == std::string::npos ? line.size() : line.find(',') + 1) + "\n";
  return out;
}

std::string first_columns(const std::string& csv, std::size_t columns) {
  const CsvTable t = CsvTable::parse(csv, "output");
  std::string out;
  for (std::size_t c = 0; c < columns; ++c) out += (c ? "," : "") + t.header().at(c);
  out += "\n";
  for (std::size_t r = 0; r < t.rows(); ++r) {
    for (std::size_t c = 0; c < columns; ++c) out += (c ? "," : "") + t.cell(r, c);
    out += "\n";
  }
  return out;
}

// "" if the output meets the expectation, else what is wrong.
std::string check(const Expectation& e, const std::filesystem::path& out) {
  if (!std::filesystem::exists(out / e.file)) return e.file + " was not written";
  std::string got = read_text(out / e.file);
  if (e.how == "contains") {
    std::istringstream want(e.text);
    std::string line;
    while (std::getline(want, line))
      if (got.find(line) == std::string::npos) return e.file + " lacks '" + line + "':\n" + got;
    return "";
  }
  if (e.file == "dataset.csv") got = without_first_column(got);
  if (e.how.rfind("columns ", 0) == 0) got = first_columns(got, std::stoul(e.how.substr(8)));
  else if (!e.how.empty()) return "unknown expectation '" + e.how + "'";
  const std::string d = first_difference(e.text, got);
  return d.empty() ? "" : e.file + (e.how.empty() ? "" : " (" + e.how + ")") + " differs from the spec at " + d;
}

std::vector<std::string> spec_names() {
  std::vector<std::string> names;
  for (const auto& f : std::filesystem::directory_iterator(kSpecDir))
    if (f.path().extension() == ".spec") names.push_back(f.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

// One spec on every engine; failures name the engine and the file.
void run_spec(const std::string& name) {
  const Spec spec = parse_spec(kSpecDir / (name + ".spec"));
  Scratch s("spec-" + name);
  write_extract(s.dir() / "src", spec.files);
  ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "store", write_key(s.dir())));
  for (const auto& [name, text] : spec.beside) write_text(s.dir() / name, text);
  write_text(s.dir() / "def.sev", spec.definition);
  const auto checked = lang::check_file((s.dir() / "def.sev").string(), lang::CheckOptions{});
  const auto store = store::Store::open(s.dir() / "store");
  std::string schema = "spec_" + name;
  for (char& c : schema)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  Warehouses warehouses(*store, schema, s.dir());

  measures::RunOptions o;
  o.index_date = *parse_iso_date(spec.index_date);
  o.threads = 2;
  o.data_dir = SEVERN_TEST_DATA_DIR;
  o.disclosure_control = spec.disclosure;
  o.policy = spec.policy;
  const std::vector<const lang::CheckedDefinition*> defs{&checked};
  const auto run = [&](const std::string& engine, auto evaluate) {
    o.out = s.dir() / engine;
    std::vector<engine::Evaluated> evaluated = evaluate(std::vector<engine::EvaluateOptions>{o});
    measures::publish_definitions(evaluated, defs, {"definition"}, o);
    for (const auto& e : spec.expect) EXPECT_EQ(check(e, o.out), "") << engine << ": " << name << ".spec";
  };
  run("native", [&](const auto& opts) { return engine::evaluate(*store, defs, opts); });
  if (!spec.sql_refuses.empty()) {
    // Each SQL engine must refuse the definition, saying why, before writing anything.
    const auto refused = [&](const std::string& engine, auto evaluate) {
      o.out = s.dir() / engine;
      try {
        evaluate(std::vector<engine::EvaluateOptions>{o});
        ADD_FAILURE() << engine << ": " << name << ".spec: the SQL engine ran a definition it must refuse";
      } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(spec.sql_refuses), std::string::npos)
            << engine << ": " << name << ".spec: refused with '" << e.what() << "'";
      }
      EXPECT_FALSE(std::filesystem::exists(o.out / "measures.csv")) << engine << ": " << name << ".spec";
    };
    refused("postgres", [&](const auto& opts) { return sql::evaluate_sql(warehouses.postgres(), schema, defs, opts); });
    refused("duckdb", [&](const auto& opts) { return sql::evaluate_sql(warehouses.duckdb(), "", defs, opts); });
  } else {
    run("postgres", [&](const auto& opts) { return sql::evaluate_sql(warehouses.postgres(), schema, defs, opts); });
    run("duckdb", [&](const auto& opts) { return sql::evaluate_sql(warehouses.duckdb(), "", defs, opts); });
  }
  // SEVERN_SPEC_OUT=DIR keeps every engine's outputs, for writing a new spec's expectations.
  if (const char* keep = std::getenv("SEVERN_SPEC_OUT"))
    std::filesystem::copy(s.dir(), std::filesystem::path(keep) / name, std::filesystem::copy_options::recursive);
}

// One test, so that one PostgreSQL cluster serves every spec (ctest runs each test in its own
// process, with its own cluster).
TEST(SpecFiles, EveryEngineGivesTheExpectedOutputs) {
  SEVERN_REQUIRE_PACK();
  const auto names = spec_names();
  ASSERT_GE(names.size(), 20U);
  // SEVERN_SPEC=NAME runs that spec alone.
  const char* only = std::getenv("SEVERN_SPEC");
  for (const auto& name : names) {
    if (only != nullptr && name != only) continue;
    SCOPED_TRACE(name + ".spec");
    try {
      run_spec(name);
    } catch (const std::exception& e) {
      ADD_FAILURE() << name << ".spec: " << e.what();
    }
  }
  std::printf("%zu spec files, each on the native engine, PostgreSQL and DuckDB\n", names.size());
}

}  // namespace
}  // namespace severn::testing
