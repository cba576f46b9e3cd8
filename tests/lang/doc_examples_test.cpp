// Every example in docs/language.md, checked with `severn check` and run with the engine. The rules
// (also stated at the top of the document, in an HTML comment):
//
//   ```sev          A definition. It is saved as definitions/example.sev in a scratch copy of the
//                   repository layout (resources/ beside definitions/, the reference pack as
//                   --data). `severn check` must pass it, and the engine (measures::run_definition, as
//                   `severn run` calls it) must run it without error on a tiny store of three
//                   people, with index date 2025-03-31. A block with no line
//                   starting `population` gets `population true` added at the end, so line
//                   numbers do not move. `# => VALUE` at the end of a `variable NAME = ...` line
//                   says that every row of dataset.csv holds VALUE in column NAME (`null`: empty).
//   ```sev-error    A definition that `severn check` must refuse. It is checked exactly as written.
//   ```text         Directly after a sev or sev-error block (only blank lines between): everything
//                   `severn check definitions/example.sev --data ../shared/data` prints for it
//                   from the repository root; stdout when it passes, stderr when it fails.
//   file=PATH       On a sev block: the example is saved as PATH instead, and must equal that file
//                   of the repository byte for byte. On a csv block: the text is written to
//                   definitions/PATH before any example is checked.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv_table.h"
#include "measures/run_definition.h"
#include "ingest/ingest_fixture.h"
#include "lang/checker.h"
#include "store/store.h"

namespace severn::testing {
namespace {

namespace fs = std::filesystem;

struct Block {
  std::string lang;      // sev, sev-error, csv, text, ...
  std::string file;      // file=PATH, or empty
  std::string text;
  int line = 0;          // of the opening fence in docs/language.md
  int output = -1;       // index of the text block right after it, or -1
};

struct Doc {
  std::vector<Block> blocks;
  std::vector<std::string> problems;  // malformed fences, with their line
};

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const auto b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

Doc read_doc() {
  Doc doc;
  const std::string text = read_text(fs::path(SEVERN_SOURCE_DIR) / "docs/language.md");
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    const auto nl = text.find('\n', at);
    lines.push_back(text.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
    at = nl == std::string::npos ? text.size() : nl + 1;
  }
  int open = -1;          // index into doc.blocks of the block being read
  int last_example = -1;  // the sev / sev-error block a text block may follow
  int number = 0;
  const auto problem = [&](const std::string& what) {
    doc.problems.push_back("line " + std::to_string(number) + ": " + what);
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    number = static_cast<int>(i) + 1;
    const bool fence = l.rfind("```", 0) == 0;
    if (!fence && trim(l).rfind("```", 0) == 0 && trim(l).find("sev") != std::string::npos)
      problem("indented ```sev fence (write fences at column 1)");
    if (open >= 0) {
      if (fence) {
        if (trim(l) != "```") problem("a fence opens inside a block");
        open = -1;
      } else {
        doc.blocks[static_cast<std::size_t>(open)].text += l + "\n";
      }
      continue;
    }
    if (!fence) {
      if (!trim(l).empty()) last_example = -1;
      continue;
    }
    Block b;
    b.line = number;
    std::size_t at = 3;
    bool first = true;
    while (at < l.size()) {
      const auto start = l.find_first_not_of(' ', at);
      if (start == std::string::npos) break;
      const auto end = l.find(' ', start);
      const std::string word = l.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (first) b.lang = word;
      else if (word.rfind("file=", 0) == 0) b.file = word.substr(5);
      else problem("unknown fence attribute '" + word + "'");
      first = false;
      at = end == std::string::npos ? l.size() : end;
    }
    if (!b.file.empty() && b.lang != "sev" && b.lang != "csv") problem("file= is only for sev and csv blocks");
    const int index = static_cast<int>(doc.blocks.size());
    if (b.lang == "text" && last_example >= 0)
      doc.blocks[static_cast<std::size_t>(last_example)].output = index;
    last_example = (b.lang == "sev" || b.lang == "sev-error") ? index : -1;
    doc.blocks.push_back(b);
    open = index;
  }
  if (open >= 0) {
    number = doc.blocks[static_cast<std::size_t>(open)].line;
    problem("this block is never closed");
  }
  return doc;
}

std::string where(const Block& b) { return "docs/language.md:" + std::to_string(b.line); }

bool has_population(const std::string& text) {
  static const std::regex population(R"((^|\n)[ \t]*population\b)");
  return std::regex_search(text, population);
}

// A scratch copy of the repository layout: definitions/ for the examples, resources/ beside it
// (so ../resources/codelists/... resolves as it does for the shipped definitions).
class Layout {
 public:
  Layout() : scratch_("doc-examples") {
    fs::create_directories(root() / "definitions");
    fs::create_directory_symlink(fs::path(SEVERN_SOURCE_DIR) / "resources", root() / "resources");
  }
  fs::path root() const { return scratch_.dir() / "repo"; }
  fs::path dir() const { return scratch_.dir(); }
  static std::string pack() { return fs::path(SEVERN_TEST_DATA_DIR).lexically_normal().string(); }

  // Writes the csv blocks, then the example; returns its path relative to root().
  std::string save(const Doc& doc, const Block& b) const {
    for (const auto& c : doc.blocks)
      if (c.lang == "csv" && !c.file.empty()) write_text(root() / "definitions" / c.file, c.text);
    std::string text = b.text;
    if (b.lang == "sev" && !has_population(text)) text += "population true\n";
    const std::string rel = b.file.empty() ? "definitions/example.sev" : b.file;
    write_text(root() / rel, text);
    return rel;
  }

  struct Result {
    int exit_code = -1;
    std::string out, err;
  };
  // `severn check REL --data PACK` from root(), with the pack's path printed as ../shared/data.
  Result check(const std::string& rel) const {
    const fs::path out = scratch_.dir() / "check.out", err = scratch_.dir() / "check.err";
    const std::string command = "cd '" + root().string() + "' && '" + SEVERN_BINARY + "' check '" + rel +
                                "' --data '" + pack() + "' >'" + out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(command.c_str());
    Result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = unpack(read_text(out));
    r.err = unpack(read_text(err));
    return r;
  }

 private:
  static std::string unpack(std::string s) {
    const std::string p = pack();
    for (auto at = s.find(p); at != std::string::npos; at = s.find(p, at)) {
      s.replace(at, p.size(), "../shared/data");
      at += std::string("../shared/data").size();
    }
    return s;
  }
  Scratch scratch_;
};

class DocExamples : public ::testing::Test {
 protected:
  void SetUp() override {
    SEVERN_REQUIRE_PACK();
    doc_ = read_doc();
  }
  std::vector<const Block*> of(const std::string& lang) const {
    std::vector<const Block*> out;
    for (const auto& b : doc_.blocks)
      if (b.lang == lang) out.push_back(&b);
    return out;
  }
  const Block* output_of(const Block& b) const {
    return b.output < 0 ? nullptr : &doc_.blocks[static_cast<std::size_t>(b.output)];
  }
  Doc doc_;
};

TEST_F(DocExamples, TheDocumentIsWellFormedAndHasExamplesOfEveryKind) {
  for (const auto& p : doc_.problems) ADD_FAILURE() << "docs/language.md: " << p;
  // Floors a little under the counts when written, so that losing examples is noticed.
  EXPECT_GE(of("sev").size(), 25U);
  EXPECT_GE(of("sev-error").size(), 25U);
  for (const Block* b : of("sev-error"))
    EXPECT_NE(output_of(*b), nullptr) << where(*b) << ": a sev-error block needs the ```text block of "
                                      << "what severn check prints right after it";
}

TEST_F(DocExamples, ExamplesPassSevernCheck) {
  Layout layout;
  for (const Block* b : of("sev")) {
    const auto r = layout.check(layout.save(doc_, *b));
    EXPECT_EQ(r.exit_code, 0) << where(*b) << ": severn check refused the example:\n" << r.err;
    EXPECT_EQ(r.err, "") << where(*b);
    if (const Block* shown = output_of(*b)) {
      EXPECT_EQ(r.out, shown->text) << where(*b) << ": severn check printed otherwise";
    }
  }
}

TEST_F(DocExamples, ErrorExamplesPrintTheMessageShown) {
  Layout layout;
  for (const Block* b : of("sev-error")) {
    const auto r = layout.check(layout.save(doc_, *b));
    EXPECT_EQ(r.exit_code, 1) << where(*b) << ": severn check should refuse this example";
    EXPECT_EQ(r.out, "") << where(*b);
    if (const Block* shown = output_of(*b)) {
      EXPECT_EQ(r.err, shown->text) << where(*b) << ": severn check printed otherwise";
    }
  }
}

TEST_F(DocExamples, FileExamplesAreTheRepositoryFiles) {
  int files = 0;
  for (const Block* b : of("sev")) {
    if (b->file.empty()) continue;
    ++files;
    EXPECT_EQ(b->text, read_text(fs::path(SEVERN_SOURCE_DIR) / b->file)) << where(*b) << ": differs from " << b->file;
  }
  EXPECT_GE(files, 1);
}

// The tiny store: the three people of the ingest tests' valid extract (ingest_fixture.h), with a
// hypertension diagnosis and blood pressure readings added so that the tutorial's measure counts
// someone.
std::map<std::string, std::string> tiny_extract() {
  auto files = valid_extract();
  files["gp/events.csv"] +=
      "9996125483,2015-06-01,38341003,\n"       // Marion: hypertensive disorder
      "9996125483,2024-11-05,271649006,138\n"   // systolic
      "9996125483,2024-11-05,163031004,84\n"    // diastolic
      "9990434174,2012-03-01,59621000,\n"       // Gerald: essential hypertension
      "9990434174,2023-05-01,271649006,150\n"
      "9990434174,2023-05-01,163031004,95\n"
      "9997366956,2025-01-10,271649006,122\n";  // Aisha
  return files;
}

TEST_F(DocExamples, ExamplesRunOnATinyStore) {
  Layout layout;
  write_extract(layout.dir() / "src", tiny_extract());
  const auto ingested =
      ingest::run_ingest(options_for(layout.dir() / "src", layout.dir() / "store", write_key(layout.dir())));
  for (const auto& e : ingested.ledger) ASSERT_EQ(e.quarantined, 0U) << e.source;
  const auto store = store::Store::open(layout.dir() / "store");
  lang::CheckOptions options;
  options.pack_codelists_dir = Layout::pack() + "/codelists";
  static const std::regex assertion(R"(^[ \t]*variable[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*=.*#[ \t]*=>[ \t]*(.*)$)");
  int assertions = 0;
  for (const Block* b : of("sev")) {
    const fs::path out = layout.dir() / "out";
    fs::remove_all(out);
    try {
      const auto checked = lang::check_file((layout.root() / layout.save(doc_, *b)).string(), options);
      measures::RunOptions o;
      o.out = out;
      o.index_date = days_from_civil(2025, 3, 31);
      o.threads = 1;
      o.data_dir = SEVERN_TEST_DATA_DIR;
      o.disclosure_control = false;  // the examples assert exact values of a tiny population
      measures::run_definition(*store, checked, o);
    } catch (const std::exception& e) {
      ADD_FAILURE() << where(*b) << ": " << e.what();
      continue;
    }
    const CsvTable dataset = CsvTable::read_file(out / "dataset.csv");
    std::istringstream lines(b->text);
    std::smatch m;
    for (std::string line; std::getline(lines, line);) {
      if (!std::regex_match(line, m, assertion)) continue;
      ++assertions;
      const std::string want = trim(m[2].str()) == "null" ? "" : trim(m[2].str());
      EXPECT_GT(dataset.rows(), 0U) << where(*b) << ": no one in the population to test '" << line << "'";
      for (std::size_t r = 0; r < dataset.rows(); ++r)
        EXPECT_EQ(dataset.cell(r, m[1].str()), want) << where(*b) << ": " << line << " (row " << r << ")";
    }
  }
  EXPECT_GE(assertions, 60);
  std::printf("docs/language.md: %zu examples run, %d values checked\n", of("sev").size(), assertions);
}

}  // namespace
}  // namespace severn::testing
