// JSON shapes shared by the API's routes: error bodies and field errors.
#pragma once

#include <nlohmann/json.hpp>

#include "core/field_error.h"
#include "server/http_server.h"
#include "store/store.h"

namespace cordon::server {

// [{"path": ..., "rule": ..., "message": ...}, ...]
nlohmann::json field_errors_json(const FieldErrors& errors);

// 422 {"error":"validation_failed","message":...,"errors":[...]}
HttpResponse validation_failed(const FieldErrors& errors);

// 400 with the field errors of a malformed query string.
HttpResponse bad_query(const FieldErrors& errors);

// A store failure as an HTTP answer: 404, 409, 400, 503 or 500.
HttpResponse store_failure(const store::StoreError& error);

}  // namespace cordon::server
