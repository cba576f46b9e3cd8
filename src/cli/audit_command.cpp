// `severn audit`: checking and exporting the audit log of `severn serve` (docs/serve/audit.md).
//   severn audit verify --log LOG --key KEY
//   severn audit export --log LOG [--key KEY] [--format csv|jsonl] [--out FILE]
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/error.h"
#include "server/audit_log.h"
#include "server/owner_only_file.h"

namespace severn::cli {
namespace {

struct AuditArgs {
  std::string log, key, format = "csv", out;
};

void run_verify(const AuditArgs& a) {
  const server::AuditVerification v = server::verify_audit_log(a.log, a.key);
  if (!v.ok) throw InputError("audit: " + a.log + ": chain broken: " + v.problem);
  std::printf("audit: %llu lines, chain intact\n", static_cast<unsigned long long>(v.lines));
}

// The lines as stored (each still verifiable), after checking that every one is an audit line.
std::string jsonl_text(const std::string& log) {
  server::read_audit_log(log);
  std::ifstream in(log, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void run_export(const AuditArgs& a) {
  if (!a.key.empty()) {
    const server::AuditVerification v = server::verify_audit_log(a.log, a.key);
    if (!v.ok) throw InputError("audit: " + a.log + ": chain broken, not exported: " + v.problem);
  }
  const std::string text = a.format == "jsonl" ? jsonl_text(a.log) : server::audit_csv(server::read_audit_log(a.log));
  if (a.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  // The export names users and their addresses: it gets the log's own owner-only mode.
  server::replace_owner_only_file(a.out, text);
  std::fprintf(stderr, "severn audit: wrote %s\n", a.out.c_str());
}

}  // namespace

void add_audit(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("audit", "Verify and export the audit log of severn serve (docs/serve/audit.md)");
  cmd->require_subcommand(1);
  auto a = std::make_shared<AuditArgs>();

  CLI::App* verify = cmd->add_subcommand("verify", "Check every line's mac, the chain and the head file; exit 1 naming "
                                                   "the first bad line");
  verify->add_option("--log", a->log, "The audit log")->required();
  verify->add_option("--key", a->key, "The audit key file (32 bytes, mode 0600)")->required();
  verify->callback([a] { run_verify(*a); });

  CLI::App* exp = cmd->add_subcommand("export", "Write the log as CSV (for a spreadsheet) or JSON lines (as stored)");
  exp->add_option("--log", a->log, "The audit log")->required();
  exp->add_option("--key", a->key, "Verify the chain with this key first and refuse a broken log");
  exp->add_option("--format", a->format, "csv (default) or jsonl")->check(CLI::IsMember({"csv", "jsonl"}));
  exp->add_option("--out", a->out, "Write here (mode 0600) instead of stdout");
  exp->callback([a] { run_export(*a); });
}

}  // namespace severn::cli
