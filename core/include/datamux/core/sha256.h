#pragma once
// SHA-256, hex-encoded: identifies the exact plugin binary and data files a run used.
// A file is hashed a block at a time, so its size costs no memory.
#include <filesystem>
#include <string>

namespace datamux {

std::string sha256_hex(const std::string& bytes);
std::string sha256_file(const std::filesystem::path& path);

}  // namespace datamux
