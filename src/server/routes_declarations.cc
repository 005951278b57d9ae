// /api/v1/declarations: submit (one JSON object or an NDJSON batch), read one, list.
#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assessment/intake.h"
#include "core/declaration_json.h"
#include "core/json_writer.h"
#include "core/time.h"
#include "server/api_json.h"
#include "server/app.h"

namespace cordon::server {
namespace {

using nlohmann::json;
using assessment::IntakeOutcome;
using assessment::IntakeStatus;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

bool is_ndjson(const HttpRequest& request) {
  auto type = request.header("content-type");
  if (!type) return false;
  return type->starts_with("application/x-ndjson") || type->starts_with("application/ndjson") ||
         type->starts_with("application/jsonl");
}

json outcome_json(const IntakeOutcome& o) {
  json j = {{"status", to_string(o.status)}};
  if (o.line != 0) j["line"] = o.line;
  if (!o.reference.empty()) j["reference"] = o.reference;
  if (o.id != 0) j["id"] = o.id;
  if (!o.errors.empty()) j["errors"] = field_errors_json(o.errors);
  return j;
}

// One line of a batch's answer: the same object as outcome_json (keys in the same order),
// written directly for the common lines without errors — a batch answers thousands of them.
void append_outcome_line(std::string& body, const IntakeOutcome& o) {
  if (!o.errors.empty()) {
    body += dump(outcome_json(o));
  } else {
    JsonWriter w(body);
    w.open_object();
    if (o.id != 0) w.integer_field("id", o.id);
    if (o.line != 0) w.integer_field("line", static_cast<int64_t>(o.line));
    if (!o.reference.empty()) w.string_field("reference", o.reference);
    w.string_field("status", to_string(o.status));
    w.close_object();
  }
  body += '\n';
}

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Query string → typed filter, with an error per bad parameter.
std::expected<store::DeclarationFilter, FieldErrors> parse_filter(const HttpRequest& request) {
  store::DeclarationFilter filter;
  FieldErrors errors;
  auto text = [&](std::string_view name, std::string& out) {
    if (auto v = request.query_param(name)) out = std::string(*v);
  };
  text("reference", filter.reference);
  text("declarant_eori", filter.declarant_eori);
  text("party_eori", filter.party_eori);
  text("office", filter.office_of_first_entry);
  text("origin", filter.origin_country);
  text("container", filter.container);
  text("vehicle", filter.vehicle);
  text("channel", filter.channel);
  if (auto v = request.query_param("kind")) {
    if (auto kind = parse_declaration_kind(*v)) {
      filter.kind = kind;
    } else {
      errors.push_back({"query.kind", "enum",
                        fmt::format("{} is not one of {}", quote_value(*v), fmt::join(declaration_kind_names(), ", "))});
    }
  }
  if (auto v = request.query_param("mode")) {
    if (auto mode = parse_transport_mode(*v)) {
      filter.mode = mode;
    } else {
      errors.push_back({"query.mode", "enum",
                        fmt::format("{} is not one of {}", quote_value(*v), fmt::join(transport_mode_names(), ", "))});
    }
  }
  if (auto v = request.query_param("hs")) {
    bool digits = !v->empty() && v->size() <= 10 && v->find_first_not_of("0123456789") == std::string_view::npos;
    if (digits) {
      filter.hs_prefix = std::string(*v);
    } else {
      errors.push_back({"query.hs", "hs_prefix", fmt::format("{} is not 1 to 10 digits of an HS code", quote_value(*v))});
    }
  }
  for (auto [name, out] : {std::pair{"lodged_from", &filter.lodged_from}, std::pair{"lodged_to", &filter.lodged_to}}) {
    if (auto v = request.query_param(name)) {
      if (parse_timestamp(*v)) {
        *out = std::string(*v);
      } else if (auto day = parse_date(*v)) {
        *out = format_timestamp(*day * 86400);  // a date means its midnight UTC
      } else {
        errors.push_back({fmt::format("query.{}", name), "iso8601_timestamp",
                          fmt::format("{} is not an ISO 8601 date or timestamp", quote_value(*v))});
      }
    }
  }
  if (auto v = request.query_param("limit")) {
    auto limit = parse_int(*v);
    if (limit && *limit >= 1 && *limit <= 1000) {
      filter.limit = static_cast<int>(*limit);
    } else {
      errors.push_back({"query.limit", "range", fmt::format("{} is not a whole number from 1 to 1000", quote_value(*v))});
    }
  }
  if (auto v = request.query_param("cursor")) {
    if (auto cursor = parse_int(*v); cursor && *cursor > 0) {
      filter.before_id = *cursor;
    } else {
      errors.push_back({"query.cursor", "cursor", fmt::format("{} is not a cursor from a previous page", quote_value(*v))});
    }
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return filter;
}

json summary_json(const store::DeclarationSummary& s) {
  json j = {{"id", s.id},
            {"reference", s.reference},
            {"kind", to_string(s.kind)},
            {"mode", to_string(s.mode)},
            {"declarant", {{"name", s.declarant_name}, {"eori", s.declarant_eori}}},
            {"lodged_at", s.lodged_at},
            {"received_at", s.received_at},
            {"goods_count", s.goods_count}};
  if (!s.consignor_name.empty()) j["consignor_name"] = s.consignor_name;
  if (!s.consignee_name.empty()) j["consignee_name"] = s.consignee_name;
  if (!s.office_of_first_entry.empty()) j["office_of_first_entry"] = s.office_of_first_entry;
  j["channel"] = s.channel ? json(*s.channel) : json(nullptr);
  j["score"] = s.score ? json(*s.score) : json(nullptr);
  j["hit_count"] = s.hit_count;
  return j;
}

class DeclarationRoutes {
 public:
  explicit DeclarationRoutes(const AppContext& context)
      : store_(*context.store), intake_(*context.store, context.screening, context.pipeline), metrics_(context.metrics) {}

  HttpResponse create(const HttpRequest& request, const Principal& principal) {
    if (is_ndjson(request)) return create_batch(request, principal);
    auto outcome = intake_.submit(request.body, principal.actor());
    if (!outcome) return store_failure(outcome.error());
    assessment::BatchSummary summary;
    summary.count(*outcome);
    count(summary);
    switch (outcome->status) {
      case IntakeStatus::kRejected:
        return validation_failed(outcome->errors);
      case IntakeStatus::kConflict: {
        json body = {{"error", "conflict"}, {"message", outcome->errors.front().to_string()}, {"id", outcome->id},
                     {"errors", field_errors_json(outcome->errors)}};
        return HttpResponse::json(409, dump(body));
      }
      case IntakeStatus::kDuplicate:
      case IntakeStatus::kStored: {
        bool created = outcome->status == IntakeStatus::kStored;
        HttpResponse response = HttpResponse::json(created ? 201 : 200, dump(outcome_json(*outcome)));
        response.headers.emplace_back("Location", fmt::format("/api/v1/declarations/{}", outcome->id));
        return response;
      }
    }
    return HttpResponse::error(500, "internal", "unexpected intake status");
  }

  HttpResponse get(const HttpRequest& request, const Principal& principal) {
    auto id = parse_int(request.path_params.at("id"));
    if (!id || *id <= 0) {
      return bad_query({{"id", "declaration_id", fmt::format("{} is not a declaration id", quote_value(request.path_params.at("id")))}});
    }
    auto stored = store_.get_declaration(*id);
    if (!stored) return store_failure(stored.error());
    if (auto scope = principal.office_scope();
        scope && std::find(scope->begin(), scope->end(), stored->declaration.office_of_first_entry) == scope->end()) {
      // Outside the officer's offices: as if it did not exist, so ids cannot be probed.
      return HttpResponse::error(404, "not_found", fmt::format("no declaration {}", *id));
    }
    json body = {{"id", *id}, {"received_at", stored->received_at}, {"declaration", declaration_to_json(stored->declaration)}};
    auto assessment = store_.get_assessment(*id);
    if (assessment && *assessment) {
      const auto& a = **assessment;
      body["assessment"] = {{"channel", a.channel}, {"score", a.score}, {"assessed_at", a.assessed_at},
                            {"reasons", json::parse(a.reasons_json, nullptr, false)}};
    }
    return HttpResponse::json(200, dump(body));
  }

  HttpResponse list(const HttpRequest& request, const Principal& principal) {
    auto filter = parse_filter(request);
    if (!filter) return bad_query(filter.error());
    if (auto scope = principal.office_scope()) filter->offices_any = *scope;
    auto page = store_.list_declarations(*filter);
    if (!page) return store_failure(page.error());
    json items = json::array();
    for (const auto& s : page->items) items.push_back(summary_json(s));
    json body = {{"items", std::move(items)},
                 {"next_cursor", page->next_cursor ? json(std::to_string(*page->next_cursor)) : json(nullptr)}};
    return HttpResponse::json(200, dump(body));
  }

 private:
  // NDJSON in, NDJSON out: one result line per non-blank input line, in order. The HTTP status
  // is 200 whenever the batch was processed; per-line outcomes say what happened to each.
  HttpResponse create_batch(const HttpRequest& request, const Principal& principal) {
    auto outcomes = intake_.submit_ndjson(request.body, principal.actor());
    if (!outcomes) return store_failure(outcomes.error());
    assessment::BatchSummary summary;
    std::string body;
    body.reserve(outcomes->size() * 64);
    for (const auto& o : *outcomes) {
      summary.count(o);
      append_outcome_line(body, o);
    }
    count(summary);
    HttpResponse response = HttpResponse::text(200, std::move(body), "application/x-ndjson");
    response.headers.emplace_back("X-Cordon-Stored", std::to_string(summary.stored));
    response.headers.emplace_back("X-Cordon-Duplicates", std::to_string(summary.duplicates));
    response.headers.emplace_back("X-Cordon-Conflicts", std::to_string(summary.conflicts));
    response.headers.emplace_back("X-Cordon-Rejected", std::to_string(summary.rejected));
    return response;
  }

  void count(const assessment::BatchSummary& summary) {
    for (auto [outcome, n] : {std::pair{IntakeStatus::kStored, summary.stored},
                              std::pair{IntakeStatus::kDuplicate, summary.duplicates},
                              std::pair{IntakeStatus::kConflict, summary.conflicts},
                              std::pair{IntakeStatus::kRejected, summary.rejected}}) {
      if (n == 0) continue;
      metrics_->add_counter("cordon_declarations_received_total", "Declarations received, by intake outcome",
                            fmt::format("outcome=\"{}\"", to_string(outcome)), static_cast<double>(n));
    }
  }

  store::Store& store_;
  assessment::Intake intake_;
  std::shared_ptr<Metrics> metrics_;
};

}  // namespace

void add_declaration_routes(Router& router, const AppContext& context) {
  auto routes = std::make_shared<DeclarationRoutes>(context);
  Auth& auth = *context.auth;
  store::Store& store = *context.store;
  const Roles submit{Role::kSubmitter, Role::kTargetingOfficer, Role::kRiskAnalyst};
  const Roles read{Role::kRiskAnalyst, Role::kTargetingOfficer, Role::kSupervisionOfficer, Role::kNationalContactPoint};
  // The intake audits each stored batch in the same transaction as the declarations.
  add_secured(router, auth, store, "POST", "/api/v1/declarations", "declarations.create", submit,
              [routes](const HttpRequest& r, const Principal& p) { return routes->create(r, p); }, AuditMode::kByHandler);
  add_secured(router, auth, store, "GET", "/api/v1/declarations", "declarations.list", read,
              [routes](const HttpRequest& r, const Principal& p) { return routes->list(r, p); });
  add_secured(router, auth, store, "GET", "/api/v1/declarations/{id}", "declarations.get", read,
              [routes](const HttpRequest& r, const Principal& p) { return routes->get(r, p); });
}

}  // namespace cordon::server
