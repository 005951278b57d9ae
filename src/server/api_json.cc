#include "server/api_json.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace cordon::server {

nlohmann::json field_errors_json(const FieldErrors& errors) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : errors) list.push_back({{"path", e.path}, {"rule", e.rule}, {"message", e.message}});
  return list;
}

namespace {
HttpResponse errors_response(int status, std::string_view code, const FieldErrors& errors) {
  nlohmann::json body = {
      {"error", code},
      {"message", errors.size() == 1 ? errors.front().to_string()
                                     : fmt::format("{} fields are invalid; see errors", errors.size())},
      {"errors", field_errors_json(errors)}};
  return HttpResponse::json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}
}  // namespace

HttpResponse validation_failed(const FieldErrors& errors) { return errors_response(422, "validation_failed", errors); }

HttpResponse bad_query(const FieldErrors& errors) { return errors_response(400, "bad_request", errors); }

HttpResponse store_failure(const store::StoreError& error) {
  using Code = store::StoreError::Code;
  switch (error.code) {
    case Code::kNotFound: return HttpResponse::error(404, "not_found", error.message);
    case Code::kConflict: return HttpResponse::error(409, "conflict", error.message);
    case Code::kInvalidArgument: return HttpResponse::error(400, "bad_request", error.message);
    case Code::kUnavailable:
      spdlog::error("store unavailable: {}", error.message);
      return HttpResponse::error(503, "unavailable", "storage is unavailable; retry later");
    case Code::kInternal: break;
  }
  spdlog::error("store failure: {}", error.message);
  return HttpResponse::error(500, "internal", "internal error; see the server log");
}

}  // namespace cordon::server
