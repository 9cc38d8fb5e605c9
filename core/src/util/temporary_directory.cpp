#include "datamux/core/temporary_directory.h"

#include <cstdlib>
#include <string>

#include "datamux/sdk/error.h"

namespace datamux {

TemporaryDirectory::TemporaryDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "datamux-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw Error("cannot create a temporary directory under " +
                std::filesystem::temp_directory_path().string());
  path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace datamux
