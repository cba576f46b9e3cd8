// Fuzzes the .sev front end as `severn check` runs it without data: lexer, parser and checker,
// including loading the code lists and reference rates a definition names.
//
// The filesystem the checker sees is a sandbox made once per process in a scratch directory:
//
//   definitions/             where the definition "is" (it is never written; it stays in memory)
//   resources/codelists/     Severn's own code lists (written out from the embedded resources), so
//                            "../resources/codelists/x.csv" resolves as it does in the repository
//   data/codelists/          the reference pack's code lists, copied (the --data of `severn check`)
//   data/standards/          the pack's standard populations and reference rates
//
// A definition naming a file outside the sandbox (an absolute path, or enough "../") is parsed but
// not checked, so fuzzing never reads the rest of the machine. Every input that passes the lexer
// and parser is also checked a second time as a library definition ("library:fuzz"), whose code
// lists resolve among the embedded resources only.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/embedded.h"
#include "core/error.h"
#include "lang/checker.h"
#include "lang/diagnostic.h"
#include "lang/parser.h"
#include "refdata/data_dir.h"
#include "scratch_dir.h"

namespace severn::fuzz {
namespace {

namespace fs = std::filesystem;

struct Sandbox {
  ScratchDir dir{"sev"};
  fs::path definition, pack_codelists;

  Sandbox() {
    const fs::path root = dir.path();
    definition = root / "definitions" / "fuzz.sev";
    pack_codelists = root / "data" / "codelists";
    fs::create_directories(definition.parent_path());
    fs::create_directories(pack_codelists);
    fs::create_directories(root / "data" / "standards");
    for (const auto& r : embedded::all())
      if (r.path.substr(0, 10) == "codelists/") write_file(root / "resources" / std::string(r.path), r.bytes);
    try {
      const auto pack = refdata::DataDir::resolve("");
      for (const char* sub : {"codelists", "standards"})
        fs::copy(pack.root() / sub, root / "data" / sub, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sev_check fuzzer: %s\n  fuzzing without the reference pack's code lists\n", e.what());
    }
  }

  // Whether `written`, looked up from `base`, stays inside the sandbox.
  bool inside(const fs::path& base, const std::string& written) const {
    if (written.find('\0') != std::string::npos) return false;
    const fs::path p(written);
    if (p.is_absolute() || p.has_root_name() || p.has_root_directory()) return false;
    const std::string root = dir.path().lexically_normal().string() + "/";
    const std::string resolved = (base / p).lexically_normal().string();
    return resolved.compare(0, root.size(), root) == 0;
  }

  // Every file the checker may open for this definition is inside the sandbox.
  bool confines(const lang::Definition& d) const {
    const fs::path standards = pack_codelists.parent_path() / "standards";
    for (const auto& c : d.codelists)
      if (!inside(definition.parent_path(), c.path) || !inside(pack_codelists, c.path)) return false;
    for (const auto& m : d.measures)
      if (!m.stats.reference.empty() &&
          (!inside(definition.parent_path(), m.stats.reference) || !inside(standards, m.stats.reference)))
        return false;
    return true;
  }
};

void check_as(const lang::SourceFile& file, lang::Definition definition, const lang::CheckOptions& options) {
  try {
    (void)lang::check(file, std::move(definition), options);
  } catch (const InputError&) {
    // DefinitionError (a refused definition) and InputError are the documented outcomes.
  }
}

}  // namespace
}  // namespace severn::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace severn;
  using namespace severn::fuzz;
  static const Sandbox sandbox;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const lang::SourceFile file(sandbox.definition.string(), text);
  lang::Definition definition;
  try {
    definition = lang::parse(file);  // lexes first
  } catch (const InputError&) {
    return 0;  // refused with a diagnostic: the front end did its job
  }
  if (!sandbox.confines(definition)) return 0;
  lang::CheckOptions options;
  options.pack_codelists_dir = sandbox.pack_codelists.string();
  check_as(file, std::move(definition), options);
  const lang::SourceFile library_file("library:fuzz", text);
  check_as(library_file, lang::parse(library_file), lang::CheckOptions{});
  return 0;
}
