// `severn library`: what the built-in content library holds, and its definitions' text.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "core/error.h"
#include "lang/library.h"

namespace severn::cli {

void add_library(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "library", "The built-in content library (docs/library.md). Each definition is used as library:NAME "
                 "wherever a .sev file is expected, for example `severn run library:hypertension --store ...`.");
  cmd->require_subcommand(1);

  CLI::App* list = cmd->add_subcommand("list", "Name, title, source and version of every library definition");
  list->callback([] {
    const auto entries = lang::library_entries();
    for (const auto& e : entries)
      std::printf("library:%s\n  %s\n  source:  %s\n  version: %s\n", e.name.c_str(), e.title.c_str(),
                  e.source.c_str(), e.version.c_str());
    std::printf("%zu library definitions\n", entries.size());
  });

  auto name = std::make_shared<std::string>();
  CLI::App* show = cmd->add_subcommand("show", "Print a library definition's text");
  show->add_option("NAME", *name, "Definition name (as in `severn library list`, with or without library:)")->required();
  show->callback([name] {
    std::string n = *name;
    if (lang::is_library_path(n)) n = n.substr(lang::kLibraryPrefix.size());
    const auto e = lang::find_library(n);
    if (!e) throw InputError("library: no definition '" + n + "' (`severn library list` names them)");
    std::fwrite(e->text.data(), 1, e->text.size(), stdout);
  });
}

}  // namespace severn::cli
