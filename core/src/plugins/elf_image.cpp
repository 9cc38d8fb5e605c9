#include "elf_image.h"

#include <elf.h>

#include <cstdint>

#include <cstring>
#include <fstream>
#include <vector>

namespace datamux {
namespace {

// The ELF layout of the running process: a plugin must match it to be loadable at all.
#if UINTPTR_MAX == 0xffffffffffffffffULL
using ElfHeader = Elf64_Ehdr;
using ProgramHeader = Elf64_Phdr;
using SectionHeader = Elf64_Shdr;
constexpr unsigned char kClass = ELFCLASS64;
#else
using ElfHeader = Elf32_Ehdr;
using ProgramHeader = Elf32_Phdr;
using SectionHeader = Elf32_Shdr;
constexpr unsigned char kClass = ELFCLASS32;
#endif

unsigned char host_byte_order() {
  const std::uint16_t probe = 1;
  unsigned char first;
  std::memcpy(&first, &probe, 1);
  return first == 1 ? ELFDATA2LSB : ELFDATA2MSB;
}

// Whether [offset, offset + length) lies within a file of `size` bytes, without overflow.
bool within(std::uint64_t offset, std::uint64_t length, std::uint64_t size) {
  return offset <= size && length <= size - offset;
}

std::string bytes(std::uint64_t count) { return std::to_string(count) + " bytes"; }

}  // namespace

std::optional<std::string> elf_image_problem(const std::filesystem::path& file) {
  std::error_code error;
  const std::uint64_t size = std::filesystem::file_size(file, error);
  if (error) return "cannot read the file: " + error.message();
  if (size == 0) return "the file is empty";
  std::ifstream in(file, std::ios::binary);
  if (!in) return "cannot open the file";

  ElfHeader header{};
  in.read(reinterpret_cast<char*>(&header), sizeof header);
  const auto got = static_cast<std::uint64_t>(in.gcount());
  if (got < SELFMAG || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0)
    return "not an ELF shared library (no ELF magic number)";
  if (got < sizeof header) return "truncated: " + bytes(size) + " is shorter than an ELF header";
  if (header.e_ident[EI_CLASS] != kClass)
    return std::string("ELF class ") + (header.e_ident[EI_CLASS] == ELFCLASS32 ? "32" : "64") +
           "-bit does not match this " + (kClass == ELFCLASS64 ? "64" : "32") + "-bit program";
  if (header.e_ident[EI_DATA] != host_byte_order())
    return "ELF byte order does not match this machine";
  if (header.e_type != ET_DYN) return "not an ELF shared library (ELF type is not ET_DYN)";
  if (header.e_ehsize < sizeof header) return "corrupt ELF header (header size too small)";
  if (header.e_phnum == 0) return "corrupt ELF header (no program headers)";
  if (header.e_phentsize != sizeof(ProgramHeader))
    return "corrupt ELF header (program header size " + std::to_string(header.e_phentsize) + ")";
  const std::uint64_t program_table = std::uint64_t(header.e_phnum) * header.e_phentsize;
  if (!within(header.e_phoff, program_table, size))
    return "truncated: the program headers end past its " + bytes(size);
  if (header.e_shoff != 0) {
    if (header.e_shentsize != sizeof(SectionHeader))
      return "corrupt ELF header (section header size " + std::to_string(header.e_shentsize) + ")";
    const std::uint64_t section_table = std::uint64_t(header.e_shnum) * header.e_shentsize;
    if (!within(header.e_shoff, section_table, size))
      return "truncated: the section header table ends at byte " +
             std::to_string(header.e_shoff + section_table) + ", past its " + bytes(size);
  }

  std::vector<ProgramHeader> segments(header.e_phnum);
  in.seekg(static_cast<std::streamoff>(header.e_phoff));
  in.read(reinterpret_cast<char*>(segments.data()),
          static_cast<std::streamsize>(program_table));
  if (static_cast<std::uint64_t>(in.gcount()) != program_table)
    return "cannot read its program headers";
  bool loadable = false;
  for (const ProgramHeader& segment : segments) {
    if (segment.p_type != PT_LOAD && segment.p_type != PT_DYNAMIC) continue;
    loadable = loadable || segment.p_type == PT_LOAD;
    if (!within(segment.p_offset, segment.p_filesz, size))
      return "truncated: a loadable segment ends at byte " +
             std::to_string(segment.p_offset + segment.p_filesz) + ", past its " + bytes(size);
  }
  if (!loadable) return "corrupt ELF file (no loadable segment)";
  return std::nullopt;
}

}  // namespace datamux
