// Checks definition text written to a scratch directory beside two small code lists, and returns
// either "" (it checked) or the rendered errors.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "lang/checker.h"
#include "lang/diagnostic.h"

namespace severn::lang::testing {

class LangScratch {
 public:
  LangScratch() : dir_(std::filesystem::temp_directory_path() / ("severn-lang-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
    write("snomed.csv", "code,term\n38341003,Hypertensive disorder\n271649006,Systolic blood pressure\n");
    write("icd.csv", "code,term\nI10,Essential hypertension\nI11.9,Hypertensive heart disease\n");
  }
  ~LangScratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& dir() const { return dir_; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  // "" when the definition checks; otherwise the errors as `severn check` prints them, with the
  // scratch directory's path replaced by "DIR".
  std::string check(const std::string& text, CheckedDefinition* out = nullptr) const {
    write("def.sev", text);
    try {
      auto checked = check_file((dir_ / "def.sev").string(), CheckOptions{});
      if (out != nullptr) *out = std::move(checked);
      return "";
    } catch (const InputError& e) {
      std::string s = e.what();
      const std::string d = dir_.string();
      for (auto at = s.find(d); at != std::string::npos; at = s.find(d)) s.replace(at, d.size(), "DIR");
      return s;
    }
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace severn::lang::testing
