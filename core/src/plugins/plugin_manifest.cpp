#include "datamux/core/plugin_manifest.h"

#include <rapidjson/document.h>

#include "datamux/core/json_file.h"
#include "datamux/core/sha256.h"
#include "datamux/sdk/abi.h"

namespace datamux {

std::filesystem::path manifest_path_for(const std::filesystem::path& library) {
  auto path = library;
  return path.replace_extension(".json");
}

std::optional<PluginManifest> read_current_manifest(const std::filesystem::path& library) {
  const auto path = manifest_path_for(library);
  if (!std::filesystem::exists(path)) return std::nullopt;
  try {
    const rapidjson::Document doc = read_json_file(path);
    auto text = [&](const char* key) -> std::string {
      if (!doc.HasMember(key) || !doc[key].IsString()) throw Error("missing " + std::string(key));
      return doc[key].GetString();
    };
    if (!doc.IsObject() || !doc.HasMember("manifest_version") ||
        !doc["manifest_version"].IsInt() || doc["manifest_version"].GetInt() != kManifestVersion)
      return std::nullopt;
    PluginManifest manifest{text("plugin"), text("version"), text("build_key"), text("sha256"), {}};
    if (manifest.sha256 != sha256_file(library)) return std::nullopt;  // stale: library rebuilt
    // Written for another SDK or toolchain: not trusted, so the library itself is loaded and
    // the loader refuses it with both values, rather than a listing that hides the mismatch.
    if (!doc.HasMember("abi") || !doc["abi"].IsUint() || doc["abi"].GetUint() != kPluginAbi ||
        manifest.build_key != DATAMUX_BUILD_KEY)
      return std::nullopt;
    if (!doc.HasMember("components") || !doc["components"].IsArray()) return std::nullopt;
    for (const auto& item : doc["components"].GetArray()) {
      if (!item.IsObject() || !item.HasMember("kind") || !item["kind"].IsString() ||
          !item.HasMember("name") || !item["name"].IsString())
        return std::nullopt;
      const std::string help =
          item.HasMember("help") && item["help"].IsString() ? item["help"].GetString() : "";
      manifest.components.push_back(
          {kind_from_name(item["kind"].GetString()), item["name"].GetString(), help});
    }
    return manifest;
  } catch (const Error&) {
    return std::nullopt;  // an unreadable manifest only costs a load of the library
  }
}

void write_manifest(const std::filesystem::path& library, const PluginManifest& manifest) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  auto str = [&](const std::string& s) { return rapidjson::Value(s.c_str(), a); };
  doc.AddMember("manifest_version", kManifestVersion, a);
  doc.AddMember("abi", kPluginAbi, a);  // only ever written for a library that loaded here
  doc.AddMember("plugin", str(manifest.plugin), a);
  doc.AddMember("version", str(manifest.version), a);
  doc.AddMember("build_key", str(manifest.build_key), a);
  doc.AddMember("library", str(library.filename().string()), a);
  doc.AddMember("sha256", str(manifest.sha256), a);
  rapidjson::Value components(rapidjson::kArrayType);
  for (const auto& component : manifest.components) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("kind", str(kind_name(component.kind)), a);
    item.AddMember("name", str(component.name), a);
    item.AddMember("help", str(component.help), a);
    components.PushBack(item, a);
  }
  doc.AddMember("components", components, a);
  write_file_atomically(manifest_path_for(library), to_json_text(doc) + "\n");
}

}  // namespace datamux
