// Profile metadata, diagnostics, and compile_profile: parse, check, compile.
#include <algorithm>

#include "core/time.h"
#include "rules/internal.h"

namespace cordon::rules {

namespace {

constexpr std::string_view kChannelNames[] = {"green", "yellow", "red"};
constexpr std::string_view kRiskAreaNames[] = {
    "security_safety", "fiscal", "drugs",       "ipr",       "cites",
    "weapons",         "health", "environment", "sanctions", "other",
};

Diagnostic metadata_problem(std::string field, std::string message) {
  Diagnostic d;
  d.field = "metadata." + std::move(field);
  d.message = std::move(message);
  return d;
}

}  // namespace

std::string_view to_string(Channel channel) {
  return kChannelNames[static_cast<size_t>(channel)];
}
std::string_view to_string(RiskArea area) {
  return kRiskAreaNames[static_cast<size_t>(area)];
}

std::optional<Channel> parse_channel(std::string_view name) {
  for (size_t i = 0; i < std::size(kChannelNames); ++i) {
    if (kChannelNames[i] == name) return static_cast<Channel>(i);
  }
  return std::nullopt;
}

std::optional<RiskArea> parse_risk_area(std::string_view name) {
  for (size_t i = 0; i < std::size(kRiskAreaNames); ++i) {
    if (kRiskAreaNames[i] == name) return static_cast<RiskArea>(i);
  }
  return std::nullopt;
}

std::vector<std::string_view> risk_area_names() {
  return {std::begin(kRiskAreaNames), std::end(kRiskAreaNames)};
}

std::string Diagnostic::to_string() const {
  std::string out;
  if (line > 0) {
    out = std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  } else {
    out = field + ": " + message;
  }
  if (!excerpt.empty()) out += "\n" + excerpt;
  return out;
}

std::string to_string(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += "\n";
    out += d.to_string();
  }
  return out;
}

const ProfileMetadata& CompiledProfile::metadata() const {
  return program_->metadata;
}
const std::string& CompiledProfile::source() const {
  return program_->source;
}
const std::vector<std::string>& CompiledProfile::fields_used() const {
  return program_->fields_used;
}

bool CompiledProfile::matches(const Facts& facts) const {
  return internal::eval_program(*program_, facts);
}

Explanation CompiledProfile::explain(const Facts& facts) const {
  return internal::explain_program(*program_, facts);
}

bool CompiledProfile::valid_on(int64_t day) const {
  if (program_->valid_from && day < *program_->valid_from) return false;
  if (program_->valid_to && day > *program_->valid_to) return false;
  return true;
}

Diagnostics check_source(std::string_view source) {
  auto ast = internal::parse_source(source);
  if (!ast) return {ast.error()};
  internal::Program program;
  program.source = std::string(source);
  return internal::compile_ast(*ast, program);
}

std::expected<CompiledProfile, Diagnostics> compile_profile(std::string_view source,
                                                            ProfileMetadata metadata) {
  Diagnostics problems;
  auto program = std::make_shared<internal::Program>();
  program->source = std::string(source);

  if (metadata.id.empty()) problems.push_back(metadata_problem("id", "is required"));
  if (!(metadata.weight >= 0))
    problems.push_back(metadata_problem("weight", "must be a number >= 0"));
  if (metadata.version < 1) problems.push_back(metadata_problem("version", "must be 1 or more"));
  if (!metadata.valid_from.empty()) {
    program->valid_from = parse_date(metadata.valid_from);
    if (!program->valid_from) {
      problems.push_back(metadata_problem(
          "valid_from", "\"" + metadata.valid_from + "\" is not a date (YYYY-MM-DD)"));
    }
  }
  if (!metadata.valid_to.empty()) {
    program->valid_to = parse_date(metadata.valid_to);
    if (!program->valid_to) {
      problems.push_back(
          metadata_problem("valid_to", "\"" + metadata.valid_to + "\" is not a date (YYYY-MM-DD)"));
    }
  }
  if (program->valid_from && program->valid_to && *program->valid_from > *program->valid_to) {
    problems.push_back(metadata_problem("valid_to", "is before valid_from"));
  }

  auto ast = internal::parse_source(source);
  if (!ast) {
    problems.push_back(ast.error());
  } else {
    Diagnostics source_problems = internal::compile_ast(*ast, *program);
    problems.insert(problems.end(), source_problems.begin(), source_problems.end());
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  program->metadata = std::move(metadata);
  CompiledProfile profile;
  profile.program_ = std::move(program);
  return profile;
}

}  // namespace cordon::rules
