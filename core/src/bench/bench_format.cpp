// How `datamux bench` prints its rows: one JSON object per line, or aligned text.
#include <cstdio>

#include "datamux/core/bench.h"
#include "datamux/core/json_file.h"

namespace datamux {
namespace {

void add_optional(rapidjson::Value& object, const char* key, const std::optional<double>& value,
                  rapidjson::Document::AllocatorType& a) {
  rapidjson::Value number;
  if (value) number.SetDouble(*value);
  object.AddMember(rapidjson::StringRef(key), number, a);
}

std::string fixed(const std::optional<double>& value, int width, int decimals) {
  char text[64];
  if (value) std::snprintf(text, sizeof text, "%*.*f", width, decimals, *value);
  else std::snprintf(text, sizeof text, "%*s", width, "-");
  return text;
}

}  // namespace

std::string bench_row_json(const BenchSetting& setting, const BenchRow& row) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  doc.AddMember("n", row.n, a);
  doc.AddMember("instances_per_s", row.instances_per_s, a);
  add_optional(doc, "speedup", row.speedup, a);
  add_optional(doc, "ideal_speedup", row.ideal_speedup, a);
  add_optional(doc, "model_gflops_per_s", row.model_gflops_per_s, a);
  doc.AddMember("gemm_gflops_per_s", row.gemm_gflops_per_s, a);
  add_optional(doc, "fraction_of_gemm", row.fraction_of_gemm, a);
  doc.AddMember("peak_memory_mb", row.peak_memory_mb, a);
  doc.AddMember("peak_memory_scope", json_string(row.peak_memory_scope, a), a);
  doc.AddMember("median_seconds", row.median_seconds, a);
  add_optional(doc, "flops", row.flops, a);
  doc.AddMember("groups", row.groups, a);
  doc.AddMember("instances", row.instances, a);
  doc.AddMember("positions", row.positions, a);
  doc.AddMember("parameters", row.parameters, a);
  doc.AddMember("repeats", row.repeats, a);
  doc.AddMember("mode", json_string(setting.mode, a), a);
  doc.AddMember("precision", json_string(setting.precision, a), a);
  doc.AddMember("device", json_string(setting.device, a), a);
  doc.AddMember("threads", setting.threads, a);
  if (!row.undeclared_flops.empty())
    doc.AddMember("undeclared_flops", json_string(row.undeclared_flops, a), a);
  return to_json_text(doc, false);
}

std::string bench_text_header() {
  return "    n  inst/s  speedup  ideal  model GFLOP/s  gemm GFLOP/s  of gemm  peak MB";
}

std::string bench_row_text(const BenchRow& row) {
  std::string line = fixed(double(row.n), 5, 0) + fixed(row.instances_per_s, 8, 2) +
                     fixed(row.speedup, 9, 2) + fixed(row.ideal_speedup, 7, 2) +
                     fixed(row.model_gflops_per_s, 15, 1) + fixed(row.gemm_gflops_per_s, 14, 1) +
                     fixed(row.fraction_of_gemm, 9, 2) + fixed(row.peak_memory_mb, 9, 0);
  if (!row.undeclared_flops.empty()) line += "  (no FLOP count from " + row.undeclared_flops + ")";
  return line;
}

}  // namespace datamux
