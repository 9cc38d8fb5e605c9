#pragma once
// SHA-256 of a file, hex-encoded: identifies the exact plugin binary a run used.
#include <filesystem>
#include <string>

namespace datamux {

std::string sha256_hex(const std::string& bytes);
std::string sha256_file(const std::filesystem::path& path);

}  // namespace datamux
