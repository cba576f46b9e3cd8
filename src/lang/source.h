// A definition file in memory, and positions in it. Lines and columns are 1-based; columns count
// bytes (definitions are ASCII apart from comments and strings).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace severn::lang {

struct Pos {
  int line = 1;
  int column = 1;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // The text of line n (1-based) without its line break.
  std::string_view line(int n) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<std::size_t> line_starts_;
};

}  // namespace severn::lang
