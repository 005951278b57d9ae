// Router: method + path pattern → handler. Linear scan over the routes: Cordon registers on the
// order of a hundred routes, and comparing a few short segments each is cheaper than building and
// maintaining a trie.
#include <algorithm>
#include <stdexcept>

#include "server/http_server.h"

namespace cordon::server {
namespace {

bool is_param_segment(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// "/a/b" → {"a", "b"}; "/" → {""}; "/a/" → {"a", ""}. A trailing slash is therefore a different
// path, so "/declarations/" does not silently match "/declarations/{id}" with an empty id.
// Returns false for targets that are not origin-form paths ("*", "http://…").
bool split_path(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Path segments are percent-decoded ("ABC%2F1" → "ABC/1"), but '+' stays '+': it only means a
// space in query strings. A malformed escape is kept as written rather than refused, so that the
// handler can name the bad value in its error.
std::string decode_path_segment(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

}  // namespace

void Router::add(std::string method, std::string pattern, std::string name, Handler handler) {
  // A malformed route table is a programming error, found at start-up: throw.
  std::vector<std::string_view> views;
  if (!split_path(pattern, views)) throw std::invalid_argument("route pattern must start with '/': " + pattern);
  if (method.empty()) throw std::invalid_argument("route method is empty: " + pattern);
  if (!handler) throw std::invalid_argument("route handler is empty: " + pattern);
  Route route;
  route.method = std::move(method);
  route.segments.assign(views.begin(), views.end());
  route.pattern = std::move(pattern);
  route.name = std::move(name);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  // Small-buffer friendly: most API paths have at most eight segments.
  std::vector<std::string_view> segments;
  segments.reserve(8);
  if (!split_path(path, segments)) return result;

  const Route* best = nullptr;
  auto matches_path = [&](const Route& route) {
    if (route.segments.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (!is_param_segment(route.segments[i]) && route.segments[i] != segments[i]) return false;
    }
    return true;
  };
  // "/declarations/search" must win over "/declarations/{id}" whatever the registration order:
  // at the first segment where the two differ in kind, the literal one is more specific.
  auto more_specific = [](const Route& a, const Route& b) {
    for (std::size_t i = 0; i < a.segments.size(); ++i) {
      const bool a_param = is_param_segment(a.segments[i]);
      const bool b_param = is_param_segment(b.segments[i]);
      if (a_param != b_param) return !a_param;
    }
    return false;
  };

  for (const Route& route : routes_) {
    if (!matches_path(route)) continue;
    if (route.method != method) {
      if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route.method) ==
          result.allowed_methods.end()) {
        result.allowed_methods.push_back(route.method);
      }
      continue;
    }
    if (best == nullptr || more_specific(route, *best)) best = &route;
  }

  if (best == nullptr) {
    if (fallback_ && result.allowed_methods.empty() && method == "GET") {
      result.handler = &fallback_;
      result.name = fallback_name_;
    }
    return result;
  }
  result.allowed_methods.clear();
  result.handler = &best->handler;
  result.name = best->name;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& seg = best->segments[i];
    if (is_param_segment(seg)) {
      result.params.emplace(seg.substr(1, seg.size() - 2), decode_path_segment(segments[i]));
    }
  }
  return result;
}

void Router::set_get_fallback(std::string name, Handler handler) {
  fallback_name_ = std::move(name);
  fallback_ = std::move(handler);
}

std::vector<Router::RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const Route& route : routes_) out.push_back({route.method, route.pattern, route.name});
  return out;
}

}  // namespace cordon::server
