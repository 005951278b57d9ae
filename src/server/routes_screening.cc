// Screening: ad-hoc queries, a declaration's hits, watch lists, exclusions and reviewed false
// positives.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assessment/screening_service.h"
#include "server/api_json.h"
#include "server/app.h"

namespace cordon::server {
namespace {

using nlohmann::json;
namespace scr = cordon::screening;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json entity_json(const scr::WatchlistEntity& e) {
  json j = json::parse(assessment::entity_to_json_text(e));
  j["list"] = e.list;
  return j;
}

json hit_json(const scr::Hit& h) {
  return {{"score", h.score},
          {"list", h.entity->list},
          {"entity_id", h.entity->id},
          {"entity_type", scr::to_string(h.entity->type)},
          {"entity_name", h.entity->names.empty() ? "" : h.entity->names.front().name},
          {"instruction", h.entity->instruction},
          {"programme", h.entity->programme},
          {"matched_field", h.matched_field},
          {"matched_value", h.matched_value},
          {"query_value", h.query_value},
          {"explanation", h.explanation}};
}

std::expected<json, HttpResponse> object_body(const HttpRequest& request) {
  json body = json::parse(request.body, nullptr, false);
  if (!body.is_object()) return std::unexpected(validation_failed({{"", "json_syntax", "the body must be a JSON object"}}));
  return body;
}

// The ad-hoc query of POST /api/v1/screen.
std::expected<scr::ScreeningQuery, FieldErrors> parse_query(const json& body) {
  scr::ScreeningQuery q;
  FieldErrors errors;
  auto text = [&](const char* key, std::string& out) {
    if (!body.contains(key) || body[key].is_null()) return;
    if (body[key].is_string()) {
      out = body[key].get<std::string>();
    } else {
      errors.push_back({key, "type", "expected a string"});
    }
  };
  text("name", q.name);
  text("country", q.country);
  text("date_of_birth", q.date_of_birth);
  text("address", q.address);
  if (body.contains("type") && !body["type"].is_null()) {
    auto type = body["type"].is_string() ? scr::parse_entity_type(body["type"].get<std::string>()) : std::nullopt;
    if (type) {
      q.type = type;
    } else {
      errors.push_back({"type", "enum", "expected one of person, organisation, vehicle, container, vessel, aircraft, document"});
    }
  }
  if (body.contains("identifiers")) {
    const json& ids = body["identifiers"];
    if (!ids.is_array()) {
      errors.push_back({"identifiers", "type", "expected an array of {type, value, country}"});
    } else {
      for (std::size_t i = 0; i < ids.size(); ++i) {
        std::string at = fmt::format("identifiers[{}]", i);
        const json& x = ids[i];
        auto type = x.is_object() && x.value("type", json()).is_string()
                        ? scr::parse_identifier_type(x["type"].get<std::string>())
                        : std::nullopt;
        if (!type) {
          errors.push_back({at + ".type", "enum", "expected vin, plate, container, imo, passport, national_id, document, eori, tin, aircraft_tail or other"});
          continue;
        }
        if (!x.value("value", json()).is_string() || x["value"].get<std::string>().empty()) {
          errors.push_back({at + ".value", "required", "is required"});
          continue;
        }
        q.identifiers.push_back({*type, x["value"].get<std::string>(),
                                 x.value("country", json("")).is_string() ? x.value("country", std::string()) : "", ""});
      }
    }
  }
  if (q.name.empty() && q.identifiers.empty()) {
    errors.push_back({"name", "required", "a name or at least one identifier is required"});
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return q;
}

class ScreeningRoutes {
 public:
  explicit ScreeningRoutes(const AppContext& context) : store_(*context.store), service_(*context.screening) {}

  HttpResponse screen(const HttpRequest& request, const Principal&) {
    auto body = object_body(request);
    if (!body) return body.error();
    auto query = parse_query(*body);
    if (!query) return validation_failed(query.error());
    if (auto refreshed = service_.refresh_if_changed(); !refreshed) return store_failure(refreshed.error());
    json hits = json::array();
    for (const auto& h : service_.screener()->screen(*query)) hits.push_back(hit_json(h));
    return HttpResponse::json(200, dump({{"hits", hits}, {"threshold", service_.settings().screener.threshold}}));
  }

  HttpResponse declaration_hits(const HttpRequest& request, const Principal& principal) {
    int64_t id = 0;
    const std::string& text = request.path_params.at("id");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return bad_query({{"id", "declaration_id", fmt::format("{} is not a declaration id", quote_value(text))}});
    }
    auto stored = store_.get_declaration(id);
    if (!stored) return store_failure(stored.error());
    if (auto scope = principal.office_scope();
        scope && std::find(scope->begin(), scope->end(), stored->declaration.office_of_first_entry) == scope->end()) {
      return HttpResponse::error(404, "not_found", fmt::format("no declaration {}", id));
    }
    auto hits = store_.list_hits(id);
    if (!hits) return store_failure(hits.error());
    auto screener = service_.screener();
    json items = json::array();
    for (const auto& h : *hits) {
      json item = {{"path", h.path},           {"value", h.value},         {"list", h.list},
                   {"entity_id", h.entity_id}, {"score", h.score},         {"matched_field", h.matched_field},
                   {"matched_value", h.matched_value}, {"query_value", h.query_value},
                   {"explanation", h.explanation},     {"raised_at", h.raised_at}, {"raised_by", h.raised_by}};
      if (auto entity = screener->find_entity(h.list, h.entity_id)) {
        item["entity"] = entity_json(*entity);  // the instruction of the alert travels with the hit
      }
      items.push_back(std::move(item));
    }
    return HttpResponse::json(200, dump({{"items", items}}));
  }

  HttpResponse lists(const HttpRequest&, const Principal&) {
    (void)service_.refresh_if_changed();
    auto versions = store_.list_watchlist_versions();
    if (!versions) return store_failure(versions.error());
    json active = json::array();
    for (const auto& l : service_.screener()->lists()) {
      active.push_back({{"list", l.list}, {"version", l.version}, {"entity_count", l.entity_count}});
    }
    json history = json::array();
    for (const auto& v : *versions) {
      history.push_back({{"list", v.list}, {"version", v.version}, {"imported_at", v.imported_at}, {"actor", v.actor},
                         {"source", v.source}, {"added", v.added}, {"changed", v.changed}, {"removed", v.removed},
                         {"entity_count", v.entity_count}});
    }
    return HttpResponse::json(200, dump({{"lists", active}, {"imports", history}}));
  }

  // PUT /api/v1/watchlists/{list}?format=cordon-ndjson|cordon-csv|un-xml|eu-xml: the body is the
  // list's file; the whole list is replaced. OFAC's four files are imported with the CLI.
  HttpResponse import(const HttpRequest& request, const Principal& principal) {
    const std::string& list = request.path_params.at("list");
    auto format_name = request.query_param("format").value_or("cordon-ndjson");
    auto format = scr::parse_list_format(format_name);
    if (!format || *format == scr::ListFormat::kOfacSdn) {
      return bad_query({{"query.format", "enum",
                         fmt::format("{} is not one of cordon-ndjson, cordon-csv, un-xml, eu-xml (OFAC SDN: use "
                                     "`cordon lists import`)",
                                     quote_value(format_name))}});
    }
    scr::Imported<scr::Entities> entities = std::unexpected(scr::ImportError{"", ""});
    switch (*format) {
      case scr::ListFormat::kCordonNdjson: entities = scr::parse_cordon_ndjson(request.body, list); break;
      case scr::ListFormat::kCordonCsv: entities = scr::parse_cordon_csv(request.body, list); break;
      case scr::ListFormat::kUnXml: entities = scr::parse_un_xml(request.body, list); break;
      case scr::ListFormat::kEuXml: entities = scr::parse_eu_xml(request.body, list); break;
      case scr::ListFormat::kOfacSdn: break;
    }
    if (!entities) {
      // The active list is untouched: nothing of a refused file is applied.
      return validation_failed({{entities.error().where, "list_format", entities.error().message}});
    }
    auto outcome = service_.import_list(list, std::move(*entities), principal.actor(), "api");
    if (!outcome) return store_failure(outcome.error());
    const auto& r = outcome->report;
    return HttpResponse::json(200, dump({{"list", r.list}, {"version", r.version}, {"added", r.added},
                                         {"changed", r.changed}, {"removed", r.removed},
                                         {"entity_count", r.entity_count},
                                         {"rescreened_declarations", outcome->rescreened_declarations},
                                         {"new_hits", outcome->new_hits}}));
  }

  HttpResponse drop(const HttpRequest& request, const Principal& principal) {
    if (auto dropped = service_.drop_list(request.path_params.at("list"), principal.actor()); !dropped) {
      return store_failure(dropped.error());
    }
    return HttpResponse{204, "application/json", "", {}};
  }

  HttpResponse entity(const HttpRequest& request, const Principal&) {
    auto found = service_.screener()->find_entity(request.path_params.at("list"), request.path_params.at("id"));
    if (!found) return HttpResponse::error(404, "not_found", "no such entity");
    return HttpResponse::json(200, dump(entity_json(*found)));
  }

  HttpResponse exclusions(const HttpRequest&, const Principal&) {
    (void)service_.refresh_if_changed();
    return HttpResponse::json(200, dump({{"items", service_.screener()->exclusions()}}));
  }

  HttpResponse add_exclusion(const HttpRequest& request, const Principal& principal) {
    auto body = object_body(request);
    if (!body) return body.error();
    if (!body->value("value", json()).is_string() || (*body)["value"].get<std::string>().empty()) {
      return validation_failed({{"value", "required", "the value too generic to match is required"}});
    }
    if (auto added = service_.add_exclusion((*body)["value"].get<std::string>(), principal.actor()); !added) {
      return store_failure(added.error());
    }
    return HttpResponse::json(201, dump({{"value", (*body)["value"]}}));
  }

  HttpResponse remove_exclusion(const HttpRequest& request, const Principal&) {
    if (auto removed = service_.remove_exclusion(request.path_params.at("value")); !removed) {
      return store_failure(removed.error());
    }
    return HttpResponse{204, "application/json", "", {}};
  }

  HttpResponse reviewed(const HttpRequest&, const Principal&) {
    auto records = store_.list_reviewed_false_positives();
    if (!records) return store_failure(records.error());
    json items = json::array();
    for (const auto& r : *records) {
      items.push_back({{"list", r.list}, {"entity_id", r.entity_id}, {"query_value", r.query_value},
                       {"reviewer", r.reviewer}, {"reviewed_at", r.reviewed_at}});
    }
    return HttpResponse::json(200, dump({{"items", items}}));
  }

  std::expected<scr::ReviewedFalsePositive, HttpResponse> reviewed_from(const json& body) {
    FieldErrors errors;
    scr::ReviewedFalsePositive r;
    for (auto [key, out] : {std::pair{"list", &r.list}, std::pair{"entity_id", &r.entity_id},
                            std::pair{"query_value", &r.query_value}}) {
      if (!body.value(key, json()).is_string() || body[key].get<std::string>().empty()) {
        errors.push_back({key, "required", "is required (copy it from the hit)"});
      } else {
        *out = body[key].get<std::string>();
      }
    }
    if (!errors.empty()) return std::unexpected(validation_failed(errors));
    return r;
  }

  HttpResponse add_reviewed(const HttpRequest& request, const Principal& principal) {
    auto body = object_body(request);
    if (!body) return body.error();
    auto r = reviewed_from(*body);
    if (!r) return r.error();
    if (auto added = service_.add_reviewed_false_positive(*r, principal.actor()); !added) return store_failure(added.error());
    return HttpResponse::json(201, dump(*body));
  }

  HttpResponse remove_reviewed(const HttpRequest& request, const Principal&) {
    json body = {{"list", request.query_param("list").value_or("")},
                 {"entity_id", request.query_param("entity_id").value_or("")},
                 {"query_value", request.query_param("query_value").value_or("")}};
    auto r = reviewed_from(body);
    if (!r) return r.error();
    if (auto removed = service_.remove_reviewed_false_positive(*r); !removed) return store_failure(removed.error());
    return HttpResponse{204, "application/json", "", {}};
  }

 private:
  store::Store& store_;
  assessment::ScreeningService& service_;
};

}  // namespace

void add_screening_routes(Router& router, const AppContext& context) {
  auto routes = std::make_shared<ScreeningRoutes>(context);
  Auth& auth = *context.auth;
  store::Store& store = *context.store;
  const Roles analysts{Role::kRiskAnalyst, Role::kTargetingOfficer};
  const Roles readers{Role::kRiskAnalyst, Role::kTargetingOfficer, Role::kSupervisionOfficer,
                      Role::kNationalContactPoint};
  const Roles list_keepers{Role::kRiskAnalyst, Role::kAdministrator};
  auto bind = [routes](HttpResponse (ScreeningRoutes::*method)(const HttpRequest&, const Principal&)) {
    return [routes, method](const HttpRequest& r, const Principal& p) { return ((*routes).*method)(r, p); };
  };
  add_secured(router, auth, store, "POST", "/api/v1/screen", "screening.query", analysts, bind(&ScreeningRoutes::screen));
  add_secured(router, auth, store, "GET", "/api/v1/declarations/{id}/hits", "declarations.hits", readers,
              bind(&ScreeningRoutes::declaration_hits));
  add_secured(router, auth, store, "GET", "/api/v1/watchlists", "watchlists.list",
              Roles{Role::kRiskAnalyst, Role::kTargetingOfficer, Role::kAdministrator},
              bind(&ScreeningRoutes::lists));
  add_secured(router, auth, store, "PUT", "/api/v1/watchlists/{list}", "watchlists.import", list_keepers,
              bind(&ScreeningRoutes::import), AuditMode::kByHandler);
  add_secured(router, auth, store, "DELETE", "/api/v1/watchlists/{list}", "watchlists.drop", Roles{Role::kAdministrator},
              bind(&ScreeningRoutes::drop), AuditMode::kByHandler);
  add_secured(router, auth, store, "GET", "/api/v1/watchlists/{list}/entities/{id}", "watchlists.entity", analysts,
              bind(&ScreeningRoutes::entity));
  add_secured(router, auth, store, "GET", "/api/v1/screening/exclusions", "screening.exclusions.list", analysts,
              bind(&ScreeningRoutes::exclusions));
  add_secured(router, auth, store, "POST", "/api/v1/screening/exclusions", "screening.exclusions.add",
              Roles{Role::kRiskAnalyst}, bind(&ScreeningRoutes::add_exclusion));
  add_secured(router, auth, store, "DELETE", "/api/v1/screening/exclusions/{value}", "screening.exclusions.remove",
              Roles{Role::kRiskAnalyst}, bind(&ScreeningRoutes::remove_exclusion));
  add_secured(router, auth, store, "GET", "/api/v1/screening/reviewed-false-positives", "screening.reviewed.list",
              analysts, bind(&ScreeningRoutes::reviewed));
  add_secured(router, auth, store, "POST", "/api/v1/screening/reviewed-false-positives", "screening.reviewed.add",
              analysts, bind(&ScreeningRoutes::add_reviewed));
  add_secured(router, auth, store, "DELETE", "/api/v1/screening/reviewed-false-positives", "screening.reviewed.remove",
              Roles{Role::kRiskAnalyst}, bind(&ScreeningRoutes::remove_reviewed));
}

}  // namespace cordon::server
