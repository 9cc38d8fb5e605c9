#pragma once
// Checks that a file is a complete ELF shared object of this machine's class and byte order
// before the dynamic loader maps it. dlopen maps every loadable segment as the program headers
// describe it; when the file is shorter than they say (a truncated copy, a partial download),
// the first touch of the missing pages raises SIGBUS and kills the whole process. Checking the
// headers against the file size first turns that into an error naming the file.
#include <filesystem>
#include <optional>
#include <string>

namespace datamux {

// Why `file` cannot be mapped as a shared library ("file is empty", "truncated: ..."), or
// std::nullopt when its ELF header, program headers, section header table and every loadable
// segment lie within the file.
std::optional<std::string> elf_image_problem(const std::filesystem::path& file);

}  // namespace datamux
