// A fresh directory under $TMPDIR (or /tmp) for one test, removed with its contents on
// destruction. Hermetic tests get one each (STYLE.md habit 11).
#pragma once

#include <string>

namespace markaz::testutil {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string Sub(const std::string& name) const;

 private:
  std::string path_;
};

// Writes `content` to `path` (truncating). Fails the current test on error.
void WriteFile(const std::string& path, const std::string& content);
// Reads a whole file; "" if it cannot be read.
std::string ReadFile(const std::string& path);

}  // namespace markaz::testutil
